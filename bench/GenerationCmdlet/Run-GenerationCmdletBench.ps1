#Requires -Version 7.0
<#
.SYNOPSIS
    New-ProvisioningProfile in a warm PowerShell session against `pprov generate`, for the same rows.
.DESCRIPTION
    Run by hand on an idle machine, never in CI:
        dotnet tool restore
        dotnet pwsh -NoProfile -File bench/GenerationCmdlet/Run-GenerationCmdletBench.ps1 [-Rows 20000] [-Pairs 3] [-NoBuild]

    Publishes the module (out/PrivateProvisioning) and pprov (out/pprov, as installed: ReadyToRun), writes an
    accounts CSV (the shape of bench/Generation: 10 columns, 4 groups, quoted display names) and a template store
    with the groups assigned, imports the module into this session and warms it with a small run. Then, per pair,
    alternately: pprov as a whole process (start-up included, output to a log file as from cron) and the cmdlet
    in this session, each into a new folder (a first run: every file created) and again into the same folder (an
    unchanged run, answered from the generation state). The cmdlet is measured three ways: -AccountsPath (Core's
    CSV reader), -InputObject with rows already in memory, and the whole `Import-Csv | New-ProvisioningProfile`
    pipeline. Output folders are removed at the end only: on this VM's ext4 a create right after deleting tens
    of thousands of files is slowed by inode reuse (see docs/performance.md), which would favour whichever side
    ran first. Prints a Markdown table of medians (min-max) and the cmdlet/pprov ratio, for wall time and for CPU
    time (user + system: of pprov's process under /usr/bin/time, of this session for the cmdlet).
#>
[CmdletBinding()]
param(
    [int] $Rows = 20000,
    [int] $Pairs = 3,
    [string] $WorkDirectory = (Join-Path $PSScriptRoot '../../bench-work/generation-cmdlet'),
    [switch] $NoBuild
)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not $NoBuild) {
    & dotnet publish (Join-Path $repo 'src/PrivateProvisioning') -c Release | Out-Null
    if ($LASTEXITCODE) { throw 'dotnet publish src/PrivateProvisioning failed' }
    & dotnet publish (Join-Path $repo 'src/pprov') -c Release -o (Join-Path $repo 'out/pprov') | Out-Null
    if ($LASTEXITCODE) { throw 'dotnet publish src/pprov failed' }
}
$pprov = Join-Path $repo 'out/pprov/pprov'
New-Item -ItemType Directory -Force $WorkDirectory | Out-Null
$work = (Resolve-Path $WorkDirectory).Path
$runs = Join-Path $work ("runs-" + [DateTime]::UtcNow.ToString('HHmmss'))
New-Item -ItemType Directory $runs | Out-Null

# The accounts and the store.
$csv = Join-Path $work "accounts-$Rows.csv"
if (-not (Test-Path $csv)) {
    $writer = [IO.StreamWriter]::new($csv, $false, [Text.UTF8Encoding]::new($false), 65536)
    try {
        $writer.Write("MacAddress,Model,Group,UserId,AuthId,Password,DisplayName,Extension,SipServer,Station_Name`n")
        $groups = 'sales', 'lab', 'support', ''
        for ($i = 0; $i -lt $Rows; $i++) {
            $m = (0x000E08000000L + $i).ToString('X12')
            $mac = ($m -split '(..)' -ne '') -join ':'
            $writer.Write("$mac,SPA504G,$($groups[$i % 4]),u$i,a$i,pw-$($i * 7919 % 1000003),`"User $i, Dept $($i % 50)`",$(1000 + $i),pbx$($i % 3).example.com,Desk $i`n")
        }
    }
    finally { $writer.Dispose() }
}
$store = Join-Path $work 'store'
if (-not (Test-Path $store)) {
    & $pprov template new office --store $store --param CiscoSpa:Resync_Periodic=3600 | Out-Null
    & $pprov template new lab --store $store --based-on office --param CiscoSpa:Resync_Periodic=600 | Out-Null
    foreach ($g in 'sales', 'support') { & $pprov group set $g office --store $store | Out-Null }
    & $pprov group set lab lab --store $store | Out-Null
}

Import-Module (Join-Path $repo 'out/PrivateProvisioning') -Force
$ProgressPreference = 'SilentlyContinue'   # as in a scheduled task; the console's progress bar is not the engine's cost
# Warm the session (JIT, the template store, the CSV reader) on a small list of the same shape.
$warm = Join-Path $runs 'warm.csv'
Get-Content $csv -TotalCount 2001 | Set-Content $warm
New-ProvisioningProfile -AccountsPath $warm CiscoSpa (Join-Path $runs 'warm1') -Store $store -NoState | Out-Null
Import-Csv $warm | New-ProvisioningProfile CiscoSpa (Join-Path $runs 'warm2') -Store $store -NoState | Out-Null
$inMemory = Import-Csv $csv

# Wall seconds, and CPU seconds (user + system) of this session or, for pprov, of its process (/usr/bin/time):
# on a shared machine the CPU figure is the steadier one.
$cpuFile = Join-Path $runs 'pprov.cpu'
function Measure-Seconds([scriptblock] $Action, [switch] $ChildProcess) {
    [GC]::Collect()
    $self = [Diagnostics.Process]::GetCurrentProcess()
    $cpu0 = $self.TotalProcessorTime.TotalSeconds
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Action
    $wall = $watch.Elapsed.TotalSeconds
    $self.Refresh()
    $cpu = if ($ChildProcess) { ((Get-Content $cpuFile -Tail 1) -split ' ' | ForEach-Object { [double]$_ } | Measure-Object -Sum).Sum }
           else { $self.TotalProcessorTime.TotalSeconds - $cpu0 }
    [pscustomobject]@{ Wall = $wall; Cpu = $cpu }
}

$times = [ordered]@{}
function Add-Time([string] $Name, [double] $Seconds) {
    if (-not $times.Contains($Name)) { $times[$Name] = [Collections.Generic.List[double]]::new() }
    $times[$Name].Add($Seconds)
}

for ($pair = 1; $pair -le $Pairs; $pair++) {
    Write-Host "pair $pair of $Pairs"
    $log = Join-Path $runs 'pprov.log'
    # The order turns each pair, so that no side always follows pprov's 20,000 fresh files (the kernel makes a writer
    # that follows a burst of dirty pages pay for their writeback: the side after pprov paid 2-3x in CPU time).
    $sides = 'pprov', 'path', 'array', 'pipeline'
    $order = foreach ($k in 0..($sides.Count - 1)) { $sides[($k + $pair - 1) % $sides.Count] }
    foreach ($side in $order) {
        $out = Join-Path $runs "$side-$pair"
        $state = Join-Path $runs "$side-$pair.state"
        $generate = switch ($side) {
            'pprov' { { & /usr/bin/time -f '%U %S' -o $cpuFile $pprov generate --accounts $csv --format CiscoSpa --out $out --store $store --state $state *> $log; if ($LASTEXITCODE) { throw "pprov failed: $(Get-Content $log -Tail 3)" } } }
            'path' { { New-ProvisioningProfile -AccountsPath $csv CiscoSpa $out -Store $store -StatePath $state | Out-Null } }
            'array' { { New-ProvisioningProfile -InputObject $inMemory CiscoSpa $out -Store $store -StatePath $state | Out-Null } }
            'pipeline' { { Import-Csv $csv | New-ProvisioningProfile CiscoSpa $out -Store $store -StatePath $state | Out-Null } }
        }
        foreach ($run in 'first', 'unchanged') {
            $m = Measure-Seconds $generate -ChildProcess:($side -eq 'pprov')
            Add-Time "$side $run" $m.Wall
            Add-Time "$side $run cpu" $m.Cpu
        }
        if ((Get-ChildItem $out -Filter *.xml).Count -ne $Rows) { throw "$side wrote $((Get-ChildItem $out).Count) files, not $Rows" }
    }
}

function Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][Math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
function Show([string] $name) { $v = $times[$name]; '{0:N3} s ({1:N3}-{2:N3})' -f (Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum }

$load = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { '?' }
"$Rows rows, $Pairs pairs, $([DateTime]::UtcNow.ToString('dd MMM yyyy HH:mm')) UTC, load average after: $load"
''
'| run | pprov generate (process) | cmdlet -AccountsPath | ratio | cmdlet -InputObject (rows in memory) | ratio | Import-Csv \| cmdlet | ratio |'
'|---|---|---|---|---|---|---|---|'
foreach ($run in 'first', 'unchanged') {
    $p = Median $times["pprov $run"]
    $cells = foreach ($side in 'path', 'array', 'pipeline') { Show "$side $run"; '{0:N2}x' -f ((Median $times["$side $run"]) / $p) }
    "| $run, wall | $(Show "pprov $run") | $($cells -join ' | ') |"
    $p = Median $times["pprov $run cpu"]
    $cells = foreach ($side in 'path', 'array', 'pipeline') { Show "$side $run cpu"; '{0:N2}x' -f ((Median $times["$side $run cpu"]) / $p) }
    "| $run, CPU | $(Show "pprov $run cpu") | $($cells -join ' | ') |"
}
Remove-Item -Recurse -Force $runs
