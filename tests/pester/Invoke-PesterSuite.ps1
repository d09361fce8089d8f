# Runs the Pester suite against out/PrivateProvisioning with the Pester that NuGet restored beside the tests
# (tests/PrivateProvisioning.Tests.csproj downloads it), and writes the counts for build.ps1 to sum.
param(
    [string] $CountsPath,
    [string[]] $Path = @(Join-Path $PSScriptRoot '.'),
    [string] $Verbosity = 'Normal'
)
$ErrorActionPreference = 'Stop'
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
if (-not (Test-Path $pester)) { throw "Pester 5.7.1 is not restored at $pester; run 'dotnet restore PrivateProvisioning.sln' first." }
Import-Module $pester -Force
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Verbosity
$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($CountsPath) {
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount } |
        ConvertTo-Json -Compress | Set-Content -LiteralPath $CountsPath
}
if ($failed -gt 0) { exit 1 }
