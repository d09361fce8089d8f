# Shared by every *.Tests.ps1 (dot-sourced in BeforeAll, so it runs in Pester's run phase): imports the
# published module from out/PrivateProvisioning, as an admin would.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = Join-Path $script:RepoRoot 'out/PrivateProvisioning'
$script:Vectors = Join-Path $script:RepoRoot 'tests/vectors'
Import-Module $script:ModulePath -Force
# New-ProvisioningProfile records what it wrote under $XDG_STATE_HOME: the suite's own folder, not the tester's home.
if (-not $env:PPROV_PESTER_STATE) {
    $env:PPROV_PESTER_STATE = Join-Path ([IO.Path]::GetTempPath()) ("pprov-pester-state-" + $PID)
}
if ($IsLinux -or $IsMacOS) { $env:XDG_STATE_HOME = $env:PPROV_PESTER_STATE }

# The server logs a request once its answer is sent, so the client can read the answer a moment before the
# record exists: wait (bounded) for the records a test expects, as an admin re-running the command would.
function Wait-ProvisioningServerLog {
    param([int] $Id, [scriptblock] $Until, [int] $TimeoutSeconds = 10)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        $records = @(Get-ProvisioningServerLog -Id $Id)
        if (& $Until $records) { return $records }
        Start-Sleep -Milliseconds 20
    } while ([DateTime]::UtcNow -lt $deadline)
    return $records
}

# Runs one command line in a runspace that has no host: a confirmation prompt fails there with
# HostFunctionNotImplemented, so a test sees that the command asks before acting (and, with no answer, does nothing).
function Test-ConfirmationAsked([string] $Command) {
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript("Import-Module '$($script:ModulePath)'; $Command")
        try { $null = $ps.Invoke() } catch { return $_.Exception.InnerException.ErrorRecord.FullyQualifiedErrorId -like 'HostFunctionNotImplemented*' }
        return [bool]@($ps.Streams.Error | Where-Object FullyQualifiedErrorId -like 'HostFunctionNotImplemented*').Count
    } finally { $ps.Dispose() }
}
