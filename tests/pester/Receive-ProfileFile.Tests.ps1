BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Receive-ProfileFile' {
    BeforeAll {
        $root = Join-Path ([IO.Path]::GetTempPath()) ("pprov-pester-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $root | Out-Null
        Set-Content (Join-Path $root '000e08abcdef.xml') "<flat-profile><User_ID_1_>1001</User_ID_1_><Password_1_>pw</Password_1_></flat-profile>" -NoNewline
        Set-Content (Join-Path $root 'expected.xml') "<flat-profile><User_ID_1_>1002</User_ID_1_><Password_1_>pw</Password_1_></flat-profile>" -NoNewline
        $server = Start-ProvisioningServer -Path $root -Http -Address 127.0.0.1 -HttpPort 0
        $rule = "http://127.0.0.1:$($server.HttpPort)/`$MA.xml"
    }
    AfterAll {
        $server | Stop-ProvisioningServer
        Remove-Item $root -Recurse -Force
    }

    It 'returns the parameters with secrets masked' {
        $p = Receive-ProfileFile -Rule $rule -MacAddress 00:0E:08:AB:CD:EF
        ($p | Where-Object Name -eq 'User_ID_1_').Value | Should -Be '1001'
        ($p | Where-Object Name -eq 'Password_1_').Value | Should -Be '********'
    }

    It 'returns the differences from an expected profile' {
        $d = Receive-ProfileFile -Rule $rule -MacAddress 000e08abcdef -Expected (Join-Path $root 'expected.xml')
        $d.Name | Should -Be 'User_ID_1_'
        $d.Change | Should -Be 'Changed'
    }

    It 'reports a missing file as RemoteFileNotFound' {
        Receive-ProfileFile -Rule $rule -MacAddress 001122334455 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RemoteFileNotFound*'
    }

    It 'gives the input row as TargetObject and keeps a key in the rule out of every stream' {
        $rows = @(
            [pscustomobject]@{ Rule = "[--key Rule-Key-9931] http://127.0.0.1:$($server.HttpPort)/missing-`$MA.xml"; MacAddress = '001122334455' }
            [pscustomobject]@{ Rule = $rule; MacAddress = '000e08abcdef' }
        )
        $all = $rows | Receive-ProfileFile -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue *>&1 | Out-String
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Match ',PrivateProvisioning.Commands.ReceiveProfileFileCommand$'
        $errs[0].CategoryInfo.Category | Should -Not -Be 'NotSpecified'
        $errs[0].TargetObject.MacAddress | Should -Be '001122334455'
        # The row is the admin's own input (it holds the key they typed); what we write must not repeat the key.
        $all + $errs[0].Exception.Message + ($errs[0].CategoryInfo | Out-String) | Should -Not -Match 'Rule-Key-9931'
        $all | Should -Match 'User_ID_1_'   # the second row was fetched
    }
}
