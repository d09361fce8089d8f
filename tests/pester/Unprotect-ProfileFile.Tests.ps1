# Unprotect-ProfileFile: runs where pwsh and openssl exist (the xunit suite covers the engine everywhere).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Key = ConvertTo-SecureString 'Sup3r-S3cret-Pass-7391' -AsPlainText -Force
}

Describe 'Unprotect-ProfileFile' {
    BeforeEach {
        $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ("pp-unprotect-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $Dir | Out-Null
        $script:Plain = Join-Path $Dir 'p.xml'
        Set-Content -LiteralPath $Plain -Value '<flat-profile><Password_1_>pw</Password_1_></flat-profile>' -NoNewline
    }
    AfterEach { Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'peels what the seeds'' shell loop made and names the layers and the derivation' {
        & sh -c "gzip -c '$Plain' | openssl enc -aes-256-cbc -md md5 -pass pass:Sup3r-S3cret-Pass-7391 -out '$Dir/p.cfg'"
        $r = Unprotect-ProfileFile -LiteralPath (Join-Path $Dir 'p.cfg') -Key $Key -Destination (Join-Path $Dir 'out')
        $r.Method | Should -Be 'Gzip+OpenSslAes256Cbc'
        $r.KeyDerivation | Should -Be 'Md5'
        Get-Content -LiteralPath $r.Path -Raw | Should -Be '<flat-profile><Password_1_>pw</Password_1_></flat-profile>'
    }

    It 'round-trips Protect-ProfileFile output through the pipeline' {
        $r = Protect-ProfileFile -LiteralPath $Plain -Compress -Key $Key -Method Rfc8188 -Destination (Join-Path $Dir 'enc') |
            Unprotect-ProfileFile -Key $Key -Destination (Join-Path $Dir 'back')
        $r.Method | Should -Be 'Gzip+Rfc8188'
        (Get-FileHash $r.Path).Hash | Should -Be (Get-FileHash $Plain).Hash
    }

    It 'reports a wrong key as an error naming the file, and writes nothing' {
        & openssl enc -aes-256-cbc -md sha256 -pass pass:other -in $Plain -out (Join-Path $Dir 'p.enc') 2>$null
        Unprotect-ProfileFile -LiteralPath (Join-Path $Dir 'p.enc') -Key $Key -Destination (Join-Path $Dir 'out') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WrongKey*'
        $err[0].Exception.Message | Should -Match 'p\.enc'
        Test-Path (Join-Path $Dir 'out/p') | Should -BeFalse
    }

    It 'writes nothing with -WhatIf, asks with -Confirm, and never shows the key' {
        $enc = Protect-ProfileFile -LiteralPath $Plain -Key $Key -Destination (Join-Path $Dir 'enc')
        $text = $enc | Unprotect-ProfileFile -Key $Key -Destination (Join-Path $Dir 'back') -WhatIf -Verbose *>&1 | Out-String
        Test-Path (Join-Path $Dir 'back') | Should -BeFalse
        Test-ConfirmationAsked "Unprotect-ProfileFile -LiteralPath '$($enc.Path)' -Key (ConvertTo-SecureString 'x' -AsPlainText -Force) -Destination '$Dir/back' -Confirm" | Should -BeTrue
        Test-Path (Join-Path $Dir 'back') | Should -BeFalse
        $other = ConvertTo-SecureString 'Wrong-Key-Secret-55' -AsPlainText -Force
        $text += $enc | Unprotect-ProfileFile -Key $other -Destination (Join-Path $Dir 'back') -Verbose -ErrorAction SilentlyContinue -ErrorVariable err *>&1 | Out-String
        $text += $err | Format-List * -Force | Out-String
        $err.Count | Should -BeGreaterThan 0
        $text | Should -Not -Match 'Sup3r-S3cret|Wrong-Key-Secret'
    }

    It 'verifies a signed file piped from Get-ChildItem and names a wrong signing certificate' {
        $certs = Join-Path $Vectors 'cisco/certs'
        Copy-Item (Join-Path $Vectors 'cisco/sgn/SEP001122334455.cnf.xml.sgn') $Dir
        $r = Get-ChildItem (Join-Path $Dir '*.sgn') | Unprotect-ProfileFile -SigningCertificate (Join-Path $certs 'asterisk.pem') -Destination (Join-Path $Dir 'check')
        (Get-FileHash $r.Path).Hash | Should -Be (Get-FileHash (Join-Path $Vectors 'cisco/sgn/SEP001122334455.cnf.xml')).Hash
        Get-ChildItem (Join-Path $Dir '*.sgn') | Unprotect-ProfileFile -SigningCertificate (Join-Path $certs 'sast.pem') -Destination (Join-Path $Dir 'check2') -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        "$($err[0])" | Should -Match 'SEP001122334455.cnf.xml.sgn'
        Test-Path (Join-Path $Dir 'check2') | Should -BeFalse
    }
}
