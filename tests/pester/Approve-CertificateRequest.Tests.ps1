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
}
