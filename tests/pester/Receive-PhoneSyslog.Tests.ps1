BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Receive-PhoneSyslog' {
    It 'receives a resync failure sent with logger' -Skip:(-not (Get-Command logger -ErrorAction SilentlyContinue)) {
        $job = Start-ThreadJob { Start-Sleep -Milliseconds 700; logger -n 127.0.0.1 -P 15514 -d 'SPA942 00:0e:08:ab:cd:ef -- Resync failed: http_get failed' }
        $message = Receive-PhoneSyslog -Address 127.0.0.1 -Port 15514 -Count 1 -Timeout 20
        $job | Wait-Job | Remove-Job
        $message.Kind | Should -Be 'ResyncFailure'
        $message.MacAddress | Should -Be '000E08ABCDEF'
        $message.Error | Should -Be 'http_get failed'
    }

    It 'returns nothing when the time is up' {
        @(Receive-PhoneSyslog -Address 127.0.0.1 -Port 0 -Timeout 1).Count | Should -Be 0
    }

    It 'stops with InvalidEndPoint naming an address that is not one' {
        { Receive-PhoneSyslog -Address nothere -Port 0 -Timeout 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidEndPoint,PrivateProvisioning.Commands.ReceivePhoneSyslogCommand' -ExpectedMessage "*'nothere'*"
    }
}
