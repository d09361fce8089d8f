BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Export-WebServerConfiguration' {
    It 'writes nginx client verification against the CA' {
        $r = Export-WebServerConfiguration -Server Nginx -Root /srv/out -Certificate /etc/pprov/server.pem -CertificateKey /etc/pprov/server.key -ClientCA /etc/pprov/ca.pem -ServerName prov.example.com -Port 9443 -WarningAction SilentlyContinue
        $r.Text | Should -Match 'ssl_verify_client on;'
        $r.Text | Should -Match 'ssl_client_certificate "/etc/pprov/ca.pem";'
        $r.Text | Should -Match 'listen 9443 ssl;'
    }

    It 'writes Apache SSLVerifyClient require' {
        $r = Export-WebServerConfiguration -Server Apache -Root /srv/out -Certificate /etc/s.pem -CertificateKey /etc/s.key -ClientCA /etc/ca.pem -ServerName prov.example.com -WarningAction SilentlyContinue
        $r.Text | Should -Match 'SSLVerifyClient require'
    }

    It 'refuses a value that cannot be written safely' {
        { Export-WebServerConfiguration -Server Nginx -Root '/srv/$evil' -Certificate /a -CertificateKey /b -ClientCA /c -ServerName x -ErrorAction Stop } | Should -Throw
    }

    It 'warns when every client certificate opens every file' {
        $null = Export-WebServerConfiguration -Server Nginx -Root /srv/out -Certificate /s.pem -CertificateKey /s.key -ClientCA /ca.pem -ServerName x -WarningVariable w -WarningAction SilentlyContinue
        $w.Count | Should -Be 1
        "$w" | Should -Match 'every other phone'
        "$w" | Should -Match 'PerPhone'
    }

    It 'with -Authorization PerPhone answers 403 for another phone''s file, without a warning' {
        $r = Export-WebServerConfiguration -Server Nginx -Root /srv/out -Certificate /s.pem -CertificateKey /s.key -ClientCA /ca.pem -ClientCrl /ca.crl -ServerName x -Authorization PerPhone -WarningVariable w
        $w.Count | Should -Be 0
        $r.Authorization | Should -Be 'PerPhone'
        $r.Text | Should -Match 'map \$ssl_client_s_dn'
        $r.Text | Should -Match 'return 403;'
        $r.Text | Should -Match 'ssl_crl "/ca.crl";'
    }

    It 'takes a user-name identity and per-user patterns for Apache' {
        $r = Export-WebServerConfiguration -Server Apache -Root /srv/out -Certificate /s.pem -CertificateKey /s.key -ClientCA /ca.pem -ServerName x -Authorization PerPhone -Identity UserName -PerPhoneFile '$USER.p12', 'users/$USER.*'
        $r.Text | Should -Match ([regex]::Escape('RewriteCond %{SSL:SSL_CLIENT_S_DN_CN} "^([^|]+)$"'))
        $r.Text | Should -Match ([regex]::Escape('RewriteRule "^/users/([^/|]+)\.[^/]*$" - [NC,F]'))
    }

    It 'refuses a per-phone pattern without the identity, naming it' {
        { Export-WebServerConfiguration -Server Nginx -Root /srv/out -Certificate /s.pem -CertificateKey /s.key -ClientCA /ca.pem -ServerName x -Authorization PerPhone -PerPhoneFile 'profile.xml' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidWebServerSetting*' -ExpectedMessage "*'profile.xml'*"
    }

    It 'writes a well-formed IIS web.config that requires a client certificate' {
        Push-Location $TestDrive
        try {
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj '/CN=pprov test CA' -days 30 2>$null
            $r = Export-WebServerConfiguration -Server Iis -Root (Join-Path $TestDrive 'www') -ClientCA (Join-Path $TestDrive 'ca.pem') -ServerName prov.example.com -Authorization PerPhone -Path (Join-Path $TestDrive 'web.config')
        } finally { Pop-Location }
        $r.Status | Should -Be 'Created'
        [xml]$x = Get-Content -Raw $r.Path
        $x.configuration.'system.webServer'.security.access.sslFlags | Should -Be 'Ssl, SslNegotiateCert, SslRequireCert'
        @($x.configuration.'system.webServer'.rewrite.rules.rule).Count | Should -Be 3
        # Hidden segments (a left-over .NAME.xxxx.tmp, .git) are refused by request filtering: 404.5.
        @($x.configuration.'system.webServer'.security.requestFiltering.denyUrlSequences.add.sequence) | Should -Contain '/.'
    }

    It 'refuses hidden path segments in every server''s configuration, with or without PerPhone' {
        foreach ($authorization in 'AnyClientCertificate', 'PerPhone') {
            $nginx = Export-WebServerConfiguration -Server Nginx -Root /srv/out -Certificate /s.pem -CertificateKey /s.key -ClientCA /ca.pem -ServerName x -Authorization $authorization -WarningAction SilentlyContinue
            $nginx.Text | Should -Match ([regex]::Escape("location ~ /\. {`n        return 404;"))
            $apache = Export-WebServerConfiguration -Server Apache -Root /srv/out -Certificate /s.pem -CertificateKey /s.key -ClientCA /ca.pem -ServerName x -Authorization $authorization -WarningAction SilentlyContinue
            $apache.Text | Should -Match ([regex]::Escape("<LocationMatch `"/\.`">`n        Require all denied"))
        }
    }

    It 'writes nothing with -WhatIf and asks with -Confirm' {
        $conf = Join-Path $TestDrive 'pprov.conf'
        Export-WebServerConfiguration -Server Nginx -Root /srv/out -Certificate /s.pem -CertificateKey /s.key -ClientCA /ca.pem -ServerName x -Authorization PerPhone -Path $conf -WhatIf | Out-Null
        Test-Path $conf | Should -BeFalse
        Test-ConfirmationAsked "Export-WebServerConfiguration -Server Nginx -Root /srv/out -Certificate /s.pem -CertificateKey /s.key -ClientCA /ca.pem -ServerName x -Authorization PerPhone -Path '$conf' -Confirm" | Should -BeTrue
        Test-Path $conf | Should -BeFalse
    }
}
