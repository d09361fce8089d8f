BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Export-ProvisioningCertificate' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null
        Push-Location $dir
        openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.pem -subj '/CN=server' -days 30 2>$null
    }
    AfterEach { Pop-Location; Remove-Item -Recurse -Force $dir }

    It 'writes the DER that openssl x509 -outform der writes' {
        $r = Export-ProvisioningCertificate server.pem -Format Der
        openssl x509 -in server.pem -outform der -out expected.der
        (Get-FileHash $r.Path).Hash | Should -Be (Get-FileHash expected.der).Hash
    }

    It 'writes a PFX openssl opens with the password' {
        $pw = ConvertTo-SecureString 'pfx-secret' -AsPlainText -Force
        $r = Export-ProvisioningCertificate server.pem -Format Pfx -Password $pw
        openssl pkcs12 -in $r.Path -passin pass:pfx-secret -nodes -noout
        $LASTEXITCODE | Should -Be 0
    }

    It 'refuses a PFX without a password' {
        { Export-ProvisioningCertificate server.pem -Format Pfx -ErrorAction Stop } | Should -Throw
    }

    It 'writes nothing with -WhatIf, asks with -Confirm, and never shows the PFX password' {
        $pw = ConvertTo-SecureString 'Pfx-Secret-9071' -AsPlainText -Force
        $text = Export-ProvisioningCertificate server.pem -Format Pfx -Password $pw -WhatIf -Verbose *>&1 | Out-String
        Test-Path server.pfx | Should -BeFalse
        Test-ConfirmationAsked "Export-ProvisioningCertificate '$dir/server.pem' -Format Der -Confirm" | Should -BeTrue
        Test-Path server.der | Should -BeFalse
        $text += Export-ProvisioningCertificate server.pem -Format Pfx -Password $pw -Verbose *>&1 | Out-String
        $text | Should -Not -Match 'Pfx-Secret'
    }

    It 'names the file that holds no certificate and goes on with the next' {
        Set-Content junk.pem 'not a certificate'
        $r = Get-ChildItem junk.pem, server.pem | Export-ProvisioningCertificate -Format Der -ErrorAction SilentlyContinue -ErrorVariable err
        @($r).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CertificateNotFound*'
        $err[0].TargetObject | Should -Be (Join-Path $dir 'junk.pem')
    }
}
