BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Get-ProvisioningServerLog' {
    It 'filters by MAC address and outcome' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ("pprov-pester-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $root | Out-Null
        Set-Content (Join-Path $root 'SEP000E08ABCDEF.cnf.xml') 'x'
        $server = Start-ProvisioningServer -Path $root -Http -Address 127.0.0.1 -HttpPort 0
        try {
            Invoke-WebRequest "http://127.0.0.1:$($server.HttpPort)/SEP000E08ABCDEF.cnf.xml" -UseBasicParsing | Out-Null
            try { Invoke-WebRequest "http://127.0.0.1:$($server.HttpPort)/SEP0011223344AA.cnf.xml" -UseBasicParsing } catch { }
            Wait-ProvisioningServerLog -Id $server.Id -Until { param($r) $r.Count -ge 2 } | Out-Null
            (Get-ProvisioningServerLog -Id $server.Id -MacAddress 00:0e:08:ab:cd:ef).Outcome | Should -Be 'Served'
            (Get-ProvisioningServerLog -Id $server.Id -Outcome NotFound).MacAddress | Should -Be '0011223344AA'
            { Get-ProvisioningServerLog -MacAddress 'nope' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMacAddress*'
        }
        finally {
            $server | Stop-ProvisioningServer
            Remove-Item $root -Recurse -Force
        }
    }
}
