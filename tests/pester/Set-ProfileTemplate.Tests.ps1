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

    It 'asks with -Confirm and changes nothing unanswered' {
        Test-ConfirmationAsked "Set-ProfileTemplate office -Store '$St1' -Setting @{ Pin = 'OPTIONAL' } -Confirm" | Should -BeTrue
        (Get-ProfileTemplate office -Store $St1).Settings['Pin'] | Should -Be 'MANDATORY'
    }
}
