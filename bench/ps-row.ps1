# The PowerShell side of bench/run.sh: the same work through the cmdlets, in one warm session.
# Imports the module once, runs the whole work once untimed (JIT and its tiering, certificate loading, first calls:
# a first run of 10,000 signatures in a fresh session took 2.2-2.6 s where the warm ones took 1.6 s, and a warm-up on
# 100 inputs left most of that in the first timed run), then -Pairs timed runs, each into a fresh folder. Prints one
# line per timed run: "seconds[ accepted]".
# Called by bench/run.sh; run by hand only to debug it.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [ValidateSet('protect', 'sign', 'generate', 'resync')] [string] $Work,
    [Parameter(Mandatory)] [string] $OutRoot,
    [int] $Pairs = 3,
    [string] $Source,        # protect, sign: folder of the inputs
    [string] $List,          # protect, sign: file names in $Source, one a line
    [string] $KeyFile,       # protect
    [string] $Certificate,   # sign
    [string] $Accounts,      # generate: CSV
    [string] $Phones,        # resync: CSV
    [string] $Scenario,      # resync: sipp UAS scenario
    [int] $Port              # resync: the UAS port named in $Phones
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$null = New-Item -ItemType Directory -Force $OutRoot

function Invoke-Work([string] $out, [object[]] $slice, [string] $csv) {
    switch ($Work) {
        'protect' {
            $key = ConvertTo-SecureString ([IO.File]::ReadAllText($KeyFile)) -AsPlainText -Force
            @(Protect-ProfileFile -LiteralPath $slice -Compress -Key $key -Destination $out).Count
        }
        'sign' { @(Protect-ProfileFile -LiteralPath $slice -SigningCertificate $Certificate -Destination $out).Count }
        'generate' { @(New-ProvisioningProfile -AccountsPath $csv -Format CiscoSpa -Destination $out -StatePath "$out.state").Count }
        'resync' {
            # A fresh phone (sipp UAS) per run, as bench/run.sh gives pprov.
            $uas = Start-Process sipp -PassThru -RedirectStandardOutput "$out.sipp.log" -ArgumentList @(
                '-sf', $Scenario, '-i', '127.0.0.1', '-p', $Port, '-m', $slice.Count, '-buff_size', 4194304, '-nostdin', '-timeout', '120s')
            Start-Sleep -Milliseconds 500
            try { @($slice | Invoke-PhoneResync -Method SipNotify -ThrottleLimit 100 -TimeoutSeconds 5 | Where-Object Outcome -eq Accepted).Count }
            finally { Stop-Process -Id $uas.Id -ErrorAction SilentlyContinue; $uas.WaitForExit() }
        }
    }
}

$inputs = switch ($Work) {
    { $_ -in 'protect', 'sign' } { @(Get-Content $List | ForEach-Object { Join-Path $Source $_ }) }
    'resync' { @(Import-Csv $Phones) }
    default { @() }
}
# Warm-up: the whole work once, untimed.
$null = Invoke-Work (Join-Path $OutRoot 'ps-warm') $inputs $Accounts
for ($p = 1; $p -le $Pairs; $p++) {
    [GC]::Collect()
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $count = Invoke-Work (Join-Path $OutRoot "ps$p") $inputs $Accounts
    $watch.Stop()
    "{0} {1}" -f $watch.Elapsed.TotalSeconds.ToString([Globalization.CultureInfo]::InvariantCulture), $count
}
