# The scheduled run through the cmdlet and through pprov: a mixed list of every family, signed and encrypted
# copies, retired, failing and unknown-model rows, and a prune - both front ends leave the same tree.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Store = Join-Path $script:RepoRoot 'examples/store'
    $script:Pprov = Join-Path $script:RepoRoot 'src/pprov/bin/Release/net10.0/pprov.dll'
    if (-not (Test-Path $script:Pprov)) { & dotnet build (Join-Path $script:RepoRoot 'src/pprov') -c Release --nologo -v q | Out-Null }
    $script:Tftp = Join-Path $script:RepoRoot 'tests/vectors/cisco/certs/asterisk.pem'
    $script:Phone = Join-Path $script:RepoRoot 'tests/vectors/cisco/certs/phone-SEP001122334455.pem'

    # Row i: the families in turn, by Model (the PrivateWave rows by their Format column).
    function script:New-Row([int] $i, [string] $Template = '') {
        $family = $i % 5
        $model = @('SPA504G', 'CP-7965G', 'KX-HDV230', '', 'Linphone Android')[$family]
        [pscustomobject][ordered]@{
            MacAddress = '00:0E:08:{0:X2}:{1:X2}:{2:X2}' -f ($i -shr 8), ($i -band 255), $family
            Format = if ($family -eq 3) { 'PrivateWave' } else { '' }
            Model = $model; Group = if ($family -ge 3) { 'mobile' } else { 'sales' }; Template = $Template
            UserId = "u$i"; Password = "pw-$i"; DisplayName = "User $i"; Extension = "$(1000 + $i)"; SipServer = 'pbx.example.com'
        }
    }
    function script:Special([string] $Mac, [string] $Format, [string] $Model) {
        [pscustomobject][ordered]@{ MacAddress = $Mac; Format = $Format; Model = $Model; Group = 'sales'; Template = ''
            UserId = 'u9'; Password = 'pw-9'; DisplayName = 'Special'; Extension = '9'; SipServer = 'pbx.example.com' }
    }
    function script:Get-Tree([string] $Folder) {
        Get-ChildItem -LiteralPath $Folder -File -Recurse | Sort-Object Name | ForEach-Object {
            '{0} {1}' -f $_.Name, (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash
        }
    }
    # pprov with its own state folder, as the other account's cron job would run it.
    function script:Invoke-Pprov([string] $State, [string[]] $Arguments) {
        $saved = $env:XDG_STATE_HOME, $env:XDG_CACHE_HOME
        try
        {
            $env:XDG_STATE_HOME = $State; $env:XDG_CACHE_HOME = "$State-cache"
            $out = & dotnet $script:Pprov @Arguments 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out -join "`n") }
        }
        finally { $env:XDG_STATE_HOME, $env:XDG_CACHE_HOME = $saved }
    }
}

Describe 'New-ProvisioningProfile over a mixed fleet' {
    BeforeEach {
        $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ("pprov-fleet-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $Dir | Out-Null
        $script:SavedState = $env:XDG_STATE_HOME, $env:XDG_CACHE_HOME
        $env:XDG_STATE_HOME = Join-Path $Dir 'state-cmdlet'
        $env:XDG_CACHE_HOME = Join-Path $Dir 'cache-cmdlet'
    }
    AfterEach {
        $env:XDG_STATE_HOME, $env:XDG_CACHE_HOME = $SavedState
        Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
    }

    It 'writes the same tree as pprov, reports each bad row, and prunes exactly the retired phones with their copies' {
        $rows = @(0..199 | ForEach-Object { New-Row $_ }) + @(
            (Special '00:11:22:33:44:55' 'CiscoSep' 'CP-7965G'),
            (Special '00:0E:08:FF:00:01' '' 'Nokia 6310'),
            (Special '00:0E:08:FF:00:02' '' ''))
        $csv = Join-Path $Dir 'accounts.csv'
        $rows | Export-Csv -LiteralPath $csv -NoTypeInformation -Encoding utf8
        $cmdletOut = Join-Path $Dir 'cmdlet'; $pprovOut = Join-Path $Dir 'pprov'

        $results = Import-Csv $csv | New-ProvisioningProfile -Destination $cmdletOut -Store $Store -Summary -ErrorVariable errs -ErrorAction SilentlyContinue
        $summary = $results[-1]
        $summary.Created | Should -Be 201
        $summary.Failed | Should -Be 2
        $summary.ExitCode | Should -Be 1
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Match '^UnknownModel'
        $errs[0].Exception.Message | Should -Match "Row 202, column 'Model': 'Nokia 6310' is not in the model catalogue.*CiscoSpa, CiscoSep, Panasonic, PrivateWave, Linphone"
        $errs[1].FullyQualifiedErrorId | Should -Match '^RowWithoutFormat'
        $p = Invoke-Pprov (Join-Path $Dir 'state-pprov') @('generate', '--accounts', $csv, '--out', $pprovOut, '--store', $Store)
        $p.ExitCode | Should -Be 1
        $p.Output | Should -Match "Row 202, column 'Model'"
        Get-Tree $cmdletOut | Should -Be (Get-Tree $pprovOut)
        @(Get-ChildItem $cmdletOut -File).Count | Should -Be 201

        # Sign the Cisco enterprise files, encrypt one for its phone, gzip the SPA files: the cmdlet for one tree, pprov for the other.
        Get-ChildItem (Join-Path $cmdletOut 'SEP*.cnf.xml') | Protect-ProfileFile -SigningCertificate $Tftp | Out-Null
        Protect-ProfileFile (Join-Path $cmdletOut 'SEP001122334455.cnf.xml') -SigningCertificate $Tftp -PhoneCertificate $Phone | Out-Null
        Get-ChildItem (Join-Path $cmdletOut '000e08*.xml') | Protect-ProfileFile -Compress | Out-Null
        $sep = @(Get-ChildItem (Join-Path $pprovOut 'SEP*.cnf.xml')).FullName
        (Invoke-Pprov (Join-Path $Dir 'state-pprov') (@('protect', '--sign', $Tftp) + $sep)).ExitCode | Should -Be 0
        (Invoke-Pprov (Join-Path $Dir 'state-pprov') @('protect', '--sign', $Tftp, '--phone-cert', $Phone, (Join-Path $pprovOut 'SEP001122334455.cnf.xml'))).ExitCode | Should -Be 0
        (Invoke-Pprov (Join-Path $Dir 'state-pprov') (@('protect', '--gzip') + @(Get-ChildItem (Join-Path $pprovOut '000e08*.xml')).FullName)).ExitCode | Should -Be 0
        foreach ($out in $cmdletOut, $pprovOut) { Set-Content -LiteralPath (Join-Path $out 'notes.txt') -Value 'not ours' }

        # Retire one phone of each family and the encrypted phone; row of phone 10 now names a missing template.
        $retired = 0, 6, 7, 13, 19
        $next = @(0..199 | Where-Object { $_ -notin $retired } | ForEach-Object { if ($_ -eq 10) { New-Row $_ -Template 'no-such-template' } else { New-Row $_ } }) +
            @((Special '00:0E:08:FF:00:01' '' 'Nokia 6310'))
        $next | Export-Csv -LiteralPath $csv -NoTypeInformation -Encoding utf8
        $before = Get-ChildItem $cmdletOut -File | Select-Object -ExpandProperty Name
        $failing = Get-FileHash (Join-Path $cmdletOut '000e08000a00.xml')

        $whatIf = Import-Csv $csv | New-ProvisioningProfile -Destination $cmdletOut -Store $Store -Prune -WhatIf -ErrorAction SilentlyContinue
        @(Get-ChildItem $cmdletOut -File).Count | Should -Be $before.Count
        $results = Import-Csv $csv | New-ProvisioningProfile -Destination $cmdletOut -Store $Store -Prune -Summary -ErrorVariable errs -ErrorAction SilentlyContinue
        $p = Invoke-Pprov (Join-Path $Dir 'state-pprov') @('generate', '--accounts', $csv, '--out', $pprovOut, '--store', $Store, '--prune')
        $p.ExitCode | Should -Be 1

        $expected = 'SEP000E08000601.cnf.xml', 'SEP000E08000601.cnf.xml.sgn', '000e08000000.xml', '000e08000000.xml.gz', 'Config000E08000702.cfg',
            '000e08000d03.json', 'linphone-000e08001304.xml', 'SEP001122334455.cnf.xml', 'SEP001122334455.cnf.xml.sgn', 'SEP001122334455.cnf.xml.enc.sgn'
        $gone = $before | Where-Object { -not (Test-Path -LiteralPath (Join-Path $cmdletOut $_)) }
        ($gone | Sort-Object) | Should -Be ($expected | Sort-Object)
        ($whatIf | Where-Object { $_ -is [PrivateProvisioning.Core.Templates.Generation.RemovedProfileFile] }).Path | Split-Path -Leaf | Sort-Object |
            Should -Be ($expected | Sort-Object)
        $removed = $results | Where-Object { $_ -is [PrivateProvisioning.Core.Templates.Generation.RemovedProfileFile] }
        @($removed).Count | Should -Be $expected.Count
        $results[-1].Removed | Should -Be $expected.Count
        $results[-1].Failed | Should -Be 2
        $results[-1].ExitCode | Should -Be 1
        ($errs | Where-Object { $_.Exception.Message -match "column 'Template'" }) | Should -Not -BeNullOrEmpty
        (Get-FileHash (Join-Path $cmdletOut '000e08000a00.xml')).Hash | Should -Be $failing.Hash
        Test-Path (Join-Path $cmdletOut 'notes.txt') | Should -BeTrue
        # The signed and encrypted copies differ per run (fresh IVs), so compare names there and bytes for the generated files.
        (Get-ChildItem $cmdletOut -File).Name | Sort-Object | Should -Be ((Get-ChildItem $pprovOut -File).Name | Sort-Object)
        Get-Tree $cmdletOut | Where-Object { $_ -notmatch '\.(sgn|gz) ' } | Should -Be (Get-Tree $pprovOut | Where-Object { $_ -notmatch '\.(sgn|gz) ' })
    }

    It 'refuses a prune beyond the threshold unless -Force, and one format with other rows unless skipped' {
        $rows = 0..19 | ForEach-Object { New-Row $_ }
        $rows | New-ProvisioningProfile -Destination (Join-Path $Dir 'out') -Store $Store | Out-Null
        $r = $rows | Select-Object -First 15 | New-ProvisioningProfile -Destination (Join-Path $Dir 'out') -Store $Store -Prune -Summary -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Match '^PruneThresholdExceeded'
        $r[-1].Removed | Should -Be 0
        $r[-1].PruneRefused | Should -BeTrue
        @(Get-ChildItem (Join-Path $Dir 'out')).Count | Should -Be 20
        # -WhatIf says the prune would be refused and still lists what -Force would remove.
        $r = $rows | Select-Object -First 15 | New-ProvisioningProfile -Destination (Join-Path $Dir 'out') -Store $Store -Prune -WhatIf -Summary -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Match '^PruneThresholdExceeded'
        $errs[0].Exception.Message | Should -Match 'Nothing would be pruned: 5 of the 20 recorded phones.*The 5 files listed are what a forced prune would remove'
        $listed = @($r | Where-Object { $_ -is [PrivateProvisioning.Core.Templates.Generation.RemovedProfileFile] })
        $listed.Count | Should -Be 5
        $listed | ForEach-Object { $_.WhatIf | Should -BeTrue; $_.NeedsForce | Should -BeTrue }
        ($listed.Path | Split-Path -Leaf | Sort-Object) | Should -Be (@('000e08000f00.xml', 'SEP000E08001001.cnf.xml', 'Config000E08001102.cfg', '000e08001203.json', 'linphone-000e08001304.xml') | Sort-Object)
        $r[-1].PruneRefused | Should -BeTrue
        $r[-1].Removed | Should -Be 0
        @(Get-ChildItem (Join-Path $Dir 'out')).Count | Should -Be 20
        $r = $rows | Select-Object -First 15 | New-ProvisioningProfile -Destination (Join-Path $Dir 'out') -Store $Store -Prune -Force -WhatIf
        ($r | Where-Object { $_ -is [PrivateProvisioning.Core.Templates.Generation.RemovedProfileFile] }).NeedsForce | Should -Not -Contain $true
        @(Get-ChildItem (Join-Path $Dir 'out')).Count | Should -Be 20
        $r = $rows | Select-Object -First 15 | New-ProvisioningProfile -Destination (Join-Path $Dir 'out') -Store $Store -Prune -Force -Summary
        $r[-1].Removed | Should -Be 5
        $r[-1].ExitCode | Should -Be 0

        $r = $rows | New-ProvisioningProfile Panasonic (Join-Path $Dir 'one') -Store $Store -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 4
        $errs.Count | Should -Be 16
        $errs[0].FullyQualifiedErrorId | Should -Match '^RowOfOtherFormat'
        $r = $rows | New-ProvisioningProfile Panasonic (Join-Path $Dir 'one') -Store $Store -SkipOtherFormats -ErrorVariable errs
        $errs.Count | Should -Be 0
        @($r).Count | Should -Be 4
    }
}
