BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Unprotect-CertificateRequest' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null
        Push-Location $dir
        openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.pem -subj '/CN=server' -days 30 2>$null
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -subj '/CN=other' -days 30 2>$null
        New-CertificateRequest -Path alice.csr -CN alice -KeyAlgorithm EcP256 | Out-Null
        openssl cms -encrypt -binary -outform DER -aes256 -in alice.csr -out alice.p7m server.pem
        openssl cms -encrypt -binary -outform DER -aes256 -in alice.csr -out stranger.p7m other.pem
    }
    AfterEach { Pop-Location; Remove-Item -Recurse -Force $dir }

    It 'decrypts what openssl cms -encrypt wrote' {
        $r = Get-ChildItem alice.p7m | Unprotect-CertificateRequest -Certificate server.pem -Destination out
        $r.WasEncrypted | Should -BeTrue
        $r.UserName | Should -Be 'alice'
        (openssl req -in $r.OutputPath -outform DER | Out-String) | Should -Be (openssl req -in alice.csr -outform DER | Out-String)
    }

    It 'refuses a request encrypted to another certificate and writes nothing' {
        Unprotect-CertificateRequest stranger.p7m -Certificate server.pem -Destination out -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NotEncryptedToThisCertificate*'
        Test-Path out | Should -BeFalse
    }

    It 'pipes into Approve-CertificateRequest by property name' {
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj '/CN=ca' -days 30 2>$null
        $issued = Get-ChildItem *.p7m | Unprotect-CertificateRequest -Certificate server.pem -ErrorAction SilentlyContinue |
            Approve-CertificateRequest -Issuer ca.pem -Destination client_cert
        $issued.Path | Should -Be (Join-Path $dir 'client_cert/alice.pem')
    }

    It 'writes nothing with -WhatIf and asks with -Confirm' {
        Unprotect-CertificateRequest alice.p7m -Certificate server.pem -Destination out -WhatIf | Out-Null
        Test-Path out | Should -BeFalse
        Test-ConfirmationAsked "Unprotect-CertificateRequest '$dir/alice.p7m' -Certificate '$dir/server.pem' -Destination '$dir/out' -Confirm" | Should -BeTrue
        Test-Path out | Should -BeFalse
    }

    It 'never shows the key password, also when it is wrong' {
        openssl pkey -in server.key -aes256 -passout pass:Key-Secret-4417 -out server.enc.key
        $right = ConvertTo-SecureString 'Key-Secret-4417' -AsPlainText -Force
        $wrong = ConvertTo-SecureString 'Wrong-Secret-8812' -AsPlainText -Force
        $text = Unprotect-CertificateRequest alice.p7m -Certificate server.pem -KeyPath server.enc.key -KeyPassword $right -Destination out -Verbose *>&1 | Out-String
        Test-Path out/alice.csr | Should -BeTrue
        $err = $null
        try { Unprotect-CertificateRequest alice.p7m -Certificate server.pem -KeyPath server.enc.key -KeyPassword $wrong -Destination out2 -Verbose -ErrorAction Stop *>&1 | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        "$($err.FullyQualifiedErrorId) $err" | Should -Match 'server.enc.key|Key|Password'
        $text += $err | Format-List * -Force | Out-String
        $text | Should -Not -Match 'Key-Secret-4417|Wrong-Secret-8812'
        Test-Path out2 | Should -BeFalse
    }
}
