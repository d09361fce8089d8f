BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

# Cisco signing and encryption through Protect-/Unprotect-ProfileFile (the Cisco security files area).
Describe 'Protect-ProfileFile -SigningCertificate / -PhoneCertificate' {
    BeforeAll {
        $vectors = Join-Path $script:RepoRoot 'tests/vectors/cisco'
        $tftp = Join-Path $vectors 'certs/asterisk.pem'
        $phone = Join-Path $vectors 'certs/phone-SEP001122334455.pem'
    }
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null
        Copy-Item (Join-Path $vectors 'sgn/SEP001122334455.cnf.xml') $dir
        Copy-Item (Join-Path $vectors 'sgn/g3-tones.xml') $dir
    }
    AfterEach { Remove-Item -Recurse -Force $dir }

    It 'signs every piped cnf.xml and a second run changes nothing' {
        $r = Get-ChildItem (Join-Path $dir 'SEP*.cnf.xml') | Protect-ProfileFile -SigningCertificate $tftp
        $r.Path | Should -BeLike '*.cnf.xml.sgn'
        $r.Method | Should -Be 'CiscoSgn'
        (Get-ChildItem (Join-Path $dir 'SEP*.cnf.xml') | Protect-ProfileFile -SigningCertificate $tftp).Status | Should -Be 'Unchanged'
    }

    It 'signs a folder of 700 files in several batches: every result in input order, a missing file reported in its place, each .sgn verified' {
        $many = Join-Path $dir 'many'; New-Item -ItemType Directory $many | Out-Null
        $names = 1..700 | ForEach-Object { 'SEP{0:X12}.cnf.xml' -f $_ }
        foreach ($name in $names) { [IO.File]::WriteAllText((Join-Path $many $name), "<device><name>$name</name></device>") }
        $paths = [Collections.Generic.List[string]]::new()
        $names | ForEach-Object { $paths.Add((Join-Path $many $_)) }
        $paths.Insert(300, (Join-Path $many 'SEP00000000FFFF.cnf.xml')) # not there
        $r = $paths | Protect-ProfileFile -SigningCertificate $tftp -Destination (Join-Path $dir 'signed') -ErrorVariable failed -ErrorAction SilentlyContinue
        $r.Count | Should -Be 700
        ($r.Path | ForEach-Object { Split-Path $_ -Leaf }) -join ',' | Should -Be (($names | ForEach-Object { "$_.sgn" }) -join ',')
        $r.Status | Sort-Object -Unique | Should -Be 'Created'
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SourceNotFound*'
        $failed[0].TargetObject | Should -BeLike '*SEP00000000FFFF.cnf.xml'
        $back = Unprotect-ProfileFile (Join-Path $dir 'signed/SEP0000000002BC.cnf.xml.sgn') -SigningCertificate $tftp -Destination (Join-Path $dir 'back')
        $back.Method | Should -Be 'CiscoSgn+Verified'
        Get-Content -Raw $back.Path | Should -Be '<device><name>SEP0000000002BC.cnf.xml</name></device>'
    }

    It 'stops signing soon after Select-Object -First has what it wants, and leaves only whole files' {
        $many = Join-Path $dir 'many'; New-Item -ItemType Directory $many | Out-Null
        1..2000 | ForEach-Object { [IO.File]::WriteAllText((Join-Path $many ('SEP{0:X12}.cnf.xml' -f $_)), "<device>$_</device>") }
        $first = Get-ChildItem (Join-Path $many '*.cnf.xml') | Protect-ProfileFile -SigningCertificate $tftp -Destination (Join-Path $dir 'signed') |
            Select-Object -First 3
        $first.Count | Should -Be 3
        # Once the command is over nothing is still being written: what is there stays as it is.
        $signed = Get-ChildItem (Join-Path $dir 'signed')
        $signed.Count | Should -BeLessThan 2000
        Start-Sleep -Milliseconds 300
        (Get-ChildItem (Join-Path $dir 'signed')).Count | Should -Be $signed.Count
        $signed | Where-Object Name -NotLike 'SEP*.cnf.xml.sgn' | Should -BeNullOrEmpty
        $back = $signed | Unprotect-ProfileFile -SigningCertificate $tftp -Destination (Join-Path $dir 'back')
        $back.Count | Should -Be $signed.Count
        $back.Method | Sort-Object -Unique | Should -Be 'CiscoSgn+Verified'
    }

    It 'stores a subpath in the header' {
        Protect-ProfileFile (Join-Path $dir 'g3-tones.xml') -SigningCertificate $tftp -FileName New_Zealand/g3-tones.xml.sgn | Out-Null
        $bytes = [IO.File]::ReadAllBytes((Join-Path $dir 'g3-tones.xml.sgn'))
        [Text.Encoding]::ASCII.GetString($bytes) | Should -Match 'New_Zealand/g3-tones.xml.sgn'
    }

    It 'encrypts for the phone and decrypts with its key' {
        $r = Protect-ProfileFile (Join-Path $dir 'SEP001122334455.cnf.xml') -SigningCertificate $tftp -PhoneCertificate $phone
        $r.Method | Should -Be @('CiscoEncSgn', 'CiscoEncSgnStub')
        $back = Unprotect-ProfileFile $r[0].Path -SigningCertificate $tftp -PhoneCertificate $phone -Destination (Join-Path $dir 'out')
        (Get-FileHash $back.Path).Hash | Should -Be (Get-FileHash (Join-Path $dir 'SEP001122334455.cnf.xml')).Hash
    }

    It 'refuses an EC signing certificate' {
        { Protect-ProfileFile (Join-Path $dir 'g3-tones.xml') -SigningCertificate (Join-Path $vectors 'certs/apache-ec.pem') -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*RSA*'
    }

    It 'signs nothing with -WhatIf and asks with -Confirm' {
        Get-ChildItem (Join-Path $dir 'SEP*.cnf.xml') | Protect-ProfileFile -SigningCertificate $tftp -WhatIf | Out-Null
        Get-ChildItem (Join-Path $dir '*.sgn') | Should -BeNullOrEmpty
        Test-ConfirmationAsked "Protect-ProfileFile -LiteralPath '$dir/g3-tones.xml' -SigningCertificate '$tftp' -Confirm" | Should -BeTrue
        Get-ChildItem (Join-Path $dir '*.sgn') | Should -BeNullOrEmpty
    }
}
