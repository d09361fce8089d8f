BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'New-ItlFile' {
    BeforeAll {
        $vectors = Join-Path $script:RepoRoot 'tests/vectors/cisco'
        $certs = Join-Path $vectors 'certs'
    }
    BeforeEach { $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null }
    AfterEach { Remove-Item -Recurse -Force $dir }

    It 'rebuilds the golden ITLFile.tlv byte for byte' {
        $out = Join-Path $dir 'ITLFile.tlv'
        $r = New-ItlFile -Path $out -Sast (Join-Path $certs 'sast.pem') -Ccm (Join-Path $certs 'asterisk.pem') -Timestamp ([DateTimeOffset]::FromUnixTimeSeconds(1795344868))
        $r.SignatureValid | Should -BeTrue
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash (Join-Path $vectors 'itl/ITLFile.tlv')).Hash
    }

    It 'refuses an EC signer' {
        { New-ItlFile -Path (Join-Path $dir 'x.tlv') -Sast (Join-Path $certs 'apache-ec.pem') -ErrorAction Stop } | Should -Throw -ExpectedMessage '*RSA*'
    }

    It 'accepts X509Certificate2 records and an EC TFTP record with signer version 1.1' {
        $ec = Get-PfxCertificate -FilePath (Join-Path $certs 'apache-ec.pem')
        $r = New-ItlFile -Path (Join-Path $dir 'ITLSEP001122334455.tlv') -FileName ITLFile.tlv -Sast (Join-Path $certs 'sast.pem') -Tftp $ec -SignerVersion 1.1 -Digest Sha512
        $r.Records.RoleName | Should -Be @('SAST', 'TFTP')
        $r.FileName | Should -Be 'ITLFile.tlv'
    }

    It 'keeps an existing file with other content unless -Force, and reports the same bytes as Unchanged' {
        $out = Join-Path $dir 'ITLFile.tlv'
        Set-Content -LiteralPath $out -Value 'not a trust list'
        $stamp = [DateTimeOffset]::FromUnixTimeSeconds(1795344868)
        { New-ItlFile -Path $out -Sast (Join-Path $certs 'sast.pem') -Timestamp $stamp -ErrorAction Stop } |
            Should -Throw -ErrorId 'ItlFileExists,PrivateProvisioning.Commands.NewItlFileCommand'
        Get-Content -LiteralPath $out | Should -Be 'not a trust list'
        (New-ItlFile -Path $out -Sast (Join-Path $certs 'sast.pem') -Timestamp $stamp -Force).Status | Should -Be 'Updated'
        (New-ItlFile -Path $out -Sast (Join-Path $certs 'sast.pem') -Timestamp $stamp).Status | Should -Be 'Unchanged'
    }

    It 'writes nothing with -WhatIf' {
        $out = Join-Path $dir 'ITLFile.tlv'
        New-ItlFile -Path $out -Sast (Join-Path $certs 'sast.pem') -WhatIf | Out-Null
        Test-Path $out | Should -BeFalse
    }

    It 'asks with -Confirm and never shows the SAST key password' {
        $out = Join-Path $dir 'ITLFile.tlv'
        Test-ConfirmationAsked "New-ItlFile -Path '$out' -Sast '$certs/sast.pem' -Ccm '$certs/asterisk.pem' -Confirm" | Should -BeTrue
        Test-Path $out | Should -BeFalse
        openssl pkcs12 -export -in (Join-Path $certs 'sast.pem') -out (Join-Path $dir 'sast.pfx') -passout pass:Sast-Secret-6620 2>$null
        $right = ConvertTo-SecureString 'Sast-Secret-6620' -AsPlainText -Force
        $wrong = ConvertTo-SecureString 'Wrong-Secret-1188' -AsPlainText -Force
        $text = New-ItlFile -Path $out -Sast (Join-Path $dir 'sast.pfx') -Password $right -Ccm (Join-Path $certs 'asterisk.pem') -Verbose *>&1 | Out-String
        (Get-ItlFile $out).SignatureValid | Should -BeTrue
        $err = $null
        try { New-ItlFile -Path (Join-Path $dir 'x.tlv') -Sast (Join-Path $dir 'sast.pfx') -Password $wrong -Verbose -ErrorAction Stop *>&1 | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        "$err" | Should -Match 'sast.pfx'
        $text += $err | Format-List * -Force | Out-String
        $text | Should -Not -Match 'Sast-Secret-6620|Wrong-Secret-1188'
    }
}
