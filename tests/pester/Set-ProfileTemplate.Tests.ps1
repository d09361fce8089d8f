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

Describe 'Set-ProfileTemplate from the pipeline' {
    BeforeEach {
        $script:St1 = Join-Path ([IO.Path]::GetTempPath()) ("pprov-st1-" + [guid]::NewGuid().ToString('N'))
        $script:St2 = Join-Path ([IO.Path]::GetTempPath()) ("pprov-st2-" + [guid]::NewGuid().ToString('N'))
        New-ProfileTemplate office -Store $St1 -Setting @{ Pin = 'MANDATORY' } | Out-Null
        New-ProfileTemplate office -Store $St2 -Setting @{ Pin = 'MANDATORY' } | Out-Null
        $script:SavedStore = $env:PRIVATEPROVISIONING_STORE
        $env:PRIVATEPROVISIONING_STORE = $St2
    }
    AfterEach {
        $env:PRIVATEPROVISIONING_STORE = $script:SavedStore
        Remove-Item -Recurse -Force $script:St1, $script:St2 -ErrorAction SilentlyContinue
    }

    It 'changes the template in the store it came from' {
        $t = Get-ProfileTemplate office -Store $St1 | Set-ProfileTemplate -Setting @{ Pin = 'OPTIONAL' } -PassThru
        $t.Store | Should -Be $St1
        (Get-ProfileTemplate office -Store $St1).Settings['Pin'] | Should -Be 'OPTIONAL'
        (Get-ProfileTemplate office -Store $St2).Settings['Pin'] | Should -Be 'MANDATORY'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-Content -Raw (Join-Path $St1 'templates/office.json')
        Get-ProfileTemplate office -Store $St1 | Set-ProfileTemplate -Setting @{ Pin = 'OPTIONAL' } -WhatIf
        Get-Content -Raw (Join-Path $St1 'templates/office.json') | Should -Be $before
    }

    It 'edits the shipped default into the piped store' {
        Get-ProfileTemplate default -Store $St1 | Set-ProfileTemplate -Description 'ours' 
        Test-Path (Join-Path $St1 'templates/default.json') | Should -BeTrue
        Test-Path (Join-Path $St2 'templates/default.json') | Should -BeFalse
    }

    It 'reports a bad setting as an error naming the template, with the name as target' {
        Set-ProfileTemplate office -Store $St1 -Setting @{ NoSuchSetting = 1 } -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Match ',PrivateProvisioning.Commands.SetProfileTemplateCommand$'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e[0].TargetObject | Should -Be 'office'
        $e[0].Exception.Message | Should -Match 'office'
    }
}

Describe 'Set-ProfileTemplate and New-ProfileTemplate with a secret parameter' {
    BeforeEach {
        $script:Store = Join-Path ([IO.Path]::GetTempPath()) ("pprov-store-" + [guid]::NewGuid().ToString('N'))
        New-ProfileTemplate office -Store $Store -Parameter @{ CiscoSpa = @{ Resync_Periodic = 3600 } } | Out-Null
    }
    AfterEach { Remove-Item -Recurse -Force $script:Store -ErrorAction SilentlyContinue }

    It 'refuses a literal secret, naming the parameter and how to give a reference' {
        Set-ProfileTemplate office -Store $Store -Parameter @{ CiscoSpa = @{ Admin_Passwd = 'hunter2-admin' } } -ErrorVariable e -ErrorAction SilentlyContinue
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -Be 'LiteralSecretInTemplate,PrivateProvisioning.Commands.SetProfileTemplateCommand'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e[0].Exception.Message | Should -Match 'CiscoSpa parameter Admin_Passwd holds a secret'
        $e[0].Exception.Message | Should -Match 'env:VARIABLE or file:PATH'
        "$($e[0])" | Should -Not -Match 'hunter2'
        Get-Content -Raw (Join-Path $Store 'templates/office.json') | Should -Not -Match 'Admin_Passwd'

        New-ProfileTemplate panasonic -Store $Store -Parameter @{ Panasonic = @{ SIP_PASS_1 = 's3cret-sip' } } -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -Be 'LiteralSecretInTemplate,PrivateProvisioning.Commands.NewProfileTemplateCommand'
        $e2[0].Exception.Message | Should -Match 'Panasonic parameter SIP_PASS_1'
        "$($e2[0])" | Should -Not -Match 's3cret'
        Test-Path (Join-Path $Store 'templates/panasonic.json') | Should -BeFalse
    }

    It 'takes a reference and shows it as written' {
        $t = Set-ProfileTemplate office -Store $Store -Parameter @{ CiscoSpa = @{ Admin_Passwd = 'env:ADMIN_PW'; Password_1_ = 'file:sip.pw' } } -PassThru
        $t.Parameters['CiscoSpa']['Admin_Passwd'] | Should -Be 'env:ADMIN_PW'
        $t.Parameters['CiscoSpa']['Password_1_'] | Should -Be 'file:sip.pw'
    }
}

Describe 'Get-ProfileTemplate with a literal secret from an older store file' {
    BeforeAll {
        $script:Store = Join-Path ([IO.Path]::GetTempPath()) ("pprov-store-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory (Join-Path $Store 'templates') | Out-Null
        Set-Content -LiteralPath (Join-Path $Store 'templates/office.json') -Value '{ "name": "office", "parameters": { "CiscoSpa": { "Admin_Passwd": "hunter2-admin", "Resync_Periodic": "3600" } } }'
    }
    AfterAll { Remove-Item -Recurse -Force $script:Store -ErrorAction SilentlyContinue }

    It 'masks the value and warns, naming the template and the parameter' {
        $t = Get-ProfileTemplate office -Store $Store -WarningVariable w -WarningAction SilentlyContinue
        $t.Parameters['CiscoSpa']['Admin_Passwd'] | Should -Be '********'
        $t.Parameters['CiscoSpa']['Resync_Periodic'] | Should -Be '3600'
        $t.LiteralSecrets | Should -Be @('CiscoSpa:Admin_Passwd')
        $w.Count | Should -Be 1
        "$($w[0])" | Should -Match "Template 'office'.*CiscoSpa:Admin_Passwd"
        "$($w[0])" | Should -Not -Match 'hunter2'
        ($t | Format-List * | Out-String) | Should -Not -Match 'hunter2'
        ($t.Parameters.Values | ConvertTo-Json) | Should -Not -Match 'hunter2'
    }

    It 'still lets an edit that does not touch it through, keeping it' {
        Set-ProfileTemplate office -Store $Store -Description 'desk phones' -WarningAction SilentlyContinue
        (Get-ProfileTemplate office -Store $Store -WarningAction SilentlyContinue).Description | Should -Be 'desk phones'
        Get-Content -Raw (Join-Path $Store 'templates/office.json') | Should -Match 'hunter2-admin'
    }
}
