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
    # Each file's name and SHA-256, in name order (.NET and a foreach statement: Get-FileHash and ForEach-Object
    # are slow over 10,000 files).
    function script:Get-Tree([string] $Folder) {
        $files = [IO.Directory]::GetFiles($Folder, '*', [IO.SearchOption]::AllDirectories)
        [Array]::Sort($files, [StringComparer]::Ordinal)
        $sha = [Security.Cryptography.SHA256]::Create()
        try { foreach ($f in $files) { '{0} {1}' -f $f.Substring($Folder.Length), [BitConverter]::ToString($sha.ComputeHash([IO.File]::ReadAllBytes($f))) } }
        finally { $sha.Dispose() }
    }
    function script:Get-Names([string] $Folder) {
        $names = [IO.Directory]::GetFiles($Folder) | ForEach-Object { [IO.Path]::GetFileName($_) }
        [Array]::Sort($names, [StringComparer]::Ordinal)
        $names
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

    It 'writes the same tree as pprov over 10,000 mixed rows, reports each bad row, and prunes exactly the retired phones with their copies' {
        # 10,000 phones of every family, the encrypted phone last; every 500th row (from 250) names an unknown
        # model, every 2000th (from 1999) neither a Format nor a Model: each is an error naming its row.
        $fleet = 10000
        $unknown = @(0..($fleet - 1) | Where-Object { $_ % 500 -eq 250 })
        $noFamily = @(0..($fleet - 1) | Where-Object { $_ % 2000 -eq 1999 })
        $csv = Join-Path $Dir 'accounts.csv'
        function Write-List([int[]] $Indexes, [int[]] $FailingTemplate = @()) {
            $lines = [Collections.Generic.List[string]]::new()
            $lines.Add('MacAddress,Format,Model,Group,Template,UserId,Password,DisplayName,Extension,SipServer')
            foreach ($i in $Indexes) {
                $family = $i % 5
                $model = if ($i -in $unknown) { 'Nokia 6310' } elseif ($i -in $noFamily) { '' } else { @('SPA504G', 'CP-7965G', 'KX-HDV230', '', 'Linphone Android')[$family] }
                $format = if ($family -eq 3 -and $i -notin $noFamily) { 'PrivateWave' } else { '' }
                $template = if ($i -in $FailingTemplate) { 'no-such-template' } else { '' }
                $lines.Add(('00:0E:08:{0:X2}:{1:X2}:{2:X2},{3},{4},{5},{6},u{7},pw-{7},User {7},{8},pbx.example.com' -f
                    ($i -shr 8), ($i -band 255), $family, $format, $model, $(if ($family -ge 3) { 'mobile' } else { 'sales' }), $template, $i, (1000 + $i)))
            }
            $lines.Add('00:11:22:33:44:55,CiscoSep,CP-7965G,sales,,u9,pw-9,Special,9,pbx.example.com')
            [IO.File]::WriteAllLines($csv, $lines)
        }
        $badRows = @($unknown + $noFamily | ForEach-Object { $_ + 1 } | Sort-Object)
        Write-List (0..($fleet - 1))
        $cmdletOut = Join-Path $Dir 'cmdlet'; $pprovOut = Join-Path $Dir 'pprov'

        $results = Import-Csv $csv | New-ProvisioningProfile -Destination $cmdletOut -Store $Store -Summary -ErrorVariable errs -ErrorAction SilentlyContinue
        $summary = $results[-1]
        $summary.Created | Should -Be ($fleet + 1 - $badRows.Count)
        $summary.Failed | Should -Be $badRows.Count
        $summary.ExitCode | Should -Be 1
        $errs.Count | Should -Be $badRows.Count
        @($errs | ForEach-Object { if ($_.Exception.Message -match '^Row (\d+), column') { [int] $Matches[1] } }) | Should -Be $badRows
        @($errs | Where-Object { $_.FullyQualifiedErrorId -match '^UnknownModel' }).Count | Should -Be $unknown.Count
        @($errs | Where-Object { $_.FullyQualifiedErrorId -match '^RowWithoutFormat' }).Count | Should -Be $noFamily.Count
        $errs[0].Exception.Message | Should -Match "Row 251, column 'Model': 'Nokia 6310' is not in the model catalogue.*CiscoSpa, CiscoSep, Panasonic, PrivateWave, Linphone"
        $p = Invoke-Pprov (Join-Path $Dir 'state-pprov') @('generate', '--accounts', $csv, '--out', $pprovOut, '--store', $Store)
        $p.ExitCode | Should -Be 1
        foreach ($row in $badRows) { $p.Output | Should -Match "Row $row, column '(Model|Format)'" }
        (Get-Tree $cmdletOut) -join "`n" | Should -Be ((Get-Tree $pprovOut) -join "`n")
        [IO.Directory]::GetFiles($cmdletOut).Count | Should -Be ($fleet + 1 - $badRows.Count)

        # The protection step, the cmdlet for one tree and pprov for the other: the Cisco enterprise files signed,
        # one encrypted for its phone, the SPA files gzipped and AES-encrypted (as [--key $SA] reads them). To keep
        # the test quick, only the phones whose index is below 20 modulo 97 (a fifth of the fleet, every phone
        # that retires below among them; not the bad rows, which have no file) get copies.
        $protected = @(0..($fleet - 1) | Where-Object { $_ % 97 -lt 20 -and $_ -notin $unknown -and $_ -notin $noFamily })
        $sep = @($protected | Where-Object { $_ % 5 -eq 1 } | ForEach-Object { 'SEP000E08{0:X4}01.cnf.xml' -f $_ })
        $spa = @($protected | Where-Object { $_ % 5 -eq 0 } | ForEach-Object { '000e08{0:x4}00.xml' -f $_ })
        $key = ConvertTo-SecureString 'nightly-key-1' -AsPlainText -Force
        $keyFile = Join-Path $Dir 'profile.key'; [IO.File]::WriteAllText($keyFile, 'nightly-key-1')
        $sep | ForEach-Object { Join-Path $cmdletOut $_ } | Protect-ProfileFile -SigningCertificate $Tftp | Out-Null
        Protect-ProfileFile (Join-Path $cmdletOut 'SEP001122334455.cnf.xml') -SigningCertificate $Tftp -PhoneCertificate $Phone | Out-Null
        $spa | ForEach-Object { Join-Path $cmdletOut $_ } | Protect-ProfileFile -Compress -Key $key | Out-Null
        (Invoke-Pprov (Join-Path $Dir 'state-pprov') (@('protect', '--sign', $Tftp) + @($sep | ForEach-Object { Join-Path $pprovOut $_ }))).ExitCode | Should -Be 0
        (Invoke-Pprov (Join-Path $Dir 'state-pprov') @('protect', '--sign', $Tftp, '--phone-cert', $Phone, (Join-Path $pprovOut 'SEP001122334455.cnf.xml'))).ExitCode | Should -Be 0
        (Invoke-Pprov (Join-Path $Dir 'state-pprov') (@('protect', '--gzip', '--key-file', $keyFile) + @($spa | ForEach-Object { Join-Path $pprovOut $_ }))).ExitCode | Should -Be 0
        # Files that are not ours: a note, a file named like a phone's, a backup beside a phone that will retire.
        foreach ($out in $cmdletOut, $pprovOut) {
            Set-Content -LiteralPath (Join-Path $out 'notes.txt') -Value 'not ours'
            Set-Content -LiteralPath (Join-Path $out '000e08aaaaaa.xml') -Value '<flat-profile/>'
            Set-Content -LiteralPath (Join-Path $out '000e08000000.xml.bak') -Value 'a hand-made backup'
        }

        # Retire about 1% of the phones (every family) and the encrypted phone; every 1000th row (from 10) still in
        # the list now names a missing template: those rows fail and keep their files.
        $retired = @(0..($fleet - 1) | Where-Object { $_ % 97 -eq 3 -and $_ -notin $unknown -and $_ -notin $noFamily })
        $retiredSet = [Collections.Generic.HashSet[int]]::new([int[]] $retired)
        $failing = @(0..($fleet - 1) | Where-Object { $_ % 1000 -eq 10 -and -not $retiredSet.Contains($_) })
        Write-List @(0..($fleet - 1) | Where-Object { -not $retiredSet.Contains($_) }) -FailingTemplate $failing
        # The list keeps the encrypted phone's row out this time.
        $lines = [IO.File]::ReadAllLines($csv); [IO.File]::WriteAllLines($csv, $lines[0..($lines.Count - 2)])
        $before = Get-Names $cmdletOut
        $failingHashes = $failing | ForEach-Object { Get-FileHash (Join-Path $cmdletOut ('000e08{0:x4}{1:x2}.xml' -f $_, ($_ % 5))) -ErrorAction SilentlyContinue } | Where-Object { $_ }

        $expected = [Collections.Generic.List[string]]::new()
        foreach ($i in $retired) {
            $mac = '000e08{0:x2}{1:x2}{2:x2}' -f ($i -shr 8), ($i -band 255), ($i % 5)
            switch ($i % 5) {
                0 { $expected.Add("$mac.xml"); $expected.Add("$mac.xml.gz.enc") }
                1 { $expected.Add("SEP$($mac.ToUpperInvariant()).cnf.xml"); $expected.Add("SEP$($mac.ToUpperInvariant()).cnf.xml.sgn") }
                2 { $expected.Add("Config$($mac.ToUpperInvariant()).cfg") }
                3 { $expected.Add("$mac.json") }
                4 { $expected.Add("linphone-$mac.xml") }
            }
        }
        'SEP001122334455.cnf.xml', 'SEP001122334455.cnf.xml.sgn', 'SEP001122334455.cnf.xml.enc.sgn' | ForEach-Object { $expected.Add($_) }
        $expected = @($expected | Sort-Object)
        @($retired | ForEach-Object { $_ % 5 } | Sort-Object -Unique) | Should -Be (0..4)   # each family is retired
        @($expected | Where-Object { $_ -like '*.gz.enc' }).Count | Should -BeGreaterThan 10

        $whatIf = Import-Csv $csv | New-ProvisioningProfile -Destination $cmdletOut -Store $Store -Prune -WhatIf -ErrorAction SilentlyContinue
        [IO.Directory]::GetFiles($cmdletOut).Count | Should -Be $before.Count
        $results = Import-Csv $csv | New-ProvisioningProfile -Destination $cmdletOut -Store $Store -Prune -Summary -ErrorVariable errs -ErrorAction SilentlyContinue
        $p = Invoke-Pprov (Join-Path $Dir 'state-pprov') @('generate', '--accounts', $csv, '--out', $pprovOut, '--store', $Store, '--prune')
        $p.ExitCode | Should -Be 1

        $after = [Collections.Generic.HashSet[string]]::new([string[]] (Get-Names $cmdletOut))
        $gone = @($before | Where-Object { -not $after.Contains($_) } | Sort-Object)
        $gone | Should -Be $expected
        @($whatIf | Where-Object { $_ -is [PrivateProvisioning.Core.Templates.Generation.RemovedProfileFile] } | ForEach-Object { Split-Path -Leaf $_.Path } | Sort-Object) |
            Should -Be $expected
        @($results | Where-Object { $_ -is [PrivateProvisioning.Core.Templates.Generation.RemovedProfileFile] }).Count | Should -Be $expected.Count
        $results[-1].Removed | Should -Be $expected.Count
        $results[-1].Failed | Should -Be ($badRows.Count + $failing.Count)
        $results[-1].ExitCode | Should -Be 1
        @($errs | ForEach-Object { if ($_.Exception.Message -match "^Row (\d+), column 'Template'") { [int] $Matches[1] } }).Count | Should -Be $failing.Count
        $p.Output | Should -Match "column 'Template'"
        foreach ($h in $failingHashes) { (Get-FileHash $h.Path).Hash | Should -Be $h.Hash }
        @($failingHashes).Count | Should -Be $failing.Count
        foreach ($kept in 'notes.txt', '000e08aaaaaa.xml', '000e08000000.xml.bak') { Test-Path (Join-Path $cmdletOut $kept) | Should -BeTrue }
        # The signed and encrypted copies differ per run (time stamps, fresh salts and IVs), so compare names there and bytes elsewhere.
        (Get-Names $cmdletOut) -join ',' | Should -Be ((Get-Names $pprovOut) -join ',')
        (Get-Tree $cmdletOut | Where-Object { $_ -notmatch '\.(sgn|enc) ' }) -join "`n" | Should -Be ((Get-Tree $pprovOut | Where-Object { $_ -notmatch '\.(sgn|enc) ' }) -join "`n")
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

    It 'rewrites only the shared file of a partitioned template when the template changes' {
        $store = Join-Path $Dir 'store'
        New-Item -ItemType Directory (Join-Path $store 'templates') | Out-Null
        function Set-Office([string] $Periodic) {
            Set-Content -LiteralPath (Join-Path $store 'templates/office.json') -Value (@{ name = 'office'; parameters = @{ CiscoSpa = [ordered]@{
                'Profile_Rule' = 'https://prov.example.com/$$MA.xml'; '@SharedFile' = 'common/$TEMPLATE.xml'; '@SharedUrl' = 'https://prov.example.com/'
                'Resync_Periodic' = $Periodic } } } | ConvertTo-Json -Depth 4)
        }
        Set-Office 3600
        $rows = 1..40 | ForEach-Object { [pscustomobject]@{ MacAddress = '00:0E:08:00:01:{0:X2}' -f $_; Format = 'CiscoSpa'; Template = 'office'; UserId = "u$_"; Password = "pw$_" } }
        $out = Join-Path $Dir 'out'
        $r = $rows | New-ProvisioningProfile -Destination $out -Store $store -Summary
        $r[-1].Created | Should -Be 41
        Get-Content -Raw (Join-Path $out 'common/office.xml') | Should -Match '<Resync_Periodic>3600</Resync_Periodic>'
        Get-Content -Raw (Join-Path $out '000e08000101.xml') | Should -Match '<Profile_Rule_B>https://prov.example.com/common/office.xml</Profile_Rule_B>'
        $phones = Get-ChildItem (Join-Path $out '*.xml') | ForEach-Object { [pscustomobject]@{ Path = $_.FullName; Hash = (Get-FileHash $_.FullName).Hash; Time = $_.LastWriteTimeUtc } }

        Set-Office 7200
        $r = $rows | New-ProvisioningProfile -Destination $out -Store $store -Summary
        $r[-1].Updated | Should -Be 1
        $r[-1].Unchanged | Should -Be 40
        ($r | Where-Object Status -eq 'Updated').Path | Should -Be (Join-Path $out 'common/office.xml')
        Get-Content -Raw (Join-Path $out 'common/office.xml') | Should -Match '<Resync_Periodic>7200</Resync_Periodic>'
        foreach ($p in $phones) {
            (Get-FileHash $p.Path).Hash | Should -Be $p.Hash
            (Get-Item $p.Path).LastWriteTimeUtc | Should -Be $p.Time
        }
    }

    It 'writes the customer XML of a template with @Alias, which Get-ProfileParameter reads back through the map in its GPP' {
        $store = Join-Path $Dir 'store'
        New-Item -ItemType Directory (Join-Path $store 'templates') | Out-Null
        $map = '/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /customer-account/SIP-password = /flat-profile/Password_1_ ;'
        Set-Content -LiteralPath (Join-Path $store 'templates/customer.json') -Value (@{ name = 'customer'; parameters = @{ CiscoSpa = [ordered]@{
            '@SharedFile' = 'common/$TEMPLATE.xml'; '@SharedUrl' = 'https://prov.example.com/'; '@Alias' = 'a'; 'GPP_A' = $map
            'Profile_Rule' = '[--alias a] https://prov.example.com/$$MA.xml'; 'Resync_Periodic' = '3600' } } } | ConvertTo-Json -Depth 4)
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ MacAddress = '00:0E:08:00:02:{0:X2}' -f $_; Format = 'CiscoSpa'; Template = 'customer'; UserId = "55500$_"; Password = "pw&$_"; SipServer = 'pbx.example.com' } }
        $out = Join-Path $Dir 'out'
        $r = $rows | New-ProvisioningProfile -Destination $out -Store $store -Summary
        $r[-1].ExitCode | Should -Be 0
        $phone = Get-Content -Raw (Join-Path $out '000e08000201.xml')
        $phone | Should -Match '<customer-account>'
        $phone | Should -Match '<SIP-number>555001</SIP-number>'
        $phone | Should -Not -Match 'User_ID_1_'

        $stored = (Get-ProfileParameter -Path (Join-Path $out 'common/customer.xml') -Name GPP_A).Value
        $stored | Should -Be $map
        (Get-ProfileParameter -Path (Join-Path $out 'common/customer.xml') -Name Profile_Rule).Value | Should -Be '[--alias a] https://prov.example.com/$MA.xml'
        $p = Get-ProfileParameter -Path (Join-Path $out '000e08000201.xml') -AliasMap $stored
        ($p | Where-Object Name -eq 'User_ID_1_').Value | Should -Be '555001'
        ($p | Where-Object Name -eq 'Password_1_').IsSecret | Should -BeTrue
        ($p | Where-Object Name -eq 'Password_1_').Value | Should -BeNullOrEmpty
        ($p | Where-Object Name -eq 'Profile_Rule_B').Value | Should -Be 'https://prov.example.com/common/customer.xml'
        (Get-ProfileParameter -Path (Join-Path $out '000e08000201.xml') -AliasMap $stored -Name Password_1_ -AsPlainText).Value | Should -Be 'pw&1'

        # A map the phone would read differently fails the row by name, the others go on.
        Set-Content -LiteralPath (Join-Path $store 'templates/customer.json') -Value (@{ name = 'customer'; parameters = @{ CiscoSpa = [ordered]@{
            '@Alias' = 'a'; 'GPP_A' = '/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /Resync_Periodic = /flat-profile/Resync_Error_Retry_Delay ;'
            'Profile_Rule' = '[--alias a] https://prov.example.com/$$MA.xml'; 'Resync_Periodic' = '3600' } } } | ConvertTo-Json -Depth 4)
        $rows | Select-Object -First 1 | New-ProvisioningProfile -Destination (Join-Path $Dir 'bad') -Store $store -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs[0].FullyQualifiedErrorId | Should -Match '^ValueNotRepresentable'
        $errs[0].Exception.Message | Should -Match "Row 1, .*'Resync_Periodic'.*would not read"
    }
}

