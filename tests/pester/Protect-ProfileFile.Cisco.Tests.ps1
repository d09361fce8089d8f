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
