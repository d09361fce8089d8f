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
}
