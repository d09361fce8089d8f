BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'New-ProvisioningCertificate' {
    BeforeEach { $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null }
    AfterEach { Remove-Item -Recurse -Force $dir }

    It 'writes an mkcert-profile certificate that openssl verifies' {
        $r = New-ProvisioningCertificate -Path (Join-Path $dir 'sast.pem') -CN SAST -O SAST -OU SAST -Years 20
        $r.Subject | Should -Be 'CN=SAST,O=SAST,OU=SAST'
        $r.Certificate | Should -BeOfType System.Security.Cryptography.X509Certificates.X509Certificate2
        $r.NotAfter.Year - $r.NotBefore.Year | Should -Be 20
        if (Get-Command openssl -ErrorAction SilentlyContinue) {
            openssl verify -CAfile $r.Path $r.Path | Should -Match 'OK'
        }
    }

    It 'creates EC certificates and names the file after the CN' {
        Push-Location $dir
        try { $r = New-ProvisioningCertificate -CN 'Apache EC' -O Web -OU Voice -Curve Secp384r1 } finally { Pop-Location }
        $r.KeyAlgorithm | Should -Be 'EC'
        Split-Path $r.Path -Leaf | Should -Be 'Apache_EC.pem'
    }

    It 'refuses 4096-bit keys with the reason' {
        { New-ProvisioningCertificate -Path (Join-Path $dir 'x.pem') -CN A -O B -OU C -KeySize 4096 -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*up to 2048 bits*'
    }

    It 'does not replace an existing file without -Force' {
        $p = Join-Path $dir 'k.pem'; Set-Content $p 'keep'
        New-ProvisioningCertificate -Path $p -CN A -O B -OU C -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CertificateFileExists*'
        Get-Content $p | Should -Be 'keep'
    }

    # The access list is built and unit-tested everywhere (OwnerOnlyAccessTests); this checks what Windows made of it.
    It 'writes the key readable by the current user and SYSTEM only (Windows access list)' -Skip:([Environment]::OSVersion.Platform -ne 'Win32NT') {
        $r = New-ProvisioningCertificate -Path (Join-Path $dir 'ca.pem') -CN 'Lab CA' -O Lab -OU PKI
        $acl = Get-Acl -LiteralPath $r.Path
        $acl.AreAccessRulesProtected | Should -BeTrue
        $me = [Security.Principal.WindowsIdentity]::GetCurrent().User.Value
        $sids = @($acl.Access | ForEach-Object { $_.IdentityReference.Translate([Security.Principal.SecurityIdentifier]).Value } | Sort-Object -Unique)
        $sids | Should -Be (@($me, 'S-1-5-18') | Sort-Object -Unique)
        foreach ($rule in $acl.Access) {
            $rule.AccessControlType | Should -Be 'Allow'
            $rule.IsInherited | Should -BeFalse
        }
    }

    It 'issues from a CA given as a path' {
        $ca = New-ProvisioningCertificate -Path (Join-Path $dir 'ca.pem') -CN 'Lab CA' -O Lab -OU PKI
        $leaf = New-ProvisioningCertificate -Path (Join-Path $dir 'leaf.pem') -CN Leaf -O Lab -OU Voice -IssuerPath $ca.Path
        $leaf.Issuer | Should -Be 'CN=Lab CA,O=Lab,OU=PKI'
    }

    It 'issues from a CA given as an object' {
        $ca = New-ProvisioningCertificate -Path (Join-Path $dir 'ca-object.pem') -CN 'Object CA' -O Lab -OU PKI
        $caObject = [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($ca.Path)
        $leaf = New-ProvisioningCertificate -Path (Join-Path $dir 'leaf-object.pem') -CN Leaf -O Lab -OU Voice -IssuerCertificate $caObject
        $leaf.Issuer | Should -Be 'CN=Object CA,O=Lab,OU=PKI'
    }

    It 'refuses an issuer given both as a path and as an object, before writing anything' {
        $ca = New-ProvisioningCertificate -Path (Join-Path $dir 'ca-both.pem') -CN 'Both CA' -O Lab -OU PKI
        $caObject = [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($ca.Path)
        $leaf = Join-Path $dir 'leaf-both.pem'
        { New-ProvisioningCertificate -Path $leaf -CN Leaf -O Lab -OU Voice -IssuerPath $ca.Path -IssuerCertificate $caObject } |
            Should -Throw -ErrorId 'AmbiguousParameterSet*'
        Test-Path $leaf | Should -BeFalse
        # The same rule in Core, for any caller that gets past the parameter sets.
        $core = try { [PrivateProvisioning.Core.Security.CertificateSource]::Issuer($ca.Path, $caObject) } catch { $_.Exception.InnerException }
        $core.ErrorId | Should -Be 'IssuerConflict'
    }

    It 'targets the CSV row whose file exists and goes on with the next row' {
        Set-Content (Join-Path $dir 'prov_example_com.pem') 'keep'
        $csv = Join-Path $dir 'servers.csv'
        "CommonName,Organization,OrganizationalUnit,Password`nprov.example.com,Example,Voice,Row-Secret-1`nsip.example.com,Example,Voice,Row-Secret-2" | Set-Content $csv
        Push-Location $dir
        try { $r = Import-Csv $csv | New-ProvisioningCertificate -Curve Secp256r1 -ErrorAction SilentlyContinue -ErrorVariable err } finally { Pop-Location }
        $r.Subject | Should -Be 'CN=sip.example.com,O=Example,OU=Voice'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CertificateFileExists*'
        $err[0].TargetObject.CommonName | Should -Be 'prov.example.com'
        $err[0].TargetObject.Password | Should -Be '********'
        $err[0].CategoryInfo.TargetName | Should -Be 'prov.example.com'
        ($err | Out-String) | Should -Not -Match 'Row-Secret'
        Get-Content (Join-Path $dir 'prov_example_com.pem') | Should -Be 'keep'
    }

    It 'targets the existing file on a typed call' {
        $p = Join-Path $dir 'k.pem'; Set-Content $p 'keep'
        New-ProvisioningCertificate -Path $p -CN A -O B -OU C -Curve Secp256r1 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].TargetObject | Should -Be $p
    }

    It 'writes nothing with -WhatIf' {
        New-ProvisioningCertificate -Path (Join-Path $dir 'w.pem') -CN W -O B -OU C -Curve Secp256r1 -WhatIf
        Get-ChildItem $dir | Should -BeNullOrEmpty
    }

    It 'asks with -Confirm and writes nothing unanswered' {
        Test-ConfirmationAsked "New-ProvisioningCertificate -Path '$dir/c.pem' -CN C -O B -OU C -Curve Secp256r1 -Confirm" | Should -BeTrue
        Get-ChildItem $dir | Should -BeNullOrEmpty
    }
}
