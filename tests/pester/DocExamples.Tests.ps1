# Every example of docs/en-US runs as an admin would paste it: the code of each ```powershell block of a cmdlet page's
# EXAMPLES (and of about_PrivateProvisioning), in a scratch folder holding the files the example names, against the
# published module, with errors stopping it; then what the example's text promises is checked.
#
# What is changed before running, and why (nothing else is):
#   - /srv/... and /etc/... become ./srv/... and ./etc/... (a test writes no system folder); C:\ and D:\ are PowerShell
#     drives rooted in the scratch folder, so the Windows examples run unchanged.
#   - an example's own row in $Specs may name a Rewrite: a documentation address or a fixed port replaced by a server
#     of the test on 127.0.0.1 (port 0, or a free port), listed beside the example.
#   - Read-Host and Get-Credential answer with a fixed test secret instead of prompting; a confirmation prompt the page
#     describes is answered yes (ConfirmYes).
# An example that needs something that cannot run here (a phone) carries a line
#     # Not run by the tests: <reason>
# in its code, visible to readers of the page; the test lists those examples with their reasons and fails when the
# markdown and the list disagree. Every other example must have a row in $Specs: a new example without one fails.

BeforeDiscovery {
    $docs = Join-Path $PSScriptRoot '../../docs/en-US'
    $script:Examples = foreach ($file in Get-ChildItem (Join-Path $docs '*.md') | Sort-Object Name) {
        $page = $file.BaseName
        if ($page -eq 'PrivateProvisioning') { continue }
        $text = (Get-Content -Raw $file.FullName) -replace "`r`n", "`n"
        $start = $text.IndexOf("`n## EXAMPLES")
        if ($start -lt 0) { continue }
        $end = $text.IndexOf("`n## ", $start + 5)
        $section = $text.Substring($start, $end - $start)
        if ($page -like 'about_*') {
            # The about topic has no ### titles: each block is one example.
            $blocks = [regex]::Matches($section, '(?s)```powershell\n(.*?)```')
            for ($i = 0; $i -lt $blocks.Count; $i++) {
                @{ Page = $page; Number = $i + 1; Title = "block $($i + 1)"; Code = $blocks[$i].Groups[1].Value.TrimEnd() }
            }
            continue
        }
        # As PlatyMaml (build/PlatyMaml) reads it: a ### title opens an example; its powershell blocks are its code.
        $parts = [regex]::Split($section, '\n### ') | Select-Object -Skip 1
        $n = 0
        foreach ($part in $parts) {
            $n++
            $title = ($part -split "`n")[0].Trim()
            $code = ([regex]::Matches($part, '(?s)```powershell\n(.*?)```') | ForEach-Object { $_.Groups[1].Value.TrimEnd() }) -join "`n"
            # What Get-Help -Examples shows as the code: every fenced block, output blocks included.
            $shown = ([regex]::Matches($part, '(?s)```[a-z]*\n(.*?)```') | ForEach-Object { $_.Groups[1].Value.TrimEnd() }) -join "`n"
            @{ Page = $page; Number = $n; Title = $title; Code = $code; Shown = $shown }
        }
    }
    # PPROV_DOC_EXAMPLE='New-ItlFile*' runs only the matching examples (the completeness checks then fail, on purpose).
    if ($env:PPROV_DOC_EXAMPLE) { $script:Examples = @($script:Examples | Where-Object { "$($_.Page) $($_.Number)" -like $env:PPROV_DOC_EXAMPLE }) }
    foreach ($e in $script:Examples) {
        $m = [regex]::Match($e.Code, '(?m)^\s*# Not run by the tests: (.+)$')
        $e.Marker = if ($m.Success) { $m.Groups[1].Value.Trim() } else { '' }
        $e.Key = "$($e.Page) $($e.Number)"
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:ExampleFolder = Join-Path $script:RepoRoot 'examples'
    $script:CiscoVectors = Join-Path $script:Vectors 'cisco'
    $script:TestSecret = 'Example-Key-42'

    # The examples that need what this machine cannot give, with the reason the markdown states (a fragment of it).
    $script:Marked = [ordered]@{
        'Invoke-PhoneResync 1'  = 'phone'
        'Invoke-PhoneResync 2'  = 'phones'
        'Invoke-PhoneResync 3'  = 'phone'
        'Receive-PhoneSyslog 1' = 'phone'
    }

    function Copy-Example([string[]] $Name) { foreach ($n in $Name) { Copy-Item -Recurse (Join-Path $script:ExampleFolder $n) . } }
    function Copy-Vector([string] $Relative, [string] $Destination = '.') {
        New-Item -ItemType Directory -Force $Destination | Out-Null
        Copy-Item (Join-Path $script:Vectors $Relative) $Destination
    }
    # A self-signed RSA certificate and key made by openssl (once per run: RSA key generation is the slow part).
    $script:CertificateCache = Join-Path ([IO.Path]::GetTempPath()) ('pprov-example-certs-' + [Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $script:CertificateCache | Out-Null
    function New-OpenSslCertificate([string] $Name) {
        $cached = Join-Path $script:CertificateCache $Name
        if (-not (Test-Path "$cached.pem")) {
            openssl req -x509 -newkey rsa:2048 -nodes -keyout "$cached.key" -out "$cached.pem" -subj "/CN=$Name" -days 3650 2>$null
            if ($LASTEXITCODE -ne 0) { throw "openssl req failed for $Name" }
        }
        Copy-Item "$cached.pem", "$cached.key" .
    }
    function New-Request([string] $Folder, [string[]] $UserName) {
        New-Item -ItemType Directory -Force $Folder | Out-Null
        foreach ($u in $UserName) { New-CertificateRequest -Path "$Folder/$u.csr" -CN $u -KeyAlgorithm EcP256 | Out-Null }
    }
    # A request encrypted to server.pem as the PrivateWave app sends it (openssl cms).
    function New-EncryptedRequest([string] $Folder, [string[]] $UserName) {
        New-Item -ItemType Directory -Force $Folder | Out-Null
        foreach ($u in $UserName) {
            New-CertificateRequest -Path "$Folder/$u.plain" -KeyPath "$Folder/$u.key" -CN $u -KeyAlgorithm EcP256 | Out-Null
            openssl cms -encrypt -binary -outform DER -aes256 -in "$Folder/$u.plain" -out "$Folder/$u.p7m" server.pem
            Remove-Item "$Folder/$u.plain", "$Folder/$u.key"
        }
    }
    function Get-OpenSslPin([string] $Path) {
        $tmp = [IO.Path]::GetTempFileName()
        try {
            openssl x509 -in $Path -pubkey -noout -out "$tmp.pub"
            openssl pkey -pubin -in "$tmp.pub" -outform der -out $tmp
            [Convert]::ToBase64String([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($tmp)))
        } finally { Remove-Item $tmp, "$tmp.pub" -ErrorAction SilentlyContinue }
    }
    function Get-FreeUdpPort {
        $s = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([Net.IPAddress]::Loopback, 0))
        try { $s.Client.LocalEndPoint.Port } finally { $s.Dispose() }
    }
    # Generated profiles of the shipped example (plain), for the examples that start from them.
    function New-ExampleProfile([string] $Format, [string] $Destination) {
        Import-Csv (Join-Path $script:ExampleFolder 'accounts.csv') | Where-Object Format -eq $Format |
            New-ProvisioningProfile -Format $Format -Destination $Destination -Store (Join-Path $script:ExampleFolder 'store')
    }
    # nginx on 127.0.0.1 (one process, no master: killing it leaves no worker behind) with HTTPS that requires a client certificate from the CA (the phone's), as a
    # provisioning server would be set up; returns its port and process once it accepts connections.
    function Start-Nginx([string] $Prefix, [string] $Root, [string] $Certificate, [string] $Key, [string] $ClientCA) {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start()
        $port = $listener.LocalEndpoint.Port; $listener.Stop()
        New-Item -ItemType Directory "$Prefix/logs", "$Prefix/tmp" -Force | Out-Null
        Set-Content "$Prefix/nginx.conf" @"
daemon off;
master_process off;
pid $Prefix/nginx.pid;
error_log $Prefix/logs/error.log;
events { worker_connections 16; }
http {
    access_log $Prefix/logs/access.log;
    client_body_temp_path $Prefix/tmp/body;
    proxy_temp_path $Prefix/tmp/proxy;
    fastcgi_temp_path $Prefix/tmp/fastcgi;
    uwsgi_temp_path $Prefix/tmp/uwsgi;
    scgi_temp_path $Prefix/tmp/scgi;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $Certificate;
        ssl_certificate_key $Key;
        ssl_client_certificate $ClientCA;
        ssl_verify_client on;
        root $Root;
    }
}
"@
        $process = Start-Process nginx -ArgumentList '-c', "$Prefix/nginx.conf", '-p', $Prefix -PassThru -RedirectStandardError "$Prefix/logs/stderr.log" -RedirectStandardOutput "$Prefix/logs/stdout.log"
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ($true) {
            $client = [Net.Sockets.TcpClient]::new()
            try { $client.Connect('127.0.0.1', $port); break }
            catch { if ([DateTime]::UtcNow -gt $deadline -or $process.HasExited) { throw "nginx did not listen on $port`: $(Get-Content -Raw "$Prefix/logs/stderr.log", "$Prefix/logs/error.log" -ErrorAction SilentlyContinue)" }; Start-Sleep -Milliseconds 50 }
            finally { $client.Dispose() }
        }
        [pscustomobject]@{ Port = $port; Process = $process }
    }
    function Get-CodeText([string] $Text) { (($Text -replace "`r`n", "`n") -split "`n" | ForEach-Object TrimEnd) -join "`n" }

    # Per example: Setup (run in the scratch folder before), Check (after, with $out the example's output as text),
    # Rewrite (a table of text of the example and its replacement, built after Setup), Cleanup, ConfirmYes, FromRepositoryRoot
    # (the about topic's examples run from the repository root, as it says). Keys are '<page> <number>'.
    $script:Specs = @{
        'about_PrivateProvisioning 1'      = @{
            FromRepositoryRoot = $true
            # The example writes under the temporary folder; a folder of this run's own keeps two suites apart.
            Setup = { $script:SavedTmpDir = $env:TMPDIR; $env:TMPDIR = (New-Item -ItemType Directory (Join-Path $scratch 'tmp')).FullName }
            Cleanup = { $env:TMPDIR = $script:SavedTmpDir }
            Check = {
                $files = @(Get-ChildItem (Join-Path ([IO.Path]::GetTempPath()) 'pprov-about/tftp') -File)
                $files.Count | Should -Be 3
                foreach ($f in $files) { (gzip -dc $f.FullName) -join "`n" | Should -Match 'flat-profile' }
            }
        }
        'about_PrivateProvisioning 2'      = @{
            FromRepositoryRoot = $true
            Check = { $out | Should -Match 'tftp://prov.example.com/site7/000e08abcdef.cfg' }
        }
        'about_PrivateProvisioning 3'      = @{
            FromRepositoryRoot = $true
            Check = { $out | Should -Match 'default'; $out | Should -Match 'sales'; $out | Should -Match 'office' }
        }

        'Approve-CertificateRequest 1'     = @{
            Setup = { New-OpenSslCertificate ca; New-Request csr alice, bob }
            Check = {
                foreach ($u in 'alice', 'bob') { openssl verify -CAfile ca.pem "client_cert/$u.pem" | Should -Match ': OK' }
                $days = ([Security.Cryptography.X509Certificates.X509Certificate2]::new("$PWD/client_cert/alice.pem").NotAfter - [DateTime]::Now).TotalDays
                [Math]::Round($days) | Should -BeIn 729, 730
            }
        }
        'Approve-CertificateRequest 2'     = @{
            Setup = { New-OpenSslCertificate ca; New-OpenSslCertificate server; New-EncryptedRequest csr alice }
            Check = { openssl verify -CAfile ca.pem client_cert/alice.pem | Should -Match ': OK' }
        }
        'Approve-CertificateRequest 3'     = @{
            Setup = { New-OpenSslCertificate ca; New-CertificateRequest -Path prov.csr -CN prov.example.com | Out-Null }
            Check = { Test-Path server | Should -BeFalse -Because '-WhatIf writes nothing' }
        }

        'Expand-ProfileRule 1'             = @{ Check = { $out | Should -Match 'tftp://prov.example.com/site7/000e08abcdef.cfg' } }
        'Expand-ProfileRule 2'             = @{
            Setup = { New-Item -ItemType Directory examples | Out-Null; Copy-Item (Join-Path $script:ExampleFolder phones.csv) examples/ }
            Check = { $out | Should -Match 'tftp://prov.example.com/hq/8851-3PCC/000e08abcdf1.cfg' }
        }
        'Expand-ProfileRule 3'             = @{
            Check = {
                $out | Should -Match 'https://prov.example.com/000e08abcdef.xml'
                $out | Should -Match 'True' -Because 'HasKey'
                $out | Should -Not -Match $script:TestSecret
            }
        }
        'Expand-ProfileRule 4'             = @{
            Setup = { New-Item -ItemType Directory examples | Out-Null; Copy-Item (Join-Path $script:ExampleFolder phones.csv) examples/ }
            Check = { @($out.Trim() -split "`n").Count | Should -Be 4; $out | Should -Match '^/Cisco/SPA2102/000e08abcdef.cfg' }
        }

        'Export-ProvisioningCertificate 1' = @{
            Setup = { New-OpenSslCertificate server }
            Check = {
                openssl x509 -in server.pem -outform der -out openssl.der
                (Get-FileHash server.der).Hash | Should -Be (Get-FileHash openssl.der).Hash
            }
        }
        'Export-ProvisioningCertificate 2' = @{
            Setup = { New-OpenSslCertificate server }
            Check = {
                $pfx = [Security.Cryptography.X509Certificates.X509Certificate2]::new("$PWD/server.pfx", $script:TestSecret)
                $pfx.HasPrivateKey | Should -BeTrue
                $pfx.Subject | Should -Be 'CN=server'
            }
        }

        'Export-WebServerConfiguration 1'  = @{
            Check = {
                $text = Get-Content -Raw etc/nginx/conf.d/pprov.conf
                $text | Should -Match 'ssl_verify_client on;'
                $text | Should -Match 'ssl_crl'
                $text | Should -Match 'return 403;'
            }
        }
        'Export-WebServerConfiguration 2'  = @{
            Check = { $out | Should -Match '<VirtualHost'; $out | Should -Match 'Listen 9443|:9443'; $out | Should -Match 'SSLVerifyClient require' }
        }
        'Export-WebServerConfiguration 3'  = @{
            Setup = { New-Item -ItemType Directory C/pki, D/prov -Force | Out-Null; Push-Location C/pki; New-OpenSslCertificate ca; Pop-Location }
            Check = {
                [xml] $config = Get-Content -Raw D/prov/web.config
                $config.configuration.'system.webServer'.security.access.sslFlags | Should -Match 'SslRequireCert'
            }
        }
        'Export-WebServerConfiguration 4'  = @{
            Check = { $out | Should -Match ([regex]::Escape('spa')); $out | Should -Match 'ssl_client_s_dn'; $out | Should -Match 'L=' }
        }

        'Get-CertificatePin 1'             = @{
            Setup = { New-OpenSslCertificate server }
            Check = { $out.Trim() | Should -Be (Get-OpenSslPin server.pem) }
        }
        'Get-CertificatePin 2'             = @{
            Setup = { New-OpenSslCertificate ca; New-Request csr alice, bob }
            Check = {
                $out | Should -Match ([regex]::Escape((Get-OpenSslPin client_cert/alice.pem)))
                $out | Should -Match ([regex]::Escape((Get-OpenSslPin client_cert/bob.pem)))
            }
        }

        'Get-ItlFile 1'                    = @{
            Setup = { Copy-Vector cisco/itl/ITLFile.tlv srv/tftp }
            Check = { $out | Should -Match 'SAST'; $out | Should -Match 'CCM' }
        }
        'Get-ItlFile 2'                    = @{
            Setup = {
                Copy-Vector cisco/itl/ITLSEP001122334455.tlv srv/tftp
                $bytes = [IO.File]::ReadAllBytes("$PWD/srv/tftp/ITLSEP001122334455.tlv")
                $bytes[$bytes.Length - 1] = $bytes[$bytes.Length - 1] -bxor 0xff     # one byte of the signature changed
                [IO.File]::WriteAllBytes("$PWD/srv/tftp/ITLSEP665544332211.tlv", $bytes)
            }
            Check = { $out | Should -Match 'ITLSEP665544332211'; $out | Should -Not -Match 'ITLSEP001122334455' }
        }

        'Get-ProfileParameter 1'           = @{
            Setup = {
                @([pscustomobject]@{ MacAddress = '00:0E:08:AB:CD:EF'; UserId = '201'; Password = $script:TestSecret; SipServer = 'pbx.example.com' }) |
                    New-ProvisioningProfile -Format CiscoSpa -Destination out -FileName '$MA.xml' | Out-Null
            }
            Check = { $out | Should -Match 'User_ID_1_'; $out | Should -Match '201'; $out | Should -Not -Match $script:TestSecret }
        }
        'Get-ProfileParameter 2'           = @{
            Setup = { New-ExampleProfile Panasonic out | Out-Null }
            Check = { $out | Should -Match 'Config0080F0A1B2C3.cfg|CFG_' }
        }
        'Get-ProfileParameter 3'           = @{
            Setup = { Set-Content customer.xml "<customer-account><SIP-number>1001</SIP-number><SIP-password>$($script:TestSecret)</SIP-password></customer-account>" }
            Check = { $out | Should -Match 'User_ID_1_'; $out | Should -Match '1001'; $out | Should -Not -Match $script:TestSecret }
        }
        'Get-ProfileParameter 4'           = @{
            Setup = {
                New-Item -ItemType Directory store/templates -Force | Out-Null
                Set-Content store/templates/customer.json '{ "name": "customer", "parameters": { "CiscoSpa": { "@SharedFile": "common/$TEMPLATE.xml", "@SharedUrl": "https://prov.example.com/", "@Alias": "a", "GPP_A": "/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /customer-account/SIP-password = /flat-profile/Password_1_ ;", "Profile_Rule": "[--alias a] https://prov.example.com/$$MA.xml" } } }'
                @([pscustomobject]@{ MacAddress = '00:0E:08:AB:CD:EF'; Format = 'CiscoSpa'; Template = 'customer'; UserId = '5551234'; Password = $script:TestSecret; SipServer = 'pbx.example.com' }) |
                    New-ProvisioningProfile -Destination out -Store store | Out-Null
            }
            Check = {
                Get-Content -Raw out/000e08abcdef.xml | Should -Match '<SIP-number>5551234</SIP-number>'
                $out | Should -Match 'User_ID_1_'; $out | Should -Match '5551234'; $out | Should -Match 'Profile_Rule_B'; $out | Should -Not -Match $script:TestSecret
            }
        }
        'Get-ProfileParameter 5'           = @{
            Setup = { Import-Csv (Join-Path $script:ExampleFolder 'accounts.csv') | Where-Object Format -eq CiscoSpa | Export-Csv accounts.csv }
            Check = { $out | Should -Match 'Resync_'; $out | Should -Not -Match 'Ch4nge-me' }
        }

        'Get-ProfileTemplate 1'            = @{ Check = { $out | Should -Match 'office'; $out | Should -Match 'secure-mobile' } }
        'Get-ProfileTemplate 2'            = @{ Check = { $out | Should -Match 'Resync_Periodic|Profile_Rule|\w+' } }
        'Get-ProfileTemplate 3'            = @{ Check = { $out | Should -Match 'office'; $out | Should -Match 'office-tls' } }

        'Get-ProvisioningGroup 1'          = @{ Check = { $out | Should -Match 'sales'; $out | Should -Match 'office' } }
        'Get-ProvisioningGroup 2'          = @{ Check = { $out | Should -Match 'sales' } }

        'Get-ProvisioningServerLog 1'      = @{
            Setup = {
                New-Item -ItemType Directory www | Out-Null; Set-Content www/spa000e08abcdef.xml '<flat-profile/>'
                $server = Start-ProvisioningServer -Path www -Http -HttpPort 0
                curl -s -o /dev/null -A 'Cisco/SPA504G-7.5.5 (000E08ABCDEF)' "http://127.0.0.1:$($server.HttpPort)/spa000e08abcdef.xml"
                Wait-ProvisioningServerLog -Id $server.Id -Until { param($r) $r.Count -ge 1 } | Out-Null
            }
            Check = { $out | Should -Match 'spa000e08abcdef.xml'; $out | Should -Match 'Served' }
        }
        'Get-ProvisioningServerLog 2'      = @{
            Setup = {
                New-Item -ItemType Directory www | Out-Null
                $server = Start-ProvisioningServer -Path www -Http -HttpPort 0
                curl -s -o /dev/null "http://127.0.0.1:$($server.HttpPort)/missing.cfg"
                Wait-ProvisioningServerLog -Id $server.Id -Until { param($r) $r.Count -ge 1 } | Out-Null
            }
            Check = { $out | Should -Match 'missing.cfg'; $out | Should -Match 'NotFound' }
        }

        'New-CertificateRequest 1'         = @{
            Check = {
                Test-Path prov.key | Should -BeTrue
                $text = (openssl req -in prov.csr -noout -text -verify 2>&1) -join "`n"
                $text | Should -Match 'CN\s*=\s*prov.example.com'
                $text | Should -Match 'IP Address:192.0.2.10'
            }
        }
        'New-CertificateRequest 2'         = @{
            Setup = { "CommonName,Email`nalice,alice@example.com`nbob,bob@example.com" | Set-Content users.csv }
            Check = {
                foreach ($u in 'alice', 'bob') { Test-Path "$u.csr", "$u.key" | Should -Be $true, $true }
                (openssl req -in alice.csr -noout -subject) | Should -Match 'O\s*=\s*ACME.*OU\s*=\s*Voice.*CN\s*=\s*alice'
            }
        }

        'New-ItlFile 1'                    = @{
            Setup = { Copy-Vector cisco/certs/sast.pem; Copy-Vector cisco/certs/asterisk.pem }
            Check = { (Get-ItlFile srv/tftp/ITLFile.tlv).SignatureValid | Should -BeTrue }
        }
        'New-ItlFile 2'                    = @{
            Setup = { 'sast.pem', 'asterisk.pem', 'apache-ec.pem' | ForEach-Object { Copy-Vector "cisco/certs/$_" } }
            Check = { $itl = Get-ItlFile ITLSEP001122334455.tlv; $itl.SignatureValid | Should -BeTrue; $itl.FileName | Should -Be 'ITLFile.tlv' }
        }
        'New-ItlFile 3'                    = @{
            Setup = {
                Copy-Vector cisco/itl/ITLFile.tlv
                Copy-Vector cisco/certs/sast.pem
                openssl pkcs12 -export -in sast.pem -out sast.pfx -passout pass: 2>$null
                $before = Get-ItlFile ITLFile.tlv
            }
            Check = {
                $after = Get-ItlFile ITLFile.tlv
                $after.SignatureValid | Should -BeTrue
                $after.Records.Thumbprint | Should -Be $before.Records.Thumbprint
            }
        }

        'New-ProfileTemplate 1'            = @{
            Setup = { Remove-Item -Recurse store }
            Check = { (Get-Content -Raw store/templates/office.json | ConvertFrom-Json).Parameters.CiscoSpa.Resync_Periodic | Should -Be 3600 }
        }
        'New-ProfileTemplate 2'            = @{
            Setup = { Remove-Item store/templates/office-tls.json }   # the shipped store has it already
            Check = { (Get-ProfileTemplate office-tls).BasedOn | Should -Be 'office' }
        }

        'New-ProvisioningCertificate 1'    = @{
            Check = { (openssl x509 -in sast.pem -noout -subject) | Should -Match 'CN\s*=\s*SAST'; (openssl x509 -in asterisk.pem -noout -subject) | Should -Match 'CN\s*=\s*Asterisk' }
        }
        'New-ProvisioningCertificate 2'    = @{
            Check = { (openssl x509 -in apache-ec.pem -noout -text) -join "`n" | Should -Match 'P-384|secp384r1' }
        }
        'New-ProvisioningCertificate 3'    = @{
            Setup = { "CommonName,Organization,OrganizationalUnit`nprov.example.com,Example,Voice`nsip.example.com,Example,Voice" | Set-Content servers.csv }
            Check = { foreach ($n in 'prov_example_com', 'sip_example_com') { openssl verify -CAfile ca.pem "$n.pem" | Should -Match ': OK' } }
        }

        'New-ProvisioningProfile 1'        = @{
            Setup = { Copy-Example accounts.csv }
            Check = { @(Get-ChildItem -Recurse -File srv/tftp).Count | Should -Be 8 }
        }
        'New-ProvisioningProfile 2'        = @{
            Setup = { Copy-Example accounts.csv }
            # exit would end this test run: the code the scheduled task would exit with is kept instead.
            Rewrite = { @{ 'exit $summary.ExitCode' = '$exitCode = $summary.ExitCode' } }
            Check = { $exitCode | Should -Be 0; @(Get-ChildItem -Recurse -File srv/tftp).Count | Should -Be 8 }
        }
        'New-ProvisioningProfile 3'        = @{
            Setup = { Copy-Example accounts.csv }
            Check = { @(Get-ChildItem -File srv/tftp).Count | Should -Be 3 }
        }
        'New-ProvisioningProfile 4'        = @{
            Setup = { Copy-Example accounts.csv }
            Check = { $out | Should -Match 'MacAddress'; $out | Should -Match 'Created'; Test-Path srv/tftp | Should -BeFalse }
        }
        'New-ProvisioningProfile 5'        = @{
            Setup = { Copy-Example accounts.csv }
            Check = {
                @(Get-ChildItem -File plain).Count | Should -Be 3
                @(Get-ChildItem -File srv/tftp).Count | Should -Be 3
                foreach ($f in Get-ChildItem -File srv/tftp) {
                    (bash -c "openssl enc -d -aes-256-cbc -md md5 -k '$($script:TestSecret)' -in '$($f.FullName)' 2>/dev/null | gzip -dc") -join "`n" | Should -Match 'flat-profile'
                }
            }
        }
        'New-ProvisioningProfile 6'        = @{
            Setup = { "MacAddress,Site,UserId,Password`n00:0E:08:AB:CD:01,rome,201,x`n00:0E:08:AB:CD:02,milan,202,y" | Set-Content accounts.csv }
            Check = { Test-Path out/rome/spa000e08abcd01.xml, out/milan/spa000e08abcd02.xml | Should -Be $true, $true }
        }
        'New-ProvisioningProfile 7'        = @{
            Setup = { Copy-Example accounts.csv }
            Check = { @(Get-ChildItem -Recurse -File srv/tftp).Count | Should -Be 8 }
        }
        'New-ProvisioningProfile 8'        = @{
            Setup = { "MacAddress,UserId,Password`n00:0E:08:AB:CD:01,201,$($script:TestSecret)`nnot-a-mac,202,$($script:TestSecret)" | Set-Content accounts.csv }
            Check = { $out | Should -Match 'not-a-mac'; $out | Should -Match 'MacAddress|Invalid'; $out | Should -Not -Match $script:TestSecret }
        }
        'New-ProvisioningProfile 9'        = @{
            Setup = {
                $rows = 1..12 | ForEach-Object { "00:0E:08:AB:CD:{0:X2},sales,u$_,x" -f $_ }
                $rows[11] = '00:0E:08:AB:CD:0C,slaes,u12,x'
                (@('MacAddress,Group,UserId,Password') + $rows) | Set-Content accounts.csv
            }
            Check = { $out | Should -Match ([regex]::Escape("Group 'slaes' (row 12) has no template assigned")) }
        }

        'Protect-ProfileFile 1'            = @{
            Setup = { Import-Csv (Join-Path $script:ExampleFolder 'accounts.csv') | Where-Object Format -eq CiscoSpa | Export-Csv accounts.csv }
            Check = {
                $file = Get-ChildItem -File srv/tftp | Select-Object -First 1
                $text = bash -c "openssl enc -d -aes-256-cbc -md md5 -k '$($script:TestSecret)' -in '$($file.FullName)' | gzip -dc"
                ($text -join "`n") | Should -Match 'flat-profile'
            }
        }
        'Protect-ProfileFile 2'            = @{
            Setup = { New-ExampleProfile CiscoSpa profiles | Out-Null }
            Check = {
                @(Get-ChildItem profiles/*.xml.gz).Count | Should -Be 3
                @(Get-ChildItem srv/tftp -File).Count | Should -Be 3
                Get-ChildItem srv/tftp -File | ForEach-Object { (gzip -dc $_.FullName) -join "`n" | Should -Match 'flat-profile' }
            }
        }
        'Protect-ProfileFile 3'            = @{
            Setup = {
                New-Item -ItemType Directory cfg | Out-Null; Set-Content cfg/000e08abcdef.xml '<flat-profile><Resync_Periodic>3600</Resync_Periodic></flat-profile>'
            }
            Check = {
                $r = Unprotect-ProfileFile aes128gcm/000e08abcdef.xml -Rfc8188 -Key $ikm -Destination plain
                (Get-FileHash $r.Path).Hash | Should -Be (Get-FileHash cfg/000e08abcdef.xml).Hash
            }
        }
        'Protect-ProfileFile 4'            = @{
            Setup = {
                Copy-Vector cisco/certs/asterisk.pem
                Copy-Vector cisco/sgn/SEP001122334455.cnf.xml srv/tftp
                Copy-Vector cisco/sgn/g3-tones.xml tones
            }
            Check = {
                (Get-Item srv/tftp/SEP001122334455.cnf.xml.sgn).Length | Should -BeGreaterThan 0
                (Unprotect-ProfileFile tones/g3-tones.xml.sgn -SigningCertificate asterisk.pem -Destination check).Path | Should -Not -BeNullOrEmpty
            }
        }
        'Protect-ProfileFile 5'            = @{
            Setup = {
                Copy-Vector cisco/certs/asterisk.pem
                Copy-Vector cisco/certs/phone-SEP001122334455.pem
                Copy-Vector cisco/certs/phone-SEP001122334455.pem lsc
                Copy-Vector cisco/sgn/SEP001122334455.cnf.xml srv/tftp
            }
            Check = {
                Test-Path srv/tftp/SEP001122334455.cnf.xml.enc.sgn, srv/tftp/SEP001122334455.cnf.xml.sgn | Should -Be $true, $true
                $r = Unprotect-ProfileFile srv/tftp/SEP001122334455.cnf.xml.enc.sgn -PhoneCertificate phone-SEP001122334455.pem -Destination check
                (Get-FileHash $r.Path).Hash | Should -Be (Get-FileHash srv/tftp/SEP001122334455.cnf.xml).Hash
            }
        }

        'Receive-PhoneSyslog 2'            = @{
            Setup = {
                $port = Get-FreeUdpPort
                $sender = Start-ThreadJob -ArgumentList $port {
                    param($port)
                    $udp = [Net.Sockets.UdpClient]::new()
                    $bytes = [Text.Encoding]::ASCII.GetBytes('SPA942 00:0e:08:ab:cd:ef -- Resync failed: http_get failed')
                    $deadline = [DateTime]::UtcNow.AddSeconds(20)
                    while ([DateTime]::UtcNow -lt $deadline) { [void] $udp.Send($bytes, $bytes.Length, '127.0.0.1', $port); Start-Sleep -Milliseconds 100 }
                    $udp.Dispose()
                }
            }
            # The example's fixed port, replaced by a free one on the loopback address (other runs share this machine).
            Rewrite = { @{ '-Port 5514' = "-Port $port -Address 127.0.0.1" } }
            Check = { $sender | Stop-Job -PassThru | Remove-Job; $out | Should -Match 'Resync failed: http_get failed' }
        }

        'Receive-ProfileFile 1'            = @{
            Setup = {
                New-Item -ItemType Directory www/cisco -Force | Out-Null
                Set-Content www/cisco/000e08abcdef.cfg '<flat-profile><Resync_Periodic>3600</Resync_Periodic></flat-profile>'
                $server = Start-ProvisioningServer -Path www -Http -HttpPort 0
            }
            Rewrite = { @{ 'prov.example.com' = "127.0.0.1:$($server.HttpPort)" } }
            Check = { $out | Should -Match 'Resync_Periodic'; $out | Should -Match '3600' }
        }
        'Receive-ProfileFile 2'            = @{
            Setup = {
                New-Item -ItemType Directory www, plain, out -Force | Out-Null
                Set-Content plain/000e08abcdef.cfg '<flat-profile><Resync_Periodic>3600</Resync_Periodic><Station_Name>desk</Station_Name></flat-profile>'
                Set-Content out/000e08abcdef.xml '<flat-profile><Resync_Periodic>7200</Resync_Periodic><Station_Name>desk</Station_Name></flat-profile>'
                Protect-ProfileFile plain/000e08abcdef.cfg -Key (ConvertTo-SecureString $script:TestSecret -AsPlainText -Force) -Destination www | Out-Null
                $server = Start-ProvisioningServer -Path www -Http -HttpPort 0
            }
            Rewrite = { @{ 'prov.example.com' = "127.0.0.1:$($server.HttpPort)" } }
            Check = { $out | Should -Match 'Resync_Periodic'; $out | Should -Not -Match 'Station_Name'; $out | Should -Not -Match $script:TestSecret }
        }
        'Receive-ProfileFile 3'            = @{
            Setup = {
                New-Item -ItemType Directory www/Panasonic -Force | Out-Null
                Copy-Item (Join-Path $script:Vectors 'panasonic/Config0080F0C4D5E6.cfg') www/Panasonic/Config0080F0C8C381.cfg
                $server = Start-ProvisioningServer -Path www -Http -HttpPort 0
            }
            Rewrite = { @{ 'prov.example.com' = "127.0.0.1:$($server.HttpPort)" } }
            Check = { $out | Should -Match 'SIP_'; $out | Should -Not -Match 'secret' }
        }

        'Receive-ProfileFile 4'            = @{
            Setup = {
                # A CA, nginx's certificate for 127.0.0.1 and the phone's certificate (phone.pfx), all EC for speed.
                $ec = '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'
                openssl req -x509 @ec -keyout ca.key -out ca.pem -subj '/CN=Example CA' -days 30 2>$null
                openssl x509 -in ca.pem -outform der -out ca.cer
                Set-Content san.ext 'subjectAltName=IP:127.0.0.1'
                openssl req @ec -keyout nginx.key -out nginx.csr -subj '/CN=127.0.0.1' 2>$null
                openssl x509 -req -in nginx.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out nginx.pem -days 30 -extfile san.ext 2>$null
                openssl req @ec -keyout phone.key -out phone.csr -subj '/CN=000e08abcdef' 2>$null
                openssl x509 -req -in phone.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out phone.pem -days 30 2>$null
                openssl pkcs12 -export -in phone.pem -inkey phone.key -out phone.pfx -passout pass: 2>$null
                New-Item -ItemType Directory www, nginx/logs -Force | Out-Null
                Set-Content www/000e08abcdef.xml '<customer-account><SIP-number>1001</SIP-number></customer-account>'
                $nginx = Start-Nginx -Prefix "$PWD/nginx" -Root "$PWD/www" -Certificate "$PWD/nginx.pem" -Key "$PWD/nginx.key" -ClientCA "$PWD/ca.pem"
            }
            Rewrite = { @{ 'prov.example.com' = "127.0.0.1:$($nginx.Port)" } }
            Check = { $out | Should -Match 'User_ID_1_'; $out | Should -Match '1001' }
            Cleanup = { if ($nginx) { $nginx.Process.Kill(); $nginx.Process.WaitForExit(5000) | Out-Null } }
        }

        'Remove-ProfileTemplate 1'         = @{
            Setup = { New-ProfileTemplate old-office | Out-Null }
            Check = { Test-Path store/templates/old-office.json | Should -BeFalse }
        }
        'Remove-ProfileTemplate 2'         = @{
            ConfirmYes = $true   # ConfirmImpact High: the page says it asks; the test answers yes
            Check = {
                Test-Path store/templates/office.json | Should -BeFalse
                $out | Should -Match "Group 'sales' now falls back to the default template"
            }
        }

        'Set-ProfileTemplate 1'            = @{
            Check = { (Get-ProfileTemplate office).Settings['PinLockTime'] | Should -Be '60' }
        }
        'Set-ProfileTemplate 2'            = @{
            Setup = { Set-ProfileTemplate office -Setting @{ PinLockTime = 60 } -Parameter @{ CiscoSpa = @{ Resync_Periodic = 600 } } | Out-Null }
            Check = {
                $t = Get-ProfileTemplate office
                $t.Settings.ContainsKey('PinLockTime') | Should -BeFalse
                $t.Parameters['CiscoSpa'].ContainsKey('Resync_Periodic') | Should -BeFalse
            }
        }

        'Set-ProvisioningGroup 1'          = @{ Check = { (Get-ProvisioningGroup sales).Template | Should -Be 'office' } }
        'Set-ProvisioningGroup 2'          = @{ Check = { (Get-ProvisioningGroup sales -ErrorAction SilentlyContinue).Template | Should -BeNullOrEmpty } }

        'Start-ProvisioningServer 1'       = @{
            Setup = { New-Item -ItemType Directory out | Out-Null }
            # A bench phone's LAN address and the privileged ports 69/80: here the loopback address and free ports.
            Rewrite = { @{ '-Address 192.168.1.10' = '-Address 127.0.0.1 -TftpPort 0 -HttpPort 0' } }
            Check = { $server.State | Should -Be 'Stopped'; $server.TftpEndPoint | Should -BeLike '127.0.0.1:*' }
        }
        'Start-ProvisioningServer 2'       = @{
            Setup = { New-Item -ItemType Directory srv/prov -Force | Out-Null }
            Rewrite = { @{ '-HttpPort 8080' = '-HttpPort 0' } }    # 8080 may be taken on a shared machine
            Check = { $out | Should -Match '127.0.0.1:\d+'; $out | Should -Match 'Running' }
        }

        'Stop-ProvisioningServer 1'        = @{
            Setup = { New-Item -ItemType Directory out | Out-Null }
            Rewrite = { @{ '-TftpPort 6969' = '-TftpPort 0' } }
            Check = { $server.State | Should -Be 'Stopped' }
        }
        'Stop-ProvisioningServer 2'        = @{
            Setup = {
                New-Item -ItemType Directory www | Out-Null
                $servers = 1, 2 | ForEach-Object { Start-ProvisioningServer -Path www -Http -HttpPort 0 }
            }
            Check = {
                foreach ($s in $servers) {
                    $client = [Net.Sockets.TcpClient]::new()
                    { $client.Connect('127.0.0.1', $s.HttpPort) } | Should -Throw
                    $client.Dispose()
                }
            }
        }

        'Unprotect-CertificateRequest 1'   = @{
            Setup = {
                New-Item -ItemType Directory C/pki -Force | Out-Null
                New-OpenSslCertificate server; Copy-Item server.pem, server.key C/pki/
                New-OpenSslCertificate ca; New-EncryptedRequest csr alice, bob
            }
            Check = { foreach ($u in 'alice', 'bob') { openssl verify -CAfile ca.pem "client_cert/$u.pem" | Should -Match ': OK' } }
        }
        'Unprotect-CertificateRequest 2'   = @{
            Setup = {
                New-OpenSslCertificate server
                New-EncryptedRequest inbox alice
                openssl pkey -in server.key -aes256 -passout "pass:$($script:TestSecret)" -out server.enc.key
                Move-Item -Force server.enc.key server.key
            }
            Check = { (openssl req -in decrypted/alice.csr -noout -subject) | Should -Match 'alice' }
        }

        'Unprotect-ProfileFile 1'          = @{
            Setup = {
                New-Item -ItemType Directory plain | Out-Null
                Set-Content plain/000e08abcdef.xml '<flat-profile><Resync_Periodic>3600</Resync_Periodic></flat-profile>'
                Protect-ProfileFile plain/000e08abcdef.xml -Compress -Key (ConvertTo-SecureString $script:TestSecret -AsPlainText -Force) -Destination srv/tftp | Out-Null
            }
            Check = { (Get-FileHash inspect/000e08abcdef.xml).Hash | Should -Be (Get-FileHash plain/000e08abcdef.xml).Hash }
        }
        'Unprotect-ProfileFile 2'          = @{
            Setup = { New-ExampleProfile CiscoSpa plain | Out-Null }
            Check = {
                $plain = Get-ChildItem plain/*.xml
                @(Get-ChildItem check -File).Count | Should -Be $plain.Count
                foreach ($p in $plain) { (Get-FileHash "check/$($p.Name)").Hash | Should -Be (Get-FileHash $p.FullName).Hash }
            }
        }
        'Unprotect-ProfileFile 3'          = @{
            Setup = {
                Copy-Vector cisco/certs/asterisk.pem
                Copy-Vector cisco/certs/phone-SEP001122334455.pem
                Copy-Vector cisco/sgn/SEP001122334455.cnf.xml.sgn srv/tftp
                Copy-Vector cisco/sgn/g3-tones.xml.sgn srv/tftp
                Copy-Vector cisco/enc/SEP001122334455.cnf.xml.enc.sgn
            }
            Check = {
                (Get-FileHash check/g3-tones.xml).Hash | Should -Be (Get-FileHash (Join-Path $script:CiscoVectors 'sgn/g3-tones.xml')).Hash
                # The .sgn stripped and the .enc.sgn decrypted both give the hand-written SEP001122334455.cnf.xml.
                (Get-FileHash check/SEP001122334455.cnf.xml).Hash | Should -Be (Get-FileHash (Join-Path $script:CiscoVectors 'sgn/SEP001122334455.cnf.xml')).Hash
            }
        }
    }

    $script:SavedStore = $env:PRIVATEPROVISIONING_STORE
    $script:Cmdlets = @{}
    Get-Command -Module PrivateProvisioning | ForEach-Object { $script:Cmdlets[$_.Name] = $_ }
}

AfterAll {
    $env:PRIVATEPROVISIONING_STORE = $script:SavedStore
    Remove-Item -Recurse -Force $script:CertificateCache -ErrorAction SilentlyContinue
}

Describe 'Documented examples' {
    It 'finds the examples of every cmdlet page and of the about topic' {
        $Examples.Count | Should -BeGreaterThan 70
        @($Examples | Where-Object Page -eq 'about_PrivateProvisioning').Count | Should -BeGreaterOrEqual 3
        $pages = @(Get-Command -Module PrivateProvisioning -CommandType Cmdlet).Name
        foreach ($p in $pages) { @($Examples | Where-Object Page -eq $p).Count | Should -BeGreaterThan 0 -Because "docs/en-US/$p.md has examples" }
    } -TestCases @{ Examples = $script:Examples }

    It 'marks exactly the examples listed here as not run, each with its reason' {
        $found = [ordered]@{}
        foreach ($e in $Examples | Where-Object Marker) { $found[$e.Key] = $e.Marker }
        @($found.Keys) | Should -Be @($script:Marked.Keys)
        foreach ($k in $script:Marked.Keys) { $found[$k] | Should -Match $script:Marked[$k] -Because "$k names its reason" }
    } -TestCases @{ Examples = $script:Examples }

    It '<Key> parses and names only parameters its cmdlets have' -ForEach $script:Examples {
        $errors = $null
        $ast = [Management.Automation.Language.Parser]::ParseInput($Code, [ref] $null, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        foreach ($command in $ast.FindAll({ $args[0] -is [Management.Automation.Language.CommandAst] }, $true)) {
            $name = $command.GetCommandName()
            if (-not $name -or -not $script:Cmdlets.ContainsKey($name)) { continue }
            $info = $script:Cmdlets[$name]
            foreach ($p in $command.CommandElements | Where-Object { $_ -is [Management.Automation.Language.CommandParameterAst] }) {
                $matching = @($info.Parameters.Values | Where-Object { $_.Name -like "$($p.ParameterName)*" -or ($_.Aliases | Where-Object { $_ -eq $p.ParameterName }) })
                $matching.Count | Should -BeGreaterThan 0 -Because "$($info.Name) -$($p.ParameterName) in $Key"
            }
        }
    }

    It '<Key> is the code Get-Help -Examples shows' -ForEach @($script:Examples | Where-Object Page -NotLike 'about_*') {
        $help = @((Get-Help $Page -Examples).examples.example)
        $help.Count | Should -BeGreaterOrEqual $Number
        Get-CodeText $help[$Number - 1].code | Should -Be (Get-CodeText $Shown)
    }

    It '<Key> is in Get-Help about_PrivateProvisioning' -ForEach @($script:Examples | Where-Object Page -Like 'about_*') {
        # The about topic is plain text, its code blocks indented: compare with the white space collapsed.
        $collapse = { param($t) ($t -replace '\s+', ' ').Trim() }
        & $collapse (Get-Help about_PrivateProvisioning | Out-String) | Should -BeLike ('*' + [WildcardPattern]::Escape((& $collapse $Code)) + '*')
    }

    It '<Key>: <Title>' -ForEach $script:Examples {
        if ($Marker) { Set-ItResult -Skipped -Because "the page marks it: $Marker"; return }
        $spec = $script:Specs[$Key]
        $spec | Should -Not -BeNullOrEmpty -Because "every documented example has a row in `$Specs (or a 'Not run by the tests' line): $Key"

        $scratch = Join-Path ([IO.Path]::GetTempPath()) ('pprov-example-' + [Guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $scratch, "$scratch/C", "$scratch/D" | Out-Null
        Copy-Item -Recurse (Join-Path $script:ExampleFolder 'store') "$scratch/store"
        $env:PRIVATEPROVISIONING_STORE = "$scratch/store"
        New-PSDrive -Name C -PSProvider FileSystem -Root "$scratch/C" -Scope Global | Out-Null
        New-PSDrive -Name D -PSProvider FileSystem -Root "$scratch/D" -Scope Global | Out-Null
        function Read-Host { ConvertTo-SecureString $script:TestSecret -AsPlainText -Force }
        function Get-Credential { [pscredential]::new($(if ($args) { "$($args[0])" } else { 'admin' }), (ConvertTo-SecureString $script:TestSecret -AsPlainText -Force)) }
        Push-Location $scratch
        try {
            if ($spec.Setup) { . $spec.Setup }
            $run = $Code -replace '(?<=^|[\s''"(=,])/(srv|etc)/', './$1/'
            if ($spec.Rewrite) {
                foreach ($r in (. $spec.Rewrite).GetEnumerator()) {
                    $run.Contains($r.Key) | Should -BeTrue -Because "the rewrite of $Key names text of the example"
                    $run = $run.Replace($r.Key, $r.Value)
                }
            }
            if ($spec.ConfirmYes) { $ConfirmPreference = 'None' }
            if ($spec.FromRepositoryRoot) { Set-Location $script:RepoRoot; $env:PRIVATEPROVISIONING_STORE = "$scratch/store" }
            $ErrorActionPreference = 'Stop'
            $out = . ([scriptblock]::Create($run)) *>&1 | Out-String -Width 300
            $ErrorActionPreference = 'Continue'
            Set-Location $scratch
            if ($spec.Check) { . $spec.Check }
        } finally {
            $ErrorActionPreference = 'Continue'
            if ($spec.Cleanup) { . $spec.Cleanup }
            Pop-Location
            Stop-ProvisioningServer
            Remove-PSDrive C, D -Scope Global -ErrorAction SilentlyContinue
            $env:PRIVATEPROVISIONING_STORE = $script:SavedStore
            Remove-Item -Recurse -Force $scratch -ErrorAction SilentlyContinue
        }
    }
}
