# Certificates wherever a cmdlet takes one: our own result objects, PFX files with a SecureString password,
# Get-PfxCertificate objects, and paths, all through one loader (Core's CertificateSource).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Certs = Join-Path $script:RepoRoot 'tests/vectors/cisco/certs'
}

Describe 'Certificate arguments' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null
        $pfxPassword = 'Pfx-Secret-42'
        $securePfxPassword = ConvertTo-SecureString $pfxPassword -AsPlainText -Force
        openssl pkcs12 -export -in (Join-Path $Certs 'sast.pem') -inkey (Join-Path $Certs 'sast.pem') -out (Join-Path $dir 'sast.pfx') -passout "pass:$pfxPassword" 2>$null
    }
    AfterEach { Remove-Item -Recurse -Force $dir }

    It 'New-ItlFile -Sast takes New-ProvisioningCertificate output' {
        $sast = New-ProvisioningCertificate -Path (Join-Path $dir 'sast.pem') -CN SAST -O Lab -OU Voice
        $r = New-ItlFile -Path (Join-Path $dir 'ITLFile.tlv') -Sast $sast -Ccm $sast
        $r.SignatureValid | Should -BeTrue
        $r.SignerName | Should -Match 'SAST'
        $r.Records.RoleName | Should -Be @('SAST', 'CCM')
    }

    It 'New-ItlFile -Sast takes a PFX file with a SecureString password, and the same bytes come out as from the PEM' {
        $stamp = [DateTimeOffset]::FromUnixTimeSeconds(1795344868)
        $fromPem = New-ItlFile -Path (Join-Path $dir 'pem.tlv') -FileName ITLFile.tlv -Sast (Join-Path $Certs 'sast.pem') -Timestamp $stamp
        $fromPfx = New-ItlFile -Path (Join-Path $dir 'pfx.tlv') -FileName ITLFile.tlv -Sast (Join-Path $dir 'sast.pfx') -Password $securePfxPassword -Timestamp $stamp
        $fromPfx.SignatureValid | Should -BeTrue
        (Get-FileHash (Join-Path $dir 'pfx.tlv')).Hash | Should -Be (Get-FileHash (Join-Path $dir 'pem.tlv')).Hash
    }

    It 'New-ItlFile -Sast takes a Get-PfxCertificate object with its key' {
        $cert = Get-PfxCertificate -FilePath (Join-Path $dir 'sast.pfx') -Password $securePfxPassword
        $r = New-ItlFile -Path (Join-Path $dir 'ITLFile.tlv') -Sast $cert
        $r.SignatureValid | Should -BeTrue
    }

    It 'refuses a PFX with the wrong password, without the password in any stream' {
        $wrong = ConvertTo-SecureString 'Not-The-Pfx-Password' -AsPlainText -Force
        $caught = $null
        $all = . {
            try { New-ItlFile -Path (Join-Path $dir 'ITLFile.tlv') -Sast (Join-Path $dir 'sast.pfx') -Password $wrong -Verbose -ErrorAction Stop }
            catch { $caught = $_ }
        } *>&1 | Out-String
        $caught.FullyQualifiedErrorId | Should -Be 'PfxUnreadable,PrivateProvisioning.Commands.NewItlFileCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $all + ($caught | Format-List * -Force | Out-String) + $caught.Exception.InnerException | Should -Not -Match 'Not-The-Pfx-Password|Pfx-Secret-42'
        Test-Path (Join-Path $dir 'ITLFile.tlv') | Should -BeFalse
    }

    It 'refuses a certificate object without its key for signing, naming what needs it' {
        $public = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Get-PfxCertificate -FilePath (Join-Path $dir 'sast.pfx') -Password $securePfxPassword).RawData)
        { New-ItlFile -Path (Join-Path $dir 'ITLFile.tlv') -Sast $public -ErrorAction Stop } | Should -Throw -ExpectedMessage '*private key*'
    }

    It 'Approve-CertificateRequest -Issuer takes a New-ProvisioningCertificate object and a PFX' {
        Push-Location $dir
        try {
            $ca = New-ProvisioningCertificate -Path ca.pem -CN 'Lab CA' -O Lab -OU Voice
            New-CertificateRequest -Path alice.csr -CN alice -KeyAlgorithm EcP256 | Out-Null
            $issued = Approve-CertificateRequest alice.csr -Issuer $ca -Destination certs
            openssl verify -CAfile ca.pem $issued.Path | Should -Match ': OK'
            openssl pkcs12 -export -in ca.pem -inkey ca.pem -out ca.pfx -passout "pass:$pfxPassword" 2>$null
            $again = Approve-CertificateRequest alice.csr -Issuer ca.pfx -KeyPassword $securePfxPassword -Destination certs2
            openssl verify -CAfile ca.pem $again.Path | Should -Match ': OK'
        } finally { Pop-Location }
    }

    It 'Protect-ProfileFile -SigningCertificate takes a Get-PfxCertificate object' {
        $cfg = Join-Path $dir 'SEP001122334455.cnf.xml'
        Set-Content -LiteralPath $cfg -Value '<device/>'
        $cert = Get-PfxCertificate -FilePath (Join-Path $dir 'sast.pfx') -Password $securePfxPassword
        $r = Protect-ProfileFile -LiteralPath $cfg -SigningCertificate $cert
        $r.Path | Should -BeLike '*.sgn'
        Test-Path $r.Path | Should -BeTrue
    }
}
