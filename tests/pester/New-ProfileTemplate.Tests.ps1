BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'New-ProfileTemplate' {
    BeforeEach { $script:Store = Join-Path ([IO.Path]::GetTempPath()) ("pprov-store-" + [guid]::NewGuid().ToString('N')) }
    AfterEach { Remove-Item -Recurse -Force $script:Store -ErrorAction SilentlyContinue }

    It 'creates a readable JSON file with canonical values' {
        $t = New-ProfileTemplate office -Store $Store -Setting @{ Pin = 'mandatory'; PinCacheTimeout = 300 } -Parameter @{ CiscoSpa = @{ Resync_Periodic = 3600 } }
        $t.Settings['Pin'] | Should -Be 'MANDATORY'
        Get-Content (Join-Path $Store 'templates/office.json') -Raw | Should -Match '"PinCacheTimeout": 300'
    }

    It 'refuses an invalid setting naming it' {
        { New-ProfileTemplate bad -Store $Store -Setting @{ PTime = 25 } -ErrorAction Stop } | Should -Throw '*PTime*multiple of 10*'
    }
}
