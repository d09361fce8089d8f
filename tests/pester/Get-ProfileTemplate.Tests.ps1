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

    It 'names a template that does not exist, and a wildcard that matches nothing is no error' {
        $store = Join-Path $RepoRoot 'examples/store'
        Get-ProfileTemplate offfice -Store $store -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TemplateNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($err[0])" | Should -Match 'offfice'
        Get-ProfileTemplate lab? -Store $store -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'stops with the store named when the store does not exist' {
        $missing = Join-Path ([IO.Path]::GetTempPath()) ('pprov-nostore-' + [guid]::NewGuid().ToString('N'))
        { Get-ProfileTemplate -Store $missing -ErrorAction Stop } | Should -Throw -ExpectedMessage "*$missing*"
    }

    It 'gives objects that carry their store into Set-ProfileTemplate' {
        $store = Join-Path ([IO.Path]::GetTempPath()) ('pprov-store-' + [guid]::NewGuid().ToString('N'))
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples/store') $store
        try {
            Get-ProfileTemplate office -Store $store | Set-ProfileTemplate -Setting @{ PinLockTime = 60 } | Out-Null
            (Get-ProfileTemplate office -Store $store).Settings['PinLockTime'] | Should -Be '60'
        } finally { Remove-Item -Recurse -Force $store }
    }
}
