BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Start-ProvisioningServer' {
    BeforeEach {
        $root = Join-Path ([IO.Path]::GetTempPath()) ("pprov-pester-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $root | Out-Null
        Set-Content -Path (Join-Path $root 'spa000e08abcdef.xml') -Value '<flat-profile/>' -NoNewline
    }
    AfterEach {
        Stop-ProvisioningServer
        Remove-Item $root -Recurse -Force
    }

    It 'serves a file over HTTP and logs the request with the MAC and User-Agent' {
        $server = Start-ProvisioningServer -Path $root -Http -Address 127.0.0.1 -HttpPort 0
        $server.State | Should -Be 'Running'
        $body = Invoke-WebRequest "http://127.0.0.1:$($server.HttpPort)/spa000e08abcdef.xml" -UserAgent 'Linksys/SPA-942 (000E08ABCDEF)' -UseBasicParsing
        $body.Content | Should -Be '<flat-profile/>'
        $record = Wait-ProvisioningServerLog -Id $server.Id -Until { param($r) $r.Count -ge 1 } | Select-Object -Last 1
        $record.MacAddress | Should -Be '000E08ABCDEF'
        $record.Outcome | Should -Be 'Served'
        $record.UserAgent | Should -Be 'Linksys/SPA-942 (000E08ABCDEF)'
    }

    It 'refuses traversal and logs it' {
        $server = Start-ProvisioningServer -Path $root -Http -Address 127.0.0.1 -HttpPort 0
        # Invoke-WebRequest normalises %2e%2e away before sending: curl --path-as-is sends the raw path a scanner would.
        $status = curl --silent --path-as-is --output /dev/null --write-out '%{http_code}' --max-time 5 "http://127.0.0.1:$($server.HttpPort)/%2e%2e/%2e%2e/etc/passwd"
        $status | Should -Be '403'
        Wait-ProvisioningServerLog -Id $server.Id -Until { param($r) @($r | Where-Object Outcome -eq 'Refused').Count -ge 1 } | Out-Null
        (Get-ProvisioningServerLog -Id $server.Id -Outcome Refused).Count | Should -Be 1
    }

    It 'fails with ServingRootNotFound for a missing folder' {
        { Start-ProvisioningServer -Path (Join-Path $root 'missing') -Tftp -TftpPort 0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ServingRootNotFound,PrivateProvisioning.Commands.StartProvisioningServerCommand'
    }

    It 'listens on 127.0.0.1 unless told otherwise' {
        $server = Start-ProvisioningServer -Path $root -Http -HttpPort 0
        $server.HttpEndPoint | Should -BeLike '127.0.0.1:*'
    }

    It 'opens nothing with -WhatIf' {
        $port = Get-Random -Minimum 20000 -Maximum 60000
        Start-ProvisioningServer -Path $root -Http -HttpPort $port -WhatIf | Should -BeNullOrEmpty
        $client = [System.Net.Sockets.TcpClient]::new()
        { $client.Connect('127.0.0.1', $port) } | Should -Throw
        $client.Dispose()
    }

    It 'asks with -Confirm before listening' {
        Test-ConfirmationAsked "Start-ProvisioningServer -Path '$root' -Http -HttpPort 0 -Confirm" | Should -BeTrue
    }
}
