BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Get-ProfileTemplate' {
    It 'returns the shipped default without a store' {
        $env:PRIVATEPROVISIONING_STORE = $null
        (Get-ProfileTemplate default).Settings['PinLockTime'] | Should -Be '900'
    }

    It 'matches wildcards in the example store' {
        $store = Join-Path $RepoRoot 'examples/store'
        (Get-ProfileTemplate office* -Store $store).Name | Should -Be @('office', 'office-tls')
    }
}
