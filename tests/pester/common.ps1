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
