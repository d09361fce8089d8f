BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Get-ProvisioningGroup' {
    It 'lists the example assignments' {
        $groups = Get-ProvisioningGroup -Store (Join-Path $RepoRoot 'examples/store')
        ($groups | Where-Object Name -eq 'sales').Template | Should -Be 'office'
        (Get-ProvisioningGroup mob* -Store (Join-Path $RepoRoot 'examples/store')).Template | Should -Be 'secure-mobile'
    }
}
