BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Remove-ProfileTemplate' {
    BeforeEach {
        $script:Store = Join-Path ([IO.Path]::GetTempPath()) ("pprov-store-" + [guid]::NewGuid().ToString('N'))
        New-ProfileTemplate office -Store $Store | Out-Null
        Set-ProvisioningGroup sales office -Store $Store
    }
    AfterEach { Remove-Item -Recurse -Force $script:Store -ErrorAction SilentlyContinue }

    It 'refuses default and a template in use, unless -Force' {
        Remove-ProfileTemplate default -Store $Store -Confirm:$false -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].FullyQualifiedErrorId | Should -Match '^DefaultTemplateRequired'
        Remove-ProfileTemplate office -Store $Store -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -Match '^TemplateInUse'
        Remove-ProfileTemplate office -Store $Store -Force -Confirm:$false -WarningAction SilentlyContinue
        Get-ProfileTemplate office -Store $Store -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ProvisioningGroup -Store $Store | Should -BeNullOrEmpty
    }
}

Describe 'Remove-ProfileTemplate from the pipeline' {
    BeforeEach {
        $script:St1 = Join-Path ([IO.Path]::GetTempPath()) ("pprov-st1-" + [guid]::NewGuid().ToString('N'))
        $script:St2 = Join-Path ([IO.Path]::GetTempPath()) ("pprov-st2-" + [guid]::NewGuid().ToString('N'))
        New-ProfileTemplate office -Store $St1 | Out-Null
        New-ProfileTemplate office -Store $St2 | Out-Null
        $script:SavedStore = $env:PRIVATEPROVISIONING_STORE
        $env:PRIVATEPROVISIONING_STORE = $St2
    }
    AfterEach {
        $env:PRIVATEPROVISIONING_STORE = $script:SavedStore
        Remove-Item -Recurse -Force $script:St1, $script:St2 -ErrorAction SilentlyContinue
    }

    It 'deletes from the store the template object came from, not from $env:PRIVATEPROVISIONING_STORE' {
        $t = Get-ProfileTemplate office -Store $St1
        $t.Store | Should -Be $St1
        $t | Remove-ProfileTemplate -Force -Confirm:$false
        Test-Path (Join-Path $St1 'templates/office.json') | Should -BeFalse
        Test-Path (Join-Path $St2 'templates/office.json') | Should -BeTrue
    }

    It 'removes nothing with -WhatIf' {
        Get-ProfileTemplate office -Store $St1 | Remove-ProfileTemplate -WhatIf
        Test-Path (Join-Path $St1 'templates/office.json') | Should -BeTrue
    }

    It 'binds Name and Store from Import-Csv rows' {
        $csv = Join-Path $St1 'remove.csv'
        [pscustomobject]@{ Name = 'office'; Store = $St1 } | Export-Csv -LiteralPath $csv -NoTypeInformation
        Import-Csv $csv | Remove-ProfileTemplate -Confirm:$false
        Test-Path (Join-Path $St1 'templates/office.json') | Should -BeFalse
        Test-Path (Join-Path $St2 'templates/office.json') | Should -BeTrue
    }

    It 'writes TemplateNotFound with the name as target for a missing template' {
        Remove-ProfileTemplate nosuch -Store $St1 -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'TemplateNotFound,PrivateProvisioning.Commands.RemoveProfileTemplateCommand'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].TargetObject | Should -Be 'nosuch'
    }
}
