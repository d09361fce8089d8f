BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Set-ProvisioningGroup' {
    BeforeEach {
        $script:Store = Join-Path ([IO.Path]::GetTempPath()) ("pprov-store-" + [guid]::NewGuid().ToString('N'))
        New-ProfileTemplate office -Store $Store | Out-Null
    }
    AfterEach { Remove-Item -Recurse -Force $script:Store -ErrorAction SilentlyContinue }

    It 'assigns and removes' {
        (Set-ProvisioningGroup sales office -Store $Store -PassThru).Template | Should -Be 'office'
        Set-ProvisioningGroup sales -Remove -Store $Store
        Get-ProvisioningGroup -Store $Store | Should -BeNullOrEmpty
    }

    It 'refuses an unknown template' {
        Set-ProvisioningGroup sales nosuch -Store $Store -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Match '^TemplateNotFound'
    }

    It 'binds Name, Template and Store from Import-Csv rows and from Get-ProvisioningGroup objects' {
        $other = Join-Path ([IO.Path]::GetTempPath()) ("pprov-store-" + [guid]::NewGuid().ToString('N'))
        try {
            New-ProfileTemplate office -Store $other | Out-Null
            $csv = Join-Path $Store 'groups.csv'
            @([pscustomobject]@{ Name = 'sales'; Template = 'office'; Store = $Store }
              [pscustomobject]@{ Name = 'hq'; Template = 'office'; Store = $Store }) | Export-Csv -LiteralPath $csv -NoTypeInformation
            Import-Csv $csv | Set-ProvisioningGroup
            (Get-ProvisioningGroup -Store $Store).Name | Should -Be @('hq', 'sales')
            # A group object read from one store, assigned again: it stays in that store.
            Get-ProvisioningGroup sales -Store $Store | Set-ProvisioningGroup -Store $other
            Get-ProvisioningGroup -Store $other | Select-Object -ExpandProperty Name | Should -Be 'sales'
        } finally { Remove-Item -Recurse -Force $other -ErrorAction SilentlyContinue }
    }

    It 'changes nothing with -WhatIf and writes TemplateNotFound with the group as target' {
        Set-ProvisioningGroup sales office -Store $Store -WhatIf
        Get-ProvisioningGroup -Store $Store | Should -BeNullOrEmpty
        Set-ProvisioningGroup sales nosuch -Store $Store -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].TargetObject | Should -Be 'sales'
    }

    It 'asks with -Confirm and assigns nothing unanswered' {
        Test-ConfirmationAsked "Set-ProvisioningGroup sales office -Store '$Store' -Confirm" | Should -BeTrue
        Get-ProvisioningGroup -Store $Store | Should -BeNullOrEmpty
    }
}
