# The main job: Import-Csv | New-ProvisioningProfile (runs where pwsh and Pester exist).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Examples = Join-Path $script:RepoRoot 'examples'
}

Describe 'New-ProvisioningProfile' {
    BeforeEach {
        $script:Out = Join-Path ([IO.Path]::GetTempPath()) ("pprov-pester-" + [guid]::NewGuid().ToString('N'))
    }
    AfterEach { Remove-Item -Recurse -Force $script:Out -ErrorAction SilentlyContinue }

    It 'generates one Cisco file per row of the example CSV through the Import-Csv pipeline' {
        $results = Import-Csv (Join-Path $Examples 'accounts.csv') |
            New-ProvisioningProfile -Format CiscoSpa -Destination $Out -Store (Join-Path $Examples 'store') -SkipOtherFormats
        $results | Should -Not -BeNullOrEmpty
        $results | ForEach-Object { $_.Status | Should -Be 'Created'; Test-Path $_.Path | Should -BeTrue }
        ($results | Where-Object MacAddress -eq '00:0E:08:AB:CD:01').Template | Should -Be 'office'
        Get-Content (Join-Path $Out '000e08abcd01.xml') -Raw | Should -Match '<Display_Name_1_>Rossi, Anna</Display_Name_1_>'
    }

    It 'leaves unchanged files alone on a second run' {
        $rows = Import-Csv (Join-Path $Examples 'accounts.csv')
        $rows | New-ProvisioningProfile CiscoSpa $Out -Store (Join-Path $Examples 'store') -SkipOtherFormats | Out-Null
        $again = $rows | New-ProvisioningProfile CiscoSpa $Out -Store (Join-Path $Examples 'store') -SkipOtherFormats
        $again.Status | Sort-Object -Unique | Should -Be 'Unchanged'
    }

    It 'reports a bad row by row and column and generates the others' {
        $rows = @(
            [pscustomobject]@{ MacAddress = '00:0E:08:00:00:01'; UserId = 'u1' }
            [pscustomobject]@{ MacAddress = 'not-a-mac'; UserId = 'u2' }
            [pscustomobject]@{ MacAddress = '00:0E:08:00:00:01'; UserId = 'u3' }
        )
        $results = $rows | New-ProvisioningProfile CiscoSpa $Out -ErrorVariable errs -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Match '^InvalidMacAddress'
        $errs[0].Exception.Message | Should -Match "Row 2, column 'MacAddress'"
        $errs[1].FullyQualifiedErrorId | Should -Match '^DuplicateMacAddress'
    }

    It 'writes nothing with -WhatIf and says what would happen' {
        $results = Import-Csv (Join-Path $Examples 'accounts.csv') | New-ProvisioningProfile -Destination $Out -Store (Join-Path $Examples 'store') -WhatIf
        $results.WhatIf | Sort-Object -Unique | Should -BeTrue
        $results.Format | Sort-Object -Unique | Should -Be @('CiscoSpa', 'CiscoSep', 'Panasonic', 'PrivateWave', 'Linphone')
        Test-Path $Out | Should -BeFalse
    }

    It 'refuses a file name that would leave the destination' {
        $row = [pscustomobject]@{ MAC = '00:0E:08:00:00:09'; Site = '../escape' }
        $row | New-ProvisioningProfile CiscoSpa $Out -FileName '$Site/$MA.xml' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Match '^PathOutsideDestination'
    }
}
