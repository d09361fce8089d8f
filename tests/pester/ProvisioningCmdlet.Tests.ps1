# The module's one top-level rule (ProvisioningCmdlet, the base of every cmdlet): an exception nobody expected
# becomes one terminating ErrorRecord with the id InternalError, saying what the cmdlet was doing, the file it was
# reading and how to report it; never a stack trace in the message, never a secret; -Debug shows the trace.
# The fault comes from an internal test hook (ProvisioningCmdlet.InjectInternalErrorInto, set by reflection).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Hook = [PrivateProvisioning.Internal.ProvisioningCmdlet].GetField('InjectInternalErrorInto', [Reflection.BindingFlags]'NonPublic,Static')
    $script:Secret = 'Sup3r-S3cret-Pass-7391'
    $script:Key = ConvertTo-SecureString $Secret -AsPlainText -Force
}

Describe 'An unexpected exception in a cmdlet' {
    BeforeEach {
        $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ("pp-internal-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $Dir | Out-Null
        $script:Profile = Join-Path $Dir '000e08abcd01.xml'
        Set-Content -LiteralPath $Profile -Value "<flat-profile><Password_1_>$Secret</Password_1_></flat-profile>" -NoNewline
        $Hook.SetValue($null, 'Protect-ProfileFile')
    }
    AfterEach {
        $Hook.SetValue($null, $null)
        Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'is one InternalError record naming the cmdlet, what it did and the file, with no trace and no secret' {
        $err = $null
        try { Protect-ProfileFile -Path $Profile -Key $Key -Destination (Join-Path $Dir 'out') -ErrorAction SilentlyContinue }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'InternalError,PrivateProvisioning.Commands.ProtectProfileFileCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.TargetObject | Should -Be $Profile
        $message = $err.Exception.Message
        $message | Should -Match '^Protect-ProfileFile failed while processing its input: internal error \(InternalError\): InvalidOperationException'
        $message | Should -Match ([regex]::Escape("while reading '$Profile'"))
        $message | Should -Match 'This is a bug: please report it at https://'
        $message | Should -Match '-Debug'
        $message | Should -Not -Match '\n'
        $message | Should -Not -Match '\bat PrivateProvisioning\.'
        ($err | Out-String) | Should -Not -Match 'at PrivateProvisioning\.'
        ($err | Format-List * -Force | Out-String) | Should -Not -Match $Secret
        $err.Exception.InnerException | Should -BeOfType [InvalidOperationException]
        Test-Path (Join-Path $Dir 'out') | Should -BeFalse
    }

    It 'shows the stack trace on the debug stream with -Debug, and only there' {
        $err = $null
        $debug = try { Protect-ProfileFile -Path $Profile -Key $Key -Destination (Join-Path $Dir 'out') -Debug 5>&1 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^InternalError,'
        $trace = @($debug | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }) | ForEach-Object Message
        ($trace -join "`n") | Should -Match 'at PrivateProvisioning\.Internal\.ProvisioningCmdlet'
        ($trace -join "`n") | Should -Not -Match $Secret
        $err.Exception.Message | Should -Not -Match 'at PrivateProvisioning\.'
    }

    It 'leaves typed errors and other cmdlets as they were' {
        $r = Get-ProfileTemplate default -Store $Dir
        $r.Name | Should -Be 'default'
        $Hook.SetValue($null, $null)
        Protect-ProfileFile -Path (Join-Path $Dir 'missing.xml') -Compress -Destination (Join-Path $Dir 'out') -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'SourceNotFound,PrivateProvisioning.Commands.ProtectProfileFileCommand'
        $err = $null
        try { Protect-ProfileFile -Path $Profile -Destination (Join-Path $Dir 'out') } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^[A-Za-z]+,PrivateProvisioning.Commands.ProtectProfileFileCommand$'
        $err.FullyQualifiedErrorId | Should -Not -Match 'InternalError'
    }
}
