BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Export-WebServerConfiguration' {
    It 'writes nginx client verification against the CA' {
        $r = Export-WebServerConfiguration -Server Nginx -Root /srv/out -Certificate /etc/pprov/server.pem -CertificateKey /etc/pprov/server.key -ClientCA /etc/pprov/ca.pem -ServerName prov.example.com -Port 9443
        $r.Text | Should -Match 'ssl_verify_client on;'
        $r.Text | Should -Match 'ssl_client_certificate "/etc/pprov/ca.pem";'
        $r.Text | Should -Match 'listen 9443 ssl;'
    }

    It 'writes Apache SSLVerifyClient require' {
        $r = Export-WebServerConfiguration -Server Apache -Root /srv/out -Certificate /etc/s.pem -CertificateKey /etc/s.key -ClientCA /etc/ca.pem -ServerName prov.example.com
        $r.Text | Should -Match 'SSLVerifyClient require'
    }

    It 'refuses a value that cannot be written safely' {
        { Export-WebServerConfiguration -Server Nginx -Root '/srv/$evil' -Certificate /a -CertificateKey /b -ClientCA /c -ServerName x -ErrorAction Stop } | Should -Throw
    }
}
