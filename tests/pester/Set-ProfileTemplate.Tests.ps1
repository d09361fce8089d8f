BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Set-ProfileTemplate' {
    BeforeEach {
        $script:Store = Join-Path ([IO.Path]::GetTempPath()) ("pprov-store-" + [guid]::NewGuid().ToString('N'))
        New-ProfileTemplate office -Store $Store -Setting @{ Pin = 'MANDATORY'; PinLockTime = 60 } | Out-Null
    }
    AfterEach { Remove-Item -Recurse -Force $script:Store -ErrorAction SilentlyContinue }

    It 'changes and removes values' {
        $t = Set-ProfileTemplate office -Store $Store -Setting @{ Pin = 'OPTIONAL' } -RemoveSetting PinLockTime -PassThru
        $t.Settings['Pin'] | Should -Be 'OPTIONAL'
        $t.Settings.ContainsKey('PinLockTime') | Should -BeFalse
    }
}
