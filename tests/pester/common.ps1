# Shared by every *.Tests.ps1 (dot-sourced in BeforeAll, so it runs in Pester's run phase): imports the
# published module from out/PrivateProvisioning, as an admin would.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = Join-Path $script:RepoRoot 'out/PrivateProvisioning'
$script:Vectors = Join-Path $script:RepoRoot 'tests/vectors'
Import-Module $script:ModulePath -Force
