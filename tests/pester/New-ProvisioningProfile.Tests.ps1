# The main job: Import-Csv | New-ProvisioningProfile, and the same rows as an array, as hashtables or as a CSV file
# read by Core (-AccountsPath); error records, -WhatIf, progress, group warnings and the generation state.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Examples = Join-Path $script:RepoRoot 'examples'
    $script:ExampleStore = Join-Path $Examples 'store'
    # The default generation state lives under $XDG_CACHE_HOME: keep this run's out of the user's cache.
    $script:SavedCache = $env:XDG_CACHE_HOME
    $env:XDG_CACHE_HOME = Join-Path ([IO.Path]::GetTempPath()) ("pprov-pester-cache-" + [guid]::NewGuid().ToString('N'))

    # N rows of an accounts CSV.
    function New-AccountsCsv([string] $Path, [int] $Count) {
        $lines = [Collections.Generic.List[string]]::new()
        $lines.Add('MacAddress,UserId,Password,DisplayName')
        for ($i = 1; $i -le $Count; $i++) { $lines.Add(('00:0E:08:{0:X2}:{1:X2}:{2:X2},u{3},Secret-{3},User {3}' -f (($i -shr 16) -band 255), (($i -shr 8) -band 255), ($i -band 255), $i)) }
        [IO.File]::WriteAllLines($Path, $lines)
    }

    # Runs a script in a runspace of its own (the module imported there once), to read the progress records it writes.
    $script:ProgressRunspace = [runspacefactory]::CreateRunspace()
    $ProgressRunspace.Open()
    function Get-ProgressRecord([string] $Script) {
        $ps = [powershell]::Create()
        try {
            $ps.Runspace = $ProgressRunspace
            $null = $ps.AddScript("`$ProgressPreference = 'Continue'; Import-Module '$ModulePath'; " + $Script).Invoke()
            if ($ps.Streams.Error.Count) { throw $ps.Streams.Error[0] }
            @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }
    }
}
AfterAll {
    $ProgressRunspace.Dispose()
    Remove-Item -Recurse -Force $env:XDG_CACHE_HOME -ErrorAction SilentlyContinue
    $env:XDG_CACHE_HOME = $SavedCache
}

Describe 'New-ProvisioningProfile' {
    BeforeEach {
        $script:Out = Join-Path ([IO.Path]::GetTempPath()) ("pprov-pester-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $Out | Out-Null
        $script:Csv = Join-Path $Out 'accounts.csv'
        $script:Dest = Join-Path $Out 'tftp'
    }
    AfterEach { Remove-Item -Recurse -Force $script:Out -ErrorAction SilentlyContinue }

    It 'generates one Cisco file per row of the example CSV through the Import-Csv pipeline' {
        $results = Import-Csv (Join-Path $Examples 'accounts.csv') |
            New-ProvisioningProfile -Format CiscoSpa -Destination $Dest -Store $ExampleStore -SkipOtherFormats
        $results | Should -Not -BeNullOrEmpty
        $results | ForEach-Object { $_.Status | Should -Be 'Created'; Test-Path $_.Path | Should -BeTrue }
        ($results | Where-Object MacAddress -eq '00:0E:08:AB:CD:01').Template | Should -Be 'office'
        Get-Content (Join-Path $Dest '000e08abcd01.xml') -Raw | Should -Match '<Display_Name_1_>Rossi, Anna</Display_Name_1_>'
    }

    It 'takes -InputObject (Import-Csv ...) as many rows, not one' {
        New-AccountsCsv $Csv 5
        $results = New-ProvisioningProfile -InputObject (Import-Csv $Csv) -Format CiscoSpa -Destination $Dest -NoState
        $results.Count | Should -Be 5
        $results.RowNumber | Should -Be @(1, 2, 3, 4, 5)
        (Get-ChildItem $Dest -Filter *.xml).Count | Should -Be 5
    }

    It 'takes an empty list without an error' {
        $results = New-ProvisioningProfile -InputObject @() -Format CiscoSpa -Destination $Dest -NoState -ErrorVariable errs
        $results | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
    }

    It 'takes hashtables as rows' {
        $results = @{ MAC = '000E08000001'; UserId = 'u1' }, @{ MAC = '000E08000002'; UserId = 'u2' } |
            New-ProvisioningProfile CiscoSpa $Dest -NoState
        $results.MacAddress | Should -Be @('00:0E:08:00:00:01', '00:0E:08:00:00:02')
        Get-Content (Join-Path $Dest '000e08000002.xml') -Raw | Should -Match '<User_ID_1_>u2</User_ID_1_>'
    }

    It 'reads a CSV file itself with -AccountsPath, giving the same files as Import-Csv' {
        New-AccountsCsv $Csv 30
        $viaPipeline = Import-Csv $Csv | New-ProvisioningProfile CiscoSpa (Join-Path $Out 'a') -NoState
        $viaPath = New-ProvisioningProfile -AccountsPath $Csv -Format CiscoSpa -Destination (Join-Path $Out 'b') -NoState
        $viaPath.Count | Should -Be 30
        $viaPath.Sha256 | Should -Be $viaPipeline.Sha256
        $viaPath.RowNumber | Should -Be $viaPipeline.RowNumber
    }

    It 'names a missing -AccountsPath file in a terminating error' {
        { New-ProvisioningProfile -AccountsPath (Join-Path $Out 'nope.csv') CiscoSpa $Dest -ErrorAction Stop } |
            Should -Throw -ErrorId 'CsvFileUnreadable,PrivateProvisioning.Commands.NewProvisioningProfileCommand' -ExpectedMessage '*nope.csv*'
    }

    It 'leaves unchanged files alone on a second run, answered from the generation state' {
        $rows = Import-Csv (Join-Path $Examples 'accounts.csv')
        $first = $rows | New-ProvisioningProfile CiscoSpa $Dest -Store $ExampleStore -SkipOtherFormats
        $stamps = $first | ForEach-Object { (Get-Item $_.Path).LastWriteTimeUtc }
        $again = $rows | New-ProvisioningProfile CiscoSpa $Dest -Store $ExampleStore -SkipOtherFormats -Verbose 4>&1
        $verbose = $again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $results = $again | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $results.Status | Sort-Object -Unique | Should -Be 'Unchanged'
        $results.Sha256 | Should -Be $first.Sha256
        ($results | ForEach-Object { (Get-Item $_.Path).LastWriteTimeUtc }) | Should -Be $stamps
        "$verbose" | Should -Match "generation state: $($first.Count) of $($rows.Count) rows unchanged since the last run"
        Get-ChildItem (Join-Path $env:XDG_CACHE_HOME 'pprov') -Filter 'generate-*.state' | Should -Not -BeNullOrEmpty
    }

    It 'answers a re-run over the same CSV file from its memo without reading a row, and still restores a touched file' {
        New-AccountsCsv $Csv 5
        $state = Join-Path $Out 'gen.state'
        $first = New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -StatePath $state
        Test-Path "$state.run" | Should -BeTrue
        $again = New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -StatePath $state -Verbose 4>&1
        "$($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'run memo: .*all 5 files are as the last run left them; no row was read'
        $results = @($again | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $results.Status | Sort-Object -Unique | Should -Be 'Unchanged'
        $results.RowNumber | Should -Be $first.RowNumber
        $results.Path | Should -Be $first.Path
        $results.Sha256 | Should -Be $first.Sha256
        $results.MacAddress | Should -Be $first.MacAddress

        Add-Content -Path $first[2].Path -Value '<!-- edited by hand -->'
        $restored = New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -StatePath $state -Verbose 4>&1
        "$($restored | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Not -Match 'run memo'
        $restoredResults = @($restored | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $restoredResults[2].Status | Should -Be 'Updated'
        (Get-FileHash $first[2].Path -Algorithm SHA256).Hash | Should -Be $first[2].Sha256.ToUpperInvariant()
    }

    It 'keeps no state with -NoState and still reports unchanged files' {
        New-AccountsCsv $Csv 3
        New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -NoState -StatePath (Join-Path $Out 'gen.state') | Out-Null
        $again = New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -NoState -StatePath (Join-Path $Out 'gen.state') -Verbose 4>&1
        "$($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Not -Match 'generation state'
        ($again | Where-Object Status).Status | Sort-Object -Unique | Should -Be 'Unchanged'
        Test-Path (Join-Path $Out 'gen.state') | Should -BeFalse
    }

    It 'writes the state where -StatePath says' {
        New-AccountsCsv $Csv 3
        New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -StatePath (Join-Path $Out 'gen.state') | Out-Null
        Test-Path (Join-Path $Out 'gen.state') | Should -BeTrue
    }

    It 'reports a bad row with its id, category and the row itself as target, password masked, and generates the others' {
        $rows = @(
            [pscustomobject]@{ MacAddress = '00:0E:08:00:00:01'; UserId = 'u1'; Password = 'Hunter2-one' }
            [pscustomobject]@{ MacAddress = 'not-a-mac'; UserId = 'u2'; Password = 'Hunter2-two' }
            [pscustomobject]@{ MacAddress = '00:0E:08:00:00:01'; UserId = 'u3'; Password = 'Hunter2-three' }
        )
        $all = $rows | New-ProvisioningProfile CiscoSpa $Dest -NoState -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose *>&1
        @($all | Where-Object { $_ -is [PrivateProvisioning.Core.Templates.Generation.ProvisioningProfileResult] }).Count | Should -Be 1
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidMacAddress,PrivateProvisioning.Commands.NewProvisioningProfileCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -Match "Row 2, column 'MacAddress'"
        $errs[0].TargetObject.MacAddress | Should -Be 'not-a-mac'
        $errs[0].TargetObject.UserId | Should -Be 'u2'
        $errs[0].TargetObject.Password | Should -Be '********'
        $errs[1].FullyQualifiedErrorId | Should -Match '^DuplicateMacAddress'
        $errs[1].TargetObject.UserId | Should -Be 'u3'
        $rows[1].Password | Should -Be 'Hunter2-two' -Because 'the input row itself is not changed'
        # No stream and no error record, target included, carries a password.
        ($all | Out-String) + ($errs | Format-List * -Force | Out-String) + ($errs.TargetObject | Format-List * | Out-String) | Should -Not -Match 'Hunter2'
    }

    It 'masks the password columns of a row read with -AccountsPath' {
        Set-Content $Csv "MAC,SIP Password,Admin_Passwd,UserId`n000E0800000Z,pw-one,pw-admin,u1"
        New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -NoState -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Match '^InvalidMacAddress'
        $errs[0].TargetObject.MAC | Should -Be '000E0800000Z'
        $errs[0].TargetObject.'SIP Password' | Should -Be '********'
        $errs[0].TargetObject.Admin_Passwd | Should -Be '********'
        $errs[0].TargetObject.UserId | Should -Be 'u1'
    }

    It 'writes nothing with -WhatIf and says what would happen' {
        $results = Import-Csv (Join-Path $Examples 'accounts.csv') | New-ProvisioningProfile CiscoSpa $Dest -Store $ExampleStore -SkipOtherFormats -WhatIf
        $results.WhatIf | Sort-Object -Unique | Should -BeTrue
        $results.Status | Sort-Object -Unique | Should -Be 'Created'
        Test-Path $Dest | Should -BeFalse
    }

    It 'generates every family of the example CSV in one run without -Format' {
        $results = Import-Csv (Join-Path $Examples 'accounts.csv') | New-ProvisioningProfile -Destination $Dest -Store $ExampleStore -WhatIf
        $results.WhatIf | Sort-Object -Unique | Should -BeTrue
        $results.Format | Sort-Object -Unique | Should -Be @('CiscoSpa', 'CiscoSep', 'Panasonic', 'PrivateWave', 'Linphone')
        Test-Path $Dest | Should -BeFalse
    }

    It 'writes nothing with -WhatIf on -AccountsPath, and lists the parameters an update would change' {
        New-AccountsCsv $Csv 2
        New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -NoState | Out-Null
        $before = Get-FileHash (Join-Path $Dest '000e08000001.xml')
        (Get-Content $Csv) -replace 'User 1$', 'Renamed' | Set-Content $Csv
        $r = New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -NoState -WhatIf
        ($r | Where-Object RowNumber -eq 1).Status | Should -Be 'Updated'
        ($r | Where-Object RowNumber -eq 1).ChangedParameters | Should -Contain 'Display_Name_1_'
        (Get-FileHash (Join-Path $Dest '000e08000001.xml')).Hash | Should -Be $before.Hash
    }

    It 'writes nothing for a file declined at -Confirm (ShouldProcess per file)' {
        New-AccountsCsv $Csv 2
        $results = New-ProvisioningProfile -AccountsPath $Csv CiscoSpa $Dest -NoState -Confirm:$false
        $results.Count | Should -Be 2
    }

    It 'warns once about a group without a template, naming it' {
        $rows = @(
            [pscustomobject]@{ MacAddress = '00:0E:08:00:00:01'; Group = 'sales' }
            [pscustomobject]@{ MacAddress = '00:0E:08:00:00:02'; Group = 'slaes' }
            [pscustomobject]@{ MacAddress = '00:0E:08:00:00:03'; Group = 'slaes' }
        )
        $results = $rows | New-ProvisioningProfile CiscoSpa $Dest -Store $ExampleStore -NoState -WarningVariable warns -WarningAction SilentlyContinue
        $warns.Count | Should -Be 1
        "$($warns[0])" | Should -Match "Group 'slaes' \(row 2\) has no template assigned"
        $results.Template | Should -Be @('office', 'default', 'default')
    }

    It 'refuses a file name that would leave the destination' {
        $row = [pscustomobject]@{ MAC = '00:0E:08:00:00:09'; Site = '../escape' }
        $row | New-ProvisioningProfile CiscoSpa $Dest -FileName '$Site/$MA.xml' -NoState -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Match '^PathOutsideDestination'
        $errs[0].TargetObject.Site | Should -Be '../escape'
    }
}

Describe 'New-ProvisioningProfile progress on a big list' {
    BeforeAll {
        $script:Big = Join-Path ([IO.Path]::GetTempPath()) ("pprov-pester-big-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $Big | Out-Null
        New-AccountsCsv (Join-Path $Big 'accounts.csv') 1100
    }
    AfterAll { Remove-Item -Recurse -Force $Big -ErrorAction SilentlyContinue }

    It 'shows a percentage when the count is known (-AccountsPath), then a Completed record' {
        $progress = Get-ProgressRecord ("New-ProvisioningProfile -AccountsPath '$Big/accounts.csv' CiscoSpa '$Big/a' -NoState | Out-Null")
        $progress.Count | Should -BeGreaterThan 2
        $running = $progress | Where-Object RecordType -eq 'Processing'
        $running.PercentComplete | Should -Be @(93, 100)
        $running[0].StatusDescription | Should -Be '1024 of 1100 rows'
        $progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'shows a percentage for -InputObject (Import-Csv ...), then a Completed record' {
        $progress = Get-ProgressRecord ("New-ProvisioningProfile -InputObject (Import-Csv '$Big/accounts.csv') CiscoSpa '$Big/b' -NoState | Out-Null")
        ($progress | Where-Object RecordType -eq 'Processing').PercentComplete | Should -Be @(93, 100)
        $progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'counts rows without a percentage from the pipeline, then a Completed record' {
        $progress = Get-ProgressRecord ("Import-Csv '$Big/accounts.csv' | New-ProvisioningProfile CiscoSpa '$Big/c' -NoState | Out-Null")
        $running = $progress | Where-Object RecordType -eq 'Processing'
        $running.PercentComplete | Sort-Object -Unique | Should -Be -1
        $running[-1].StatusDescription | Should -Be '1100 rows'
        $progress[-1].RecordType | Should -Be 'Completed'
    }
}
