# Shared by every *.Tests.ps1: imports the built module from out/PrivateProvisioning.
$script:RepoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
$script:ModulePath = Join-Path $script:RepoRoot 'out/PrivateProvisioning'
Import-Module $script:ModulePath -Force
