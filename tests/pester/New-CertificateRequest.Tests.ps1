BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'New-CertificateRequest' {
    BeforeEach { $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null }
    AfterEach { Remove-Item -Recurse -Force $dir }

    It 'writes a request openssl verifies and an owner-only key' {
        $r = New-CertificateRequest -Path (Join-Path $dir 'alice.csr') -CN alice -O ACME -OU Voice -C it -Email alice@example.com -KeyAlgorithm EcP256
        $r.CommonName | Should -Be 'alice'
        $r.KeyPath | Should -Be (Join-Path $dir 'alice.key')
        if (Get-Command openssl -ErrorAction SilentlyContinue) {
            (openssl req -in $r.Path -verify -noout 2>&1) -join "`n" | Should -Match 'verify OK'
        }
        if (-not $IsWindows) { (Get-Item $r.KeyPath).UnixMode | Should -Be '-rw-------' }
    }

    It 'names the bad field and writes nothing' {
        New-CertificateRequest -Path (Join-Path $dir 'x.csr') -CN x -Country ITA -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSubjectField*'
        Get-ChildItem $dir | Should -BeNullOrEmpty
    }

    It 'takes subject fields from CSV rows' {
        Push-Location $dir
        try { @([pscustomobject]@{ CommonName = 'bob'; Organization = 'ACME' }) | New-CertificateRequest -KeyAlgorithm EcP256 } finally { Pop-Location }
        Test-Path (Join-Path $dir 'bob.csr') | Should -BeTrue
    }
}
