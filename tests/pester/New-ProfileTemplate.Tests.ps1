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

    It 'creates templates from CSV rows and targets the row that fails' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) ("pprov-templates-" + [guid]::NewGuid().ToString('N') + '.csv')
        "Name,Description,BasedOn`noffice,Desk phones,`noffice-tls,TLS desk phones,office`nlab,Lab,missing-base" | Set-Content $csv
        try { $r = Import-Csv $csv | New-ProfileTemplate -Store $Store -ErrorAction SilentlyContinue -ErrorVariable err } finally { Remove-Item $csv }
        $r.Name | Should -Be 'office', 'office-tls'
        $err.Count | Should -Be 1
        $err[0].TargetObject.Name | Should -Be 'lab'
        $err[0].TargetObject.BasedOn | Should -Be 'missing-base'
        $err[0].CategoryInfo.TargetName | Should -Be 'lab'
        Test-Path (Join-Path $Store 'templates/lab.json') | Should -BeFalse
    }

    It 'refuses a second template of the same name, naming it' {
        New-ProfileTemplate office -Store $Store | Out-Null
        New-ProfileTemplate office -Store $Store -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TemplateExists*'
        "$($err[0])" | Should -Match 'office'
    }

    It 'writes nothing with -WhatIf' {
        New-ProfileTemplate office -Store $Store -WhatIf
        Test-Path (Join-Path $Store 'templates/office.json') | Should -BeFalse
    }
}
