# Invoke-PhoneResync against sipp (the phone) and a closed port; needs pwsh, Pester 5 and sipp.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Scenario = Join-Path $script:RepoRoot 'tests/PrivateProvisioning.Tests/Resync/Scenarios/notify-digest-uas.xml'
    $script:LineCredential = [pscredential]::new('1001', (ConvertTo-SecureString 's3cret-1001' -AsPlainText -Force))

    function Get-FreeUdpPort {
        $socket = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        try { $socket.Client.LocalEndPoint.Port } finally { $socket.Dispose() }
    }

    function Start-SippPhone([int] $Port, [int] $Calls = 1) {
        # Start-Process joins -ArgumentList with spaces and does not quote: give one command line, quoted the way
        # .NET splits it, so sipp receives `qop="auth", algorithm=MD5` as one argument.
        $process = Start-Process sipp -PassThru -RedirectStandardOutput ([IO.Path]::GetTempFileName()) -ArgumentList (
            "-sf `"$script:Scenario`" -i 127.0.0.1 -p $Port -m $Calls -nostdin -timeout 30s " +
            '-key authparams "qop=\"auth\", algorithm=MD5"')
        # Wait (bounded) until sipp holds its port: a fixed pause raced on a loaded machine, and a NOTIFY reaching a
        # port nobody holds yet is Unreachable. Read from the socket table: a probe binding the port itself made sipp
        # fail to bind ("Unable to bind main socket, errno = 98") when both tried at the same moment.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        $table = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
        while ([DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) {
            if ($table.GetActiveUdpListeners() | Where-Object Port -EQ $Port) { break }
            Start-Sleep -Milliseconds 50
        }
        $process
    }
}

Describe 'Invoke-PhoneResync' {
    It 'answers the digest challenge and returns one Accepted result' {
        $port = Get-FreeUdpPort
        $sipp = Start-SippPhone -Port $port
        try {
            $result = Invoke-PhoneResync -IPAddress 127.0.0.1 -Port $port -Method SipNotify -Vendor Panasonic -Credential $script:LineCredential
            $result.Outcome | Should -Be 'Accepted'
            $result.StatusCode | Should -Be 200
            $result | Should -BeOfType ([PrivateProvisioning.Core.Resync.ResyncResult])
        } finally { if (-not $sipp.HasExited) { $sipp.Kill() } }
    }

    It 'binds CSV rows by property name and reports every phone' {
        $port = Get-FreeUdpPort
        $sipp = Start-SippPhone -Port $port -Calls 2
        try {
            $rows = @(
                [pscustomobject]@{ IPAddress = '127.0.0.1'; Port = $port; MacAddress = '000E08000001'; Vendor = 'Panasonic' }
                [pscustomobject]@{ IPAddress = '127.0.0.1'; Port = $port; MacAddress = '000E08000002'; Vendor = 'CiscoSpa' }
            )
            $results = $rows | Invoke-PhoneResync -Method SipNotify -Credential $script:LineCredential -ThrottleLimit 2
            $results.Count | Should -Be 2
            $results.Outcome | Should -Be @('Accepted', 'Accepted')
            ($results.MacAddress | Sort-Object) | Should -Be @('000E08000001', '000E08000002')
        } finally { if (-not $sipp.HasExited) { $sipp.Kill() } }
    }

    It 'reports a wrong password as AuthFailed without the password' {
        $port = Get-FreeUdpPort
        $sipp = Start-SippPhone -Port $port
        try {
            $wrong = [pscredential]::new('1001', (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
            $result = Invoke-PhoneResync 127.0.0.1 -Port $port -Method SipNotify -Credential $wrong
            $result.Outcome | Should -Be 'AuthFailed'
            $result.Reason | Should -Not -Match 'not-the-password'
        } finally { if (-not $sipp.HasExited) { $sipp.Kill() } }
    }

    It 'sends nothing with -WhatIf' {
        Invoke-PhoneResync 127.0.0.1 -Port (Get-FreeUdpPort) -Method SipNotify -WhatIf | Should -BeNullOrEmpty
    }

    It 'refuses a malformed profile URL before contacting any phone' {
        { Invoke-PhoneResync 127.0.0.1 -Method HttpResync -ProfileUrl 'http://x/a b.cfg' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidProfileUrl*'
    }

    It 'reports a closed port as Unreachable and an unresolvable host likewise' {
        $results = ('127.0.0.1:' + (Get-FreeUdpPort)), 'phone.invalid' | Invoke-PhoneResync -Method SipNotify -TimeoutSeconds 2
        $results.Outcome | Should -Be @('Unreachable', 'Unreachable')
    }

    It 'refuses an Import-Csv row without an IPAddress column by name and goes on with the others' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) ("phones-" + [guid]::NewGuid().ToString('N') + '.csv')
        try {
            "MacAddress,Vendor`n000E08000001,Panasonic" | Set-Content -LiteralPath $csv
            $out = Import-Csv $csv | Invoke-PhoneResync -Method SipNotify -ErrorVariable errs -ErrorAction SilentlyContinue -WhatIf 6>&1
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'IPAddressColumnMissing,PrivateProvisioning.Commands.InvokePhoneResyncCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[0].TargetObject.MacAddress | Should -Be '000E08000001'
            $errs[0].Exception.Message | Should -Match 'IPAddress column'
            $errs[0].Exception.Message | Should -Match 'MacAddress, Vendor'
            "$out" | Should -Not -Match 'MacAddress='   # the row never became a host name
        } finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
    }

    It 'binds IPAddress, Port, MacAddress and Vendor from Import-Csv' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) ("phones-" + [guid]::NewGuid().ToString('N') + '.csv')
        try {
            $p1 = Get-FreeUdpPort; $p2 = Get-FreeUdpPort
            "IPAddress,Port,MacAddress,Vendor`n127.0.0.1,$p1,000E08000001,ciscospa`n127.0.0.1,$p2,000E08000002,Panasonic" | Set-Content -LiteralPath $csv
            $results = @(Import-Csv $csv | Invoke-PhoneResync -Method SipNotify -TimeoutSeconds 2)
            $results.Count | Should -Be 2
            ($results | Sort-Object MacAddress).Port | Should -Be @($p1, $p2)
            ($results | Sort-Object MacAddress).Vendor | Should -Be @('CiscoSpa', 'Panasonic')
            $results.Outcome | Should -Be @('Unreachable', 'Unreachable')
        } finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
    }

    It 'validates -Vendor and tab-completes it' {
        Invoke-PhoneResync 127.0.0.1 -Method SipNotify -Vendor Ciscoo -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'UnknownVendor,PrivateProvisioning.Commands.InvokePhoneResyncCommand'
        $errs[0].Exception.Message | Should -Match 'CiscoSpa'
        $completions = (TabExpansion2 -inputScript 'Invoke-PhoneResync -Vendor Cis' -cursorColumn 30).CompletionMatches.CompletionText
        $completions | Should -Contain 'CiscoSpa'
        $completions | Should -Contain 'CiscoSep'
    }

    It 'skips a row whose Vendor is unknown, naming the value and the row, and triggers the others' {
        $rows = @(
            [pscustomobject]@{ IPAddress = '127.0.0.1'; Port = (Get-FreeUdpPort); Vendor = 'Ciscoo' }
            [pscustomobject]@{ IPAddress = '127.0.0.1'; Port = (Get-FreeUdpPort); Vendor = 'Panasonic' }
        )
        $results = @($rows | Invoke-PhoneResync -Method SipNotify -TimeoutSeconds 2 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnknownVendor,*'
        $errs[0].Exception.Message | Should -Match "'Ciscoo'"
        $errs[0].TargetObject.Vendor | Should -Be 'Ciscoo'
        $results.Count | Should -Be 1
        $results[0].Vendor | Should -Be 'Panasonic'
    }

    It 'keeps the line password out of every stream' {
        $port = Get-FreeUdpPort
        $sipp = Start-SippPhone -Port $port
        try {
            $all = Invoke-PhoneResync 127.0.0.1 -Port $port -Method SipNotify -Credential $script:LineCredential -Verbose *>&1 | Out-String
            $all | Should -Match 'Accepted'
            $all | Should -Not -Match 's3cret-1001'
        } finally { if (-not $sipp.HasExited) { $sipp.Kill() } }
    }
}
