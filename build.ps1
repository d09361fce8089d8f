#Requires -Version 7.0
# Run it with the repository's own PowerShell: dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
<#
.SYNOPSIS
    Builds, tests, documents and packages PrivateProvisioning.
.DESCRIPTION
    A thin orchestrator over dotnet: all real work happens in the projects, so machines without PowerShell
    (CI, Linux build boxes) get the same result from the dotnet commands in README.md.
.PARAMETER Task
    Build: the module in out/PrivateProvisioning and pprov in out/pprov, native (PublishAot: needs clang on Linux,
    the Visual Studio C++ tools on Windows).
    Test: the xunit suite; then the native pprov is published to out/pprov and the xunit tests that start pprov run
    again against it (PPROV_UNDER_TEST); then the Pester suite (Pester 5.7.1, restored from NuGet with the tests)
    in a child pwsh against a freshly published out/PrivateProvisioning; the last line counts all three.
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

# A child PowerShell of the same version as this one: under the local .NET tool this process is `dotnet pwsh.dll`.
function Invoke-ChildPwsh {
    $self = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { & $self (Join-Path $PSHOME 'pwsh.dll') @args }
    else { & $self @args }
}

# The native pprov's publish, one argument list for Build and Test. Quoted: PowerShell hands a function an unquoted
# -p:Name=value as a named argument, and @args then passes dotnet "Name=value" alone (a second project).
$publishNativePprov = @('publish', 'src/pprov', '-c', $Configuration, '-p:PublishAot=true', '-o', 'out/pprov')

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $args failed with exit code $LASTEXITCODE" }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' {
            Invoke-Dotnet publish src/PrivateProvisioning -c $Configuration
            Invoke-Dotnet @publishNativePprov
        }
        'Test' {
            # One run, one verdict: xunit (Core, consistency, pprov against real peers), then Pester against the
            # freshly published module in a child pwsh, as an admin would import it. The last line sums both.
            $xunit = @{ Passed = 0; Failed = 0; Skipped = 0 }
            # The names and messages of failed tests are repeated above the summary, so a CI log that keeps only
            # its end still says which test failed and why.
            $failures = [Collections.Generic.List[string]]::new()
            $inFailure = 0
            $collectFailure = {
                param($line)
                if ($line -match '^\s+Failed\s+\S+\s+\[') { $script:inFailure = 12; $failures.Add($line.Trim()) }
                elseif ($script:inFailure -gt 0) {
                    if ($line -match '^\s*(Stack Trace:|(Passed|Failed|Skipped)\b)') { $script:inFailure = 0 }
                    else { $script:inFailure--; if ($line.Trim()) { $failures.Add('    ' + $line.Trim()) } }
                }
            }
            & dotnet test PrivateProvisioning.sln -c $Configuration 2>&1 | ForEach-Object {
                $_
                & $collectFailure "$_"
                if ("$_" -match '(Passed|Failed)!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)') {
                    $xunit.Failed += [int]$Matches[2]; $xunit.Passed += [int]$Matches[3]; $xunit.Skipped += [int]$Matches[4]
                }
            }
            $xunitExit = $LASTEXITCODE
            if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }   # a build or host failure counts
            # The shipped pprov is native (AOT): the test classes that start pprov run again against it, so a break only
            # the native build has (trimmed code, a --json type missing from CliJson) fails here. The classes are found
            # in the sources (a file that starts pprov), so a new CLI test joins without a list to keep.
            $native = @{ Passed = 0; Failed = 0; Skipped = 0 }
            $started = Get-Date
            & dotnet @publishNativePprov 2>&1 | ForEach-Object { $_ }
            if ($LASTEXITCODE -ne 0) { $native.Failed = 1; "native pprov: publish failed" }
            else {
                "native pprov: published in $([int]((Get-Date) - $started).TotalSeconds) s"
                $classes = Get-ChildItem tests/PrivateProvisioning.Tests -Recurse -Filter *.cs |
                    Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' } |
                    Where-Object { (Get-Content $_.FullName -Raw) -match '\bPprov\(|BackgroundPprov\(|PprovStartInfo\(' } |
                    ForEach-Object { [regex]::Matches((Get-Content $_.FullName -Raw), '\bclass (\w+Tests)\b') | ForEach-Object { $_.Groups[1].Value } } |
                    Sort-Object -Unique
                $filter = ($classes | ForEach-Object { "FullyQualifiedName~.$_." }) -join '|'
                $env:PPROV_UNDER_TEST = Join-Path $PSScriptRoot 'out/pprov/pprov'
                try {
                    & dotnet test tests/PrivateProvisioning.Tests -c $Configuration --no-build --filter $filter 2>&1 | ForEach-Object {
                        $_
                        & $collectFailure "$_"
                        if ("$_" -match '(Passed|Failed)!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)') {
                            $native.Failed += [int]$Matches[2]; $native.Passed += [int]$Matches[3]; $native.Skipped += [int]$Matches[4]
                        }
                    }
                    if ($LASTEXITCODE -ne 0 -and $native.Failed -eq 0) { $native.Failed = 1 }
                }
                finally { Remove-Item Env:PPROV_UNDER_TEST }
                "native pprov: $($classes.Count) test classes in $([int]((Get-Date) - $started).TotalSeconds) s with the publish"
            }
            Invoke-Dotnet publish src/PrivateProvisioning -c $Configuration
            $counts = Join-Path ([IO.Path]::GetTempPath()) "pprov-pester-$PID.json"
            Invoke-ChildPwsh -NoProfile -File (Join-Path $PSScriptRoot 'tests/pester/Invoke-PesterSuite.ps1') -CountsPath $counts
            $pester = if (Test-Path $counts) { Get-Content $counts -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
            Remove-Item $counts -ErrorAction SilentlyContinue
            if ($failures.Count -gt 0) { 'failed xunit tests:'; $failures }
            "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
            "xunit, native pprov: $($native.Passed) passed, $($native.Failed) failed, $($native.Skipped) skipped"
            "pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
            "tests: $($xunit.Passed + $native.Passed + $pester.Passed) passed, $($xunit.Failed + $native.Failed + $pester.Failed) failed, $($xunit.Skipped + $native.Skipped + $pester.Skipped) skipped"
            if ($xunit.Failed + $native.Failed + $pester.Failed -gt 0) { exit 1 }
        }
        'Docs' {
            if (-not (Test-Path $moduleOut)) { Invoke-Dotnet publish src/PrivateProvisioning -c $Configuration }
            Invoke-ChildPwsh -NoProfile -Command "Import-Module platyPS; Import-Module '$moduleOut'; Update-MarkdownHelpModule -Path docs/en-US -RefreshModulePage -AlphabeticParamsOrder:`$false | Out-Null; New-ExternalHelp -Path docs/en-US -OutputPath '$moduleOut/en-US' -Force | Out-Null"
            if ($LASTEXITCODE -ne 0) { throw "platyPS failed" }
        }
        'Package' {
            Invoke-Dotnet publish src/PrivateProvisioning -c $Configuration
            Invoke-ChildPwsh -NoProfile -Command "Register-PSResourceRepository -Name ppLocal -Uri '$PSScriptRoot/out' -Trusted -ErrorAction SilentlyContinue; Publish-PSResource -Path '$moduleOut' -Repository ppLocal"
            if ($LASTEXITCODE -ne 0) { throw "packaging failed" }
        }
    }
}
