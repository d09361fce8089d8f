BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Get-ProvisioningGroup' {
    It 'lists the example assignments' {
        $groups = Get-ProvisioningGroup -Store (Join-Path $RepoRoot 'examples/store')
        ($groups | Where-Object Name -eq 'sales').Template | Should -Be 'office'
        (Get-ProvisioningGroup mob* -Store (Join-Path $RepoRoot 'examples/store')).Template | Should -Be 'secure-mobile'
    }

    It 'stops with the store named when the store does not exist' {
        $missing = Join-Path ([IO.Path]::GetTempPath()) ('pprov-nostore-' + [guid]::NewGuid().ToString('N'))
        { Get-ProvisioningGroup -Store $missing -ErrorAction Stop } | Should -Throw -ExpectedMessage "*$missing*"
    }

    It 'pipes groups into Set-ProvisioningGroup by name' {
        $store = Join-Path ([IO.Path]::GetTempPath()) ('pprov-store-' + [guid]::NewGuid().ToString('N'))
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples/store') $store
        try {
            Get-ProvisioningGroup sales -Store $store | Set-ProvisioningGroup -Template office-tls -Store $store | Out-Null
            (Get-ProvisioningGroup sales -Store $store).Template | Should -Be 'office-tls'
        } finally { Remove-Item -Recurse -Force $store }
    }
}
