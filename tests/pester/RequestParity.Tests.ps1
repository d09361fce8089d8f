BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # pprov as the suite built it (dotnet test builds it before Pester runs); PPROV_DLL points elsewhere.
    $script:PprovDll = if ($env:PPROV_DLL) { $env:PPROV_DLL } else {
        @('src/pprov/bin/Release/net10.0/pprov.dll', 'src/pprov/bin/Debug/net10.0/pprov.dll', 'out/pprov/pprov.dll') |
            ForEach-Object { Join-Path $script:RepoRoot $_ } | Where-Object { Test-Path $_ } |
            Sort-Object { (Get-Item $_).LastWriteTimeUtc } -Descending | Select-Object -First 1
    }
    if (-not $script:PprovDll) { throw "pprov is not built: run 'dotnet build src/pprov -c Release' (or set PPROV_DLL)." }

    # The cmdlet's error id: the part of FullyQualifiedErrorId before the comma.
    function Get-CmdletError([scriptblock] $Call) {
        try { & $Call -ErrorAction Stop | Out-Null } catch { return $_ }
        throw 'the cmdlet did not fail'
    }

    # pprov's answer with --json: the error's id once pprov prints {"error":{"id":...}}, and the printed message.
    function Invoke-PprovError([string[]] $Arguments) {
        $out = & dotnet $script:PprovDll @Arguments '--json' 2>&1
        $code = $LASTEXITCODE
        $lines = @($out | ForEach-Object { "$_" })
        $id = $lines | ForEach-Object { try { ($_ | ConvertFrom-Json -ErrorAction Stop).error.id } catch { } } | Where-Object { $_ } | Select-Object -First 1
        [pscustomobject]@{ ExitCode = $code; Id = $id; Lines = $lines }
    }

    # The same Core error from both: the same id (pprov: its JSON id, or until it prints one, Core's message under that id).
    function Assert-SameError([string] $ExpectedId, [scriptblock] $Cmdlet, [string[]] $Pprov) {
        $record = Get-CmdletError $Cmdlet
        ($record.FullyQualifiedErrorId -split ',')[0] | Should -Be $ExpectedId
        $cli = Invoke-PprovError $Pprov
        $cli.ExitCode | Should -Be 2 -Because ($cli.Lines -join "`n")
        if ($cli.Id) { $cli.Id | Should -Be $ExpectedId }
        else {
            # Core's message (each front end may add its own spelling of the parameters before the final period).
            $core = $record.Exception.Message.TrimEnd('.')
            @($cli.Lines | Where-Object { $_.StartsWith('pprov: ' + $core) }).Count | Should -Be 1 -Because ($cli.Lines -join "`n")
        }
        [pscustomobject]@{ Record = $record; Pprov = $cli }
    }
}

# Issue 12: the rules of protect and of trust lists live in Core's requests, so both front ends refuse the same
# combination with the same error id.
Describe 'The cmdlets and pprov give the same error for the same invalid request' {
    BeforeAll {
        $certs = Join-Path $script:RepoRoot 'tests/vectors/cisco/certs'
        $tftp = Join-Path $certs 'asterisk.pem'
        $phone = Join-Path $certs 'phone-SEP001122334455.pem'
        $sast = Join-Path $certs 'sast.pem'
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()); New-Item -ItemType Directory $dir | Out-Null
        $file = Join-Path $dir 'SEP001122334455.cnf.xml'
        Set-Content -LiteralPath $file -Value '<device><loadInformation>P0030801</loadInformation></device>'
        $keyFile = Join-Path $dir 'key'; Set-Content -LiteralPath $keyFile -Value 'Sesame123'
        $key = ConvertTo-SecureString 'Sesame123' -AsPlainText -Force
    }
    AfterAll { Remove-Item -Recurse -Force $dir }

    It 'a key (without a method) together with Cisco signing: SigningWithOtherProtection' {
        Assert-SameError 'SigningWithOtherProtection' { Protect-ProfileFile $file -Key $key -SigningCertificate $tftp } `
            @('protect', $file, '--key-file', $keyFile, '--sign', $tftp)
        Test-Path "$file.sgn" | Should -BeFalse
    }

    It 'a method without a key: KeyRequired' {
        $both = Assert-SameError 'KeyRequired' { Protect-ProfileFile $file -Method OpenSslAes256Cbc } @('protect', $file, '--method', 'openssl')
        # Core names the parameter by meaning; each front end spells it its own way.
        $both.Record.ErrorDetails.Message | Should -BeLike '*needs a key (-Key).'
        $text = & dotnet $script:PprovDll protect $file --method openssl 2>&1 | ForEach-Object { "$_" }
        $text -join "`n" | Should -BeLike '*pprov: OpenSslAes256Cbc needs a key (--key-file / --key-env).*'
    }

    It 'a phone certificate without the signing certificate: SigningCertificateRequired' {
        Assert-SameError 'SigningCertificateRequired' { Protect-ProfileFile $file -PhoneCertificate $phone } @('protect', $file, '--phone-cert', $phone)
    }

    It 'two phone certificates to decrypt with: OnePhoneKey' {
        Assert-SameError 'OnePhoneKey' { Unprotect-ProfileFile "$file.enc.sgn" -PhoneCertificate $phone, $tftp } `
            @('unprotect', "$file.enc.sgn", '--phone-cert', $phone, '--phone-cert', $tftp)
    }

    It 'a trust-list record in a role the format does not define: InvalidRole' {
        $ccm = Get-PfxCertificate -FilePath $tftp
        $bad = [PrivateProvisioning.Core.Security.ItlEntry]::new($ccm, [Enum]::ToObject([PrivateProvisioning.Core.Security.ItlRole], 99))
        Assert-SameError 'InvalidRole' { New-ItlFile -Path (Join-Path $dir 'ITLFile.tlv') -Sast $sast -Entry $bad } `
            @('itl', 'build', (Join-Path $dir 'ITLFile.tlv'), '--sast', $sast, '--entry', "99=$tftp")
        Test-Path (Join-Path $dir 'ITLFile.tlv') | Should -BeFalse
    }

    It 'a MAC address that is not one: InvalidMacAddress, each front end naming its own switch' {
        $both = Assert-SameError 'InvalidMacAddress' { Receive-ProfileFile -Rule 'http://127.0.0.1:9/$MA.cfg' -MacAddress 'nope' } `
            @('fetch', 'http://127.0.0.1:9/$MA.cfg', '--mac', 'nope')
        $both.Record.ErrorDetails.Message | Should -BeLike "MAC address 'nope' is not a MAC address;*(-MacAddress)."
        ($both.Pprov.Lines -join "`n") | Should -BeLike "*MAC address 'nope' is not a MAC address;*(--mac).*"
        ($both.Pprov.Lines -join "`n") | Should -Not -BeLike '*-MacAddress*'
    }
}
