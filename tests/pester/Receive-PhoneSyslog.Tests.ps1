BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Receive-PhoneSyslog' {
    It 'receives a resync failure sent with logger' -Skip:(-not (Get-Command logger -ErrorAction SilentlyContinue)) {
        # The phone sends until someone listens (bounded): one datagram sent after a fixed pause was lost whenever the
        # cmdlet had not bound its port yet on a loaded machine.
        # A free port, not a fixed one: another test run on the same machine may hold 15514.
        $socket = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        try { $port = $socket.Client.LocalEndPoint.Port } finally { $socket.Dispose() }
        $state = [hashtable]::Synchronized(@{ Received = $false })
        $job = Start-ThreadJob -ArgumentList $state, $port {
            param($state, $port)
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not $state.Received -and [DateTime]::UtcNow -lt $deadline) {
                logger -n 127.0.0.1 -P $port -d 'SPA942 00:0e:08:ab:cd:ef -- Resync failed: http_get failed'
                Start-Sleep -Milliseconds 200
            }
        }
        try { $message = Receive-PhoneSyslog -Address 127.0.0.1 -Port $port -Count 1 -Timeout 20 }
        finally { $state.Received = $true; $job | Wait-Job | Remove-Job }
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
