# Protect-ProfileFile: runs where pwsh and openssl exist (the xunit suite covers the engine everywhere).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Key = ConvertTo-SecureString 'Sup3r-S3cret-Pass-7391' -AsPlainText -Force
}

Describe 'Protect-ProfileFile' {
    BeforeEach {
        $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ("pp-protect-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path (Join-Path $Dir 'plain') | Out-Null
        1..3 | ForEach-Object { Set-Content -LiteralPath (Join-Path $Dir "plain/000e08abcd0$_.xml") -Value "<flat-profile><Password_1_>pw$_</Password_1_></flat-profile>" -NoNewline }
    }
    AfterEach { Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'gzips then encrypts so that openssl enc -d -md md5 and gzip -dc read the profile' {
        $results = Get-ChildItem (Join-Path $Dir 'plain/*.xml') | Protect-ProfileFile -Compress -Key $Key -Destination (Join-Path $Dir 'tftp')
        $results.Count | Should -Be 3
        $results[0].Method | Should -Be 'Gzip+OpenSslAes256Cbc'
        $results[0].Status | Should -Be 'Created'
        $results[0].Path | Should -Be (Join-Path $Dir 'tftp/000e08abcd01.xml')
        $plain = & sh -c "openssl enc -d -aes-256-cbc -md md5 -pass pass:Sup3r-S3cret-Pass-7391 -in '$($results[0].Path)' | gzip -dc"
        $plain | Should -Be '<flat-profile><Password_1_>pw1</Password_1_></flat-profile>'
    }

    It 'gzips at the chosen level into a member gzip reads' {
        $fast = Protect-ProfileFile -Path (Join-Path $Dir 'plain/000e08abcd01.xml') -Compress -CompressionLevel Fastest -Destination (Join-Path $Dir 'fast')
        $fast.Method | Should -Be 'Gzip'
        & gzip -dc $fast.Path | Should -Be '<flat-profile><Password_1_>pw1</Password_1_></flat-profile>'
    }

    It 'leaves an unchanged file alone on the second run' {
        Protect-ProfileFile -Path (Join-Path $Dir 'plain/*.xml') -Key $Key -Destination (Join-Path $Dir 'tftp') | Out-Null
        $again = Protect-ProfileFile -Path (Join-Path $Dir 'plain/*.xml') -Key $Key -Destination (Join-Path $Dir 'tftp')
        $again.Status | Sort-Object -Unique | Should -Be 'Unchanged'
    }

    It 'takes a piped object''s Path literally: desk[1].xml is not the wildcard desk1.xml' {
        Set-Content -LiteralPath (Join-Path $Dir 'desk[1].xml') -Value '<flat-profile>bracket</flat-profile>' -NoNewline
        Set-Content -LiteralPath (Join-Path $Dir 'desk1.xml') -Value '<flat-profile>decoy</flat-profile>' -NoNewline
        $gz = Protect-ProfileFile -LiteralPath (Join-Path $Dir 'desk[1].xml') -Compress -Destination (Join-Path $Dir 'gz')
        $gz.Path | Should -Be (Join-Path $Dir 'gz/desk[1].xml')
        # The result object pipes on by its Path property: Unprotect-ProfileFile reads that very file.
        $plain = $gz | Unprotect-ProfileFile -Destination (Join-Path $Dir 'back')
        $plain.Path | Should -Be (Join-Path $Dir 'back/desk[1].xml')
        Get-Content -LiteralPath $plain.Path -Raw | Should -Be '<flat-profile>bracket</flat-profile>'
        # An Import-Csv row with a Path column is taken literally too.
        $csv = Join-Path $Dir 'files.csv'
        [pscustomobject]@{ Path = (Join-Path $Dir 'desk[1].xml') } | Export-Csv -LiteralPath $csv -NoTypeInformation
        $r = Import-Csv $csv | Protect-ProfileFile -Compress -Destination (Join-Path $Dir 'csv')
        @($r).Count | Should -Be 1
        $r.Path | Should -Be (Join-Path $Dir 'csv/desk[1].xml')
        Test-Path -LiteralPath (Join-Path $Dir 'csv/desk1.xml') | Should -BeFalse
        # A piped string stays a pattern, as with Get-Item.
        @((Join-Path $Dir 'desk?1?.xml') | Protect-ProfileFile -Compress -Destination (Join-Path $Dir 'pattern')).Count | Should -Be 1
    }

    It 'reads a literal path however it is written: full with dots, provider-qualified, relative, on a drive of its own, from another provider''s location' {
        $one = Join-Path $Dir 'plain/000e08abcd01.xml'
        $dotted = Join-Path $Dir 'plain/./x/../000e08abcd02.xml'
        $r = Protect-ProfileFile -LiteralPath $dotted, "Microsoft.PowerShell.Core\FileSystem::$one", "FileSystem::$(Join-Path $Dir 'plain/000e08abcd03.xml')" -Compress -Destination (Join-Path $Dir 'a')
        $r.Path | Should -Be @((Join-Path $Dir 'a/000e08abcd02.xml'), (Join-Path $Dir 'a/000e08abcd01.xml'), (Join-Path $Dir 'a/000e08abcd03.xml'))
        Push-Location (Join-Path $Dir 'plain')
        try { (Protect-ProfileFile -LiteralPath '000e08abcd01.xml' -Compress -Destination (Join-Path $Dir 'b')).Path | Should -Be (Join-Path $Dir 'b/000e08abcd01.xml') }
        finally { Pop-Location }
        New-PSDrive -Name PPTFTP -PSProvider FileSystem -Root $Dir | Out-Null
        try { (Protect-ProfileFile -LiteralPath 'PPTFTP:/plain/000e08abcd01.xml' -Compress -Destination (Join-Path $Dir 'c')).Path | Should -Be (Join-Path $Dir 'c/000e08abcd01.xml') }
        finally { Remove-PSDrive PPTFTP }
        # Standing in the variable provider, a file path given with its provider still names the file.
        Push-Location Variable:
        try { (Protect-ProfileFile -LiteralPath "FileSystem::$one" -Compress -Destination (Join-Path $Dir 'd')).Path | Should -Be (Join-Path $Dir 'd/000e08abcd01.xml') }
        finally { Pop-Location }
        # A backslash is a separator to PowerShell on every system, as before.
        $slashed = (Join-Path $Dir 'plain') + '\000e08abcd02.xml'
        (Protect-ProfileFile -LiteralPath $slashed -Compress -Destination (Join-Path $Dir 'f')).Path | Should -Be (Join-Path $Dir 'f/000e08abcd02.xml')
        Protect-ProfileFile -LiteralPath (Join-Path $Dir 'plain/none.xml') -Compress -Destination (Join-Path $Dir 'e') -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'SourceNotFound*'
    }

    It 'writes nothing with -WhatIf' {
        Protect-ProfileFile -Path (Join-Path $Dir 'plain/*.xml') -Compress -WhatIf
        Get-ChildItem (Join-Path $Dir 'plain/*.gz') | Should -BeNullOrEmpty
    }

    It 'refuses a method without a key, and .e2c names' {
        { Protect-ProfileFile -Path (Join-Path $Dir 'plain/*.xml') -Method OpenSslAes256Cbc -ErrorAction Stop } | Should -Throw -ErrorId 'KeyRequired,PrivateProvisioning.Commands.ProtectProfileFileCommand'
        Protect-ProfileFile -Path (Join-Path $Dir 'plain/000e08abcd01.xml') -Key $Key -Method PanasonicEnc -Extension '.e2c' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnpublishedEncryption*'
    }

    It 'never shows the key in verbose output or errors' {
        $out = Protect-ProfileFile -Path (Join-Path $Dir 'plain/*.xml') -Key $Key -Verbose 4>&1 2>&1 | Out-String
        $out | Should -Not -Match 'Sup3r-S3cret'
    }

    It 'asks with -Confirm and never shows the key in output, verbose text or errors' {
        Test-ConfirmationAsked "Protect-ProfileFile -LiteralPath '$Dir/plain/000e08abcd01.xml' -Compress -Destination '$Dir/tftp' -Confirm" | Should -BeTrue
        Test-Path (Join-Path $Dir 'tftp') | Should -BeFalse
        $text = Get-ChildItem (Join-Path $Dir 'plain/*.xml') | Protect-ProfileFile -Compress -Key $Key -Destination (Join-Path $Dir 'tftp') -Verbose *>&1 | Out-String
        $text += Protect-ProfileFile -LiteralPath (Join-Path $Dir 'plain/missing.xml') -Key $Key -Destination (Join-Path $Dir 'tftp') -Verbose -ErrorAction SilentlyContinue -ErrorVariable err *>&1 | Out-String
        $err.Count | Should -Be 1
        "$($err[0])" | Should -Match 'missing.xml'
        $text += $err | Format-List * -Force | Out-String
        $text | Should -Not -Match 'Sup3r-S3cret'
    }
}
