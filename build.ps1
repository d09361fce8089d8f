#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, documents and packages PrivateProvisioning.
.DESCRIPTION
    A thin orchestrator over dotnet: all real work happens in the projects, so machines without PowerShell
    (CI, Linux build boxes) get the same result from the dotnet commands in README.md.
.PARAMETER Task
    Build: the module in out/PrivateProvisioning and pprov in out/pprov.
    Test: the xunit suite, then the Pester suite in a child pwsh against out/PrivateProvisioning.
    Docs: refresh the markdown from the built module with platyPS (Update-MarkdownHelp) and rebuild MAML.
    Package: Build, then a .nupkg of the module in out/.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = @('Build'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$moduleOut = Join-Path $PSScriptRoot 'out/PrivateProvisioning'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $args failed with exit code $LASTEXITCODE" }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' {
            Invoke-Dotnet publish src/PrivateProvisioning -c $Configuration
            Invoke-Dotnet publish src/pprov -c $Configuration -o out/pprov
        }
        'Test' {
            Invoke-Dotnet test PrivateProvisioning.sln -c $Configuration
            if (-not (Test-Path $moduleOut)) { Invoke-Dotnet publish src/PrivateProvisioning -c $Configuration }
            $script = "Import-Module Pester -MinimumVersion 5.0; `$c = New-PesterConfiguration; `$c.Run.Path = 'tests/pester'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
            & pwsh -NoProfile -Command $script
            if ($LASTEXITCODE -ne 0) { throw "Pester failed" }
        }
        'Docs' {
            if (-not (Test-Path $moduleOut)) { Invoke-Dotnet publish src/PrivateProvisioning -c $Configuration }
            & pwsh -NoProfile -Command "Import-Module platyPS; Import-Module '$moduleOut'; Update-MarkdownHelpModule -Path docs/en-US -RefreshModulePage -AlphabeticParamsOrder:`$false | Out-Null; New-ExternalHelp -Path docs/en-US -OutputPath '$moduleOut/en-US' -Force | Out-Null"
            if ($LASTEXITCODE -ne 0) { throw "platyPS failed" }
        }
        'Package' {
            Invoke-Dotnet publish src/PrivateProvisioning -c $Configuration
            & pwsh -NoProfile -Command "Register-PSResourceRepository -Name ppLocal -Uri '$PSScriptRoot/out' -Trusted -ErrorAction SilentlyContinue; Publish-PSResource -Path '$moduleOut' -Repository ppLocal"
            if ($LASTEXITCODE -ne 0) { throw "packaging failed" }
        }
    }
}
