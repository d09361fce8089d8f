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
}
