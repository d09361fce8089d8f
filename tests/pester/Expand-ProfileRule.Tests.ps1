# Runs where pwsh and Pester 5 exist (build.ps1 -Task Test). The same behaviour is proven in xunit (tests/PrivateProvisioning.Tests/Rules).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Phones = Join-Path $script:RepoRoot 'examples/phones.csv'
}

Describe 'Expand-ProfileRule' {
    It 'expands one phone' {
        $r = Expand-ProfileRule -Rule 'tftp://prov.example.com/$B/$MA.cfg' -MacAddress 00:0E:08:AB:CD:EF -Variable @{ B = 'site7' }
        $r.Url | Should -Be 'tftp://prov.example.com/site7/000e08abcdef.cfg'
        $r.Scheme | Should -Be 'Tftp'
        $r.Port | Should -Be 69
        $r.HasKey | Should -BeFalse
    }

    It 'gives one result per Import-Csv row, columns becoming variables' {
        $r = @(Import-Csv $script:Phones | Expand-ProfileRule -Rule 'tftp://prov.example.com/$B/$PSN/$MA.cfg')
        $r.Count | Should -Be 4
        $r[0].Url | Should -Be 'tftp://prov.example.com/site7/2102/000e08abcdef.cfg'
        $r[2].Url | Should -Be 'tftp://prov.example.com/hq/8851-3PCC/000e08abcdf1.cfg'
    }

    It 'accepts the MAC, SN and PN aliases by property name' {
        $row = [pscustomobject]@{ MAC = '000e.08ab.cdef'; SN = '88012BA01234'; PN = 'SPA502G'; B = 'x' }
        ($row | Expand-ProfileRule '/$B/$SN/spa$PSN/$MAU.cfg').Url | Should -Be '/x/88012BA01234/spa502G/000E08ABCDEF.cfg'
    }

    It 'lets -Variable win over a column' {
        $row = [pscustomobject]@{ MacAddress = '000E08ABCDEF'; B = 'column' }
        ($row | Expand-ProfileRule '/$B.cfg' -Variable @{ B = 'explicit' }).Url | Should -Be '/explicit.cfg'
    }

    It 'chooses the first alternative whose condition holds' {
        $rule = '($PRVTMR ge 600)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?'
        $r = Expand-ProfileRule $rule -Variable @{ PRVTMR = 10 }
        $r.AlternativeIndex | Should -Be 2
        $r.Post | Should -Be 'a'
    }

    It 'returns the key as a SecureString and never prints it' {
        $r = Expand-ProfileRule '[--key "TopSecret9"] https://h/$MA.xml' -MacAddress 000E08ABCDEF
        $r.Key | Should -BeOfType ([securestring])
        $r.HasKey | Should -BeTrue
        ($r | Format-List * | Out-String) | Should -Not -Match 'TopSecret9'
        $r.Rule | Should -Be '[--key ***] https://h/$MA.xml'
    }

    It 'accepts a SecureString for a secret GPP' {
        $secret = ConvertTo-SecureString 'k3y' -AsPlainText -Force
        $r = Expand-ProfileRule '[--key $SA] https://h/$MA.xml' -MacAddress 000E08ABCDEF -Variable @{ SA = $secret }
        [System.Net.NetworkCredential]::new('', $r.Key).Password | Should -Be 'k3y'
    }

    It 'writes a non-terminating error for a bad row and goes on' {
        $rows = @(
            [pscustomobject]@{ MacAddress = '000E08ABCDEF' }
            [pscustomobject]@{ MacAddress = 'not-a-mac' }
            [pscustomobject]@{ MacAddress = '000E08ABCDF0' }
        )
        $r = @($rows | Expand-ProfileRule '/$MA.cfg' -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 2
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMacAddress*'
        $errs[0].TargetObject.MacAddress | Should -Be 'not-a-mac'
    }

    It 'names the position of a syntax error and hides the key' {
        $null = Expand-ProfileRule '[--key Sesame123] http://h/$(MA.cfg' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidProfileRule*'
        $errs[0].Exception.Message | Should -Match 'at position 28'
        $errs[0].Exception.Message | Should -Not -Match 'Sesame123'
    }

    It 'names a bad CSV row in its error but never shows its key or password, in any stream' {
        $csv = Join-Path $TestDrive 'keyed.csv'
        Set-Content -LiteralPath $csv -Value @(
            'MacAddress,Rule,Password,SipPassword,Key'
            '000E08ABCDEF,[--key S3cretKey!] http://h/$MA.cfg,Hunter2Pw,Sip9Pass,K3yColumn'
            '000E08ABCDF0,[--key S3cretKey!] http://h/$(MA.cfg,Hunter2Pw,Sip9Pass,K3yColumn'
        )
        $Error.Clear()
        $all = @(Import-Csv -LiteralPath $csv | Expand-ProfileRule -ErrorVariable errs -ErrorAction Continue -Verbose *>&1)
        $errs.Count | Should -Be 1
        $err = $errs[0]
        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 1
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidProfileRule*'
        # The error still names the row: a copy of it, the key hidden in the rule and the secret columns masked.
        $err.TargetObject.MacAddress | Should -Be '000E08ABCDF0'
        $err.TargetObject.Rule | Should -Be '[--key ***] http://h/$(MA.cfg'
        $err.TargetObject.Password | Should -Be '********'
        $err.TargetObject.SipPassword | Should -Be '********'
        $err.TargetObject.Key | Should -Be '********'
        $shown = ($all | Out-String) + ($all | Format-List * -Force | Out-String) +
            ($err | Out-String) + ($err | Format-List * -Force | Out-String) +
            ($err.TargetObject | Format-List * | Out-String) + ($err.TargetObject | ConvertTo-Json -Depth 3) +
            ($Error | Out-String) + ($Error | Format-List * -Force | Out-String) + $err.Exception.ToString()
        $shown | Should -Match '000E08ABCDF0'
        foreach ($secret in 'S3cretKey', 'Hunter2Pw', 'Sip9Pass', 'K3yColumn') { $shown | Should -Not -Match $secret }
    }

    It 'hides the key of a bad -Rule given without a row in the error target' {
        $null = Expand-ProfileRule -Rule '[--key S3cretKey!] http://h/$(MA.cfg' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].TargetObject | Should -Be '[--key ***] http://h/$(MA.cfg'
        ($errs | Format-List * -Force | Out-String) | Should -Not -Match 'S3cretKey'
    }

    It 'warns about documented macros without a value' {
        $null = Expand-ProfileRule 'http://$SERV/$MA.cfg' -MacAddress 000E08ABCDEF -WarningVariable warns -WarningAction SilentlyContinue
        $warns[0] | Should -Match '\$SERV'
    }
}
