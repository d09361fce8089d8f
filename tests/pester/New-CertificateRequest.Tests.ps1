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

    It 'targets the CSV row of a bad request, its secret columns masked, and goes on with the next row' {
        $csv = Join-Path $dir 'users.csv'
        "CommonName,Country,Password`nalice,ITA,Alice-Secret-1`nbob,IT,Bob-Secret-2" | Set-Content $csv
        Push-Location $dir
        try { $r = Import-Csv $csv | New-CertificateRequest -KeyAlgorithm EcP256 -ErrorAction SilentlyContinue -ErrorVariable err -Verbose 4>&1 } finally { Pop-Location }
        @($r | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }).CommonName | Should -Be 'bob'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSubjectField*'
        $err[0].TargetObject.CommonName | Should -Be 'alice'
        $err[0].TargetObject.Country | Should -Be 'ITA'
        $err[0].TargetObject.Password | Should -Be '********'
        $err[0].CategoryInfo.TargetName | Should -Be 'alice'
        ($err | Out-String) + ($r | Out-String) | Should -Not -Match 'Secret-'
        Test-Path (Join-Path $dir 'alice.csr') | Should -BeFalse
    }

    It 'targets the existing file when a typed call would replace it' {
        $csr = Join-Path $dir 'prov.csr'; Set-Content $csr 'keep'
        New-CertificateRequest -Path $csr -CN prov.example.com -KeyAlgorithm EcP256 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FileExists*'
        $err[0].TargetObject | Should -BeLike '*prov.*'
        Get-Content $csr | Should -Be 'keep'
    }

    It 'writes nothing with -WhatIf' {
        New-CertificateRequest -Path (Join-Path $dir 'w.csr') -CN w -KeyAlgorithm EcP256 -WhatIf
        Get-ChildItem $dir | Should -BeNullOrEmpty
    }
}
