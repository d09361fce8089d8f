BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Stop-ProvisioningServer' {
    It 'stops a server piped to it and reports an unknown Id' {
        $server = Start-ProvisioningServer -Path ([IO.Path]::GetTempPath()) -Tftp -Address 127.0.0.1 -TftpPort 0
        $stopped = $server | Stop-ProvisioningServer -PassThru
        $stopped.State | Should -Be 'Stopped'
        { Get-ProvisioningServerLog -Id $server.Id -ErrorAction Stop } | Should -Not -Throw  # logs outlive Stop
        Stop-ProvisioningServer -Id 99999 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ServerNotFound*'
    }

    It 'does nothing with -WhatIf' {
        $server = Start-ProvisioningServer -Path ([IO.Path]::GetTempPath()) -Tftp -Address 127.0.0.1 -TftpPort 0
        Stop-ProvisioningServer -Id $server.Id -WhatIf
        $server.State | Should -Be 'Running'
        Stop-ProvisioningServer -Id $server.Id
    }
}
