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
