BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Get-ItlFile' {
    BeforeAll { $vectors = Join-Path $script:RepoRoot 'tests/vectors/cisco' }

    It 'lists the roles of the golden CTL file' {
        $ctl = Get-ItlFile (Join-Path $vectors 'itl/CTLFile.tlv')
        $ctl.SignatureValid | Should -BeTrue
        $ctl.Records.RoleName | Should -Be @('SAST', 'CCM', 'TFTP', 'CCM+TFTP', 'CAPF', 'APP-SERVER', 'TVS')
        $ctl.Records[0].Certificate | Should -BeOfType System.Security.Cryptography.X509Certificates.X509Certificate2
    }

    It 'expands records' {
        $records = Get-ChildItem (Join-Path $vectors 'itl/ITLFile.tlv') | Get-ItlFile -ExpandRecord
        $records.Count | Should -Be 2
    }

    It 'reports a damaged file as an error' {
        $tmp = New-TemporaryFile
        $bytes = [IO.File]::ReadAllBytes((Join-Path $vectors 'itl/ITLFile.tlv')); $bytes[-5] = $bytes[-5] -bxor 1
        [IO.File]::WriteAllBytes($tmp, $bytes)
        Get-ItlFile -LiteralPath $tmp -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SignatureInvalid*'
        (Get-ItlFile -LiteralPath $tmp -NoVerify).SignatureValid | Should -BeFalse
        Remove-Item $tmp
    }
}
