BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Get-CertificatePin' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null
        Push-Location $dir
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.pem -subj '/CN=server' -days 30 2>$null
    }
    AfterEach { Pop-Location; Remove-Item -Recurse -Force $dir }

    It 'equals the openssl pipeline' {
        openssl x509 -in server.pem -pubkey -noout -out pub.pem
        openssl pkey -pubin -in pub.pem -outform der -out pub.der
        $expected = [Convert]::ToBase64String([Security.Cryptography.SHA256]::Create().ComputeHash([IO.File]::ReadAllBytes((Join-Path $dir 'pub.der'))))
        (Get-CertificatePin server.pem).Pin | Should -Be $expected
    }

    It 'takes certificate objects by value' {
        $cert = [Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $dir 'server.pem'))
        ($cert | Get-CertificatePin).Pin | Should -Be (Get-CertificatePin server.pem).Pin
    }

    It 'takes the Path of a piped result literally: desk[1].pem, not the wildcard desk1.pem' {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout d.key -out 'desk[1].pem' -subj '/CN=desk' -days 30 2>$null
        Copy-Item server.pem desk1.pem
        $expected = (Get-CertificatePin -LiteralPath (Join-Path $dir 'desk[1].pem')).Pin
        $expected | Should -Not -Be (Get-CertificatePin desk1.pem).Pin
        ([pscustomobject]@{ Path = (Join-Path $dir 'desk[1].pem') } | Get-CertificatePin).Pin | Should -Be $expected
        (Get-Item -LiteralPath (Join-Path $dir 'desk[1].pem') | Get-CertificatePin).Pin | Should -Be $expected
    }

    It 'keeps a piped string a pattern, as Get-Item does' {
        Copy-Item server.pem a1.pem; Copy-Item server.pem a2.pem
        @('a?.pem' | Get-CertificatePin).Count | Should -Be 2
    }

    It 'pins certificates just issued, piped from Approve-CertificateRequest' {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj '/CN=ca' -days 30 2>$null
        New-Item -ItemType Directory csr | Out-Null
        New-CertificateRequest -Path csr/alice.csr -CN alice -KeyAlgorithm EcP256 | Out-Null
        $pin = Get-ChildItem csr/*.csr | Approve-CertificateRequest -Issuer ca.pem -Destination client_cert | Get-CertificatePin
        $pin.Pin | Should -Be (Get-CertificatePin -LiteralPath (Join-Path $dir 'client_cert/alice.pem')).Pin
    }

    It 'names the file that is not a certificate and goes on' {
        Set-Content junk.pem 'not a certificate'
        $r = Get-CertificatePin junk.pem, server.pem -ErrorAction SilentlyContinue -ErrorVariable err
        @($r).Count | Should -Be 1
        $err[0].TargetObject | Should -Be (Join-Path $dir 'junk.pem')
        "$($err[0])" | Should -Match 'junk.pem'
    }
}
