BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Approve-CertificateRequest' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null
        Push-Location $dir
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj '/CN=ca' -days 30 2>$null
        New-Item -ItemType Directory csr | Out-Null
        'alice', 'bob' | ForEach-Object { New-CertificateRequest -Path "csr/$_.csr" -CN $_ -KeyAlgorithm EcP256 | Out-Null }
    }
    AfterEach { Pop-Location; Remove-Item -Recurse -Force $dir }

    It 'issues <username>.pem files that openssl verifies against the CA' {
        $r = Get-ChildItem csr/*.csr | Approve-CertificateRequest -Issuer ca.pem -Destination client_cert -Days 30
        $r.UserName | Should -Be @('alice', 'bob')
        foreach ($c in $r) { openssl verify -CAfile ca.pem $c.Path | Should -Match ': OK' }
        (openssl x509 -in $r[0].Path -noout -text) -join "`n" | Should -Match 'TLS Web Client Authentication'
    }

    It 'keeps an existing certificate unless -Force' {
        Approve-CertificateRequest csr/alice.csr -Issuer ca.pem -Destination client_cert | Out-Null
        Approve-CertificateRequest csr/alice.csr -Issuer ca.pem -Destination client_cert -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CertificateExists*'
        (Approve-CertificateRequest csr/alice.csr -Issuer ca.pem -Destination client_cert -Force).Status | Should -Be 'Updated'
    }

    It 'writes nothing with -WhatIf' {
        Approve-CertificateRequest csr/alice.csr -Issuer ca.pem -Destination client_cert -WhatIf
        Test-Path client_cert | Should -BeFalse
    }

    It 'asks with -Confirm before issuing' {
        Test-ConfirmationAsked "Approve-CertificateRequest '$dir/csr/alice.csr' -Issuer '$dir/ca.pem' -Destination '$dir/client_cert' -Confirm" | Should -BeTrue
        Test-Path client_cert | Should -BeFalse
    }

    It 'never shows the CA key password, also when it is wrong' {
        openssl pkey -in ca.key -aes256 -passout pass:Ca-Secret-3301 -out ca.enc.key
        $right = ConvertTo-SecureString 'Ca-Secret-3301' -AsPlainText -Force
        $wrong = ConvertTo-SecureString 'Wrong-Secret-7702' -AsPlainText -Force
        $text = Approve-CertificateRequest csr/alice.csr -Issuer ca.pem -KeyPath ca.enc.key -KeyPassword $right -Destination client_cert -Verbose *>&1 | Out-String
        Test-Path client_cert/alice.pem | Should -BeTrue
        $err = $null
        try { Approve-CertificateRequest csr/bob.csr -Issuer ca.pem -KeyPath ca.enc.key -KeyPassword $wrong -Destination other -Verbose -ErrorAction Stop *>&1 | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $text += $err | Format-List * -Force | Out-String
        $text | Should -Not -Match 'Ca-Secret-3301|Wrong-Secret-7702'
        Test-Path other | Should -BeFalse
    }

    It 'names the request that is not one and issues the others' {
        Set-Content csr/broken.csr 'not a request'
        $r = Get-ChildItem csr/*.csr | Approve-CertificateRequest -Issuer ca.pem -Destination client_cert -ErrorAction SilentlyContinue -ErrorVariable err
        $r.UserName | Should -Be @('alice', 'bob')
        $err.Count | Should -Be 1
        $err[0].TargetObject | Should -Be (Join-Path $dir 'csr/broken.csr')
    }
}
