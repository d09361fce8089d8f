# The same invalid request through the cmdlet and through pprov gets the same error id, because Core's request
# decides the rule once (issue 12). pprov is the one `dotnet test` (run first by build.ps1) built beside the module.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Pprov = @(
        Get-ChildItem -Path (Join-Path $script:RepoRoot 'out/pprov/pprov.dll'), (Join-Path $script:RepoRoot 'src/pprov/bin/*/*/pprov.dll') -ErrorAction SilentlyContinue
    ) | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $script:Pprov) { throw 'pprov is not built: run dotnet build src/pprov (build.ps1 -Task Test does).' }

    # pprov --json prints a failure as {"error":{"id":...}} on stdout; returns that id and the exit code.
    function Get-PprovErrorId([string[]] $Arguments) {
        $lines = @(& dotnet $script:Pprov.FullName @Arguments --json 2>$null)
        $exit = $LASTEXITCODE
        $errors = @($lines | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.PSObject.Properties['error'] })
        [pscustomobject]@{ Id = @($errors.error.id); ExitCode = $exit }
    }

    # The cmdlet's error id: the part of FullyQualifiedErrorId before the comma, terminating or not.
    function Get-CmdletErrorId([hashtable] $Parameters) {
        $caught = $null
        try { Invoke-PhoneResync @Parameters -ErrorAction SilentlyContinue -ErrorVariable caught | Out-Null }
        catch { $caught = @($_) }
        @($caught | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
    }
}

Describe 'One request, one error id from both front ends (resync)' {
    It 'refuses <Case> with <Id> from Invoke-PhoneResync and from pprov resync' -ForEach @(
        @{ Case = 'an HTTP method over UDP'; Id = 'TransportNotSupported'
           Cmdlet = @{ IPAddress = '127.0.0.1'; Method = 'HttpResync'; Transport = 'Udp' }
           Pprov = @('resync', '--ip', '127.0.0.1', '--method', 'http', '--transport', 'udp') }
        @{ Case = 'XML Execute over UDP'; Id = 'TransportNotSupported'
           Cmdlet = @{ IPAddress = '127.0.0.1'; Method = 'XmlExecute'; Transport = 'Udp'; ProfileUrl = 'http://192.0.2.10/p.xml' }
           Pprov = @('resync', '--ip', '127.0.0.1', '--method', 'xml', '--transport', 'udp', '--url', 'http://192.0.2.10/p.xml') }
        @{ Case = 'a profile URL with a space'; Id = 'InvalidProfileUrl'
           Cmdlet = @{ IPAddress = '127.0.0.1'; Method = 'HttpResync'; ProfileUrl = 'http://x/a b.cfg' }
           Pprov = @('resync', '--ip', '127.0.0.1', '--method', 'http', '--url', 'http://x/a b.cfg') }
        @{ Case = 'an unknown vendor'; Id = 'UnknownVendor'
           Cmdlet = @{ IPAddress = '127.0.0.1'; Method = 'SipNotify'; Vendor = 'Ciscoo' }
           Pprov = @('resync', '--ip', '127.0.0.1', '--method', 'sip', '--vendor', 'Ciscoo') }
        @{ Case = 'a port in the address and another beside it'; Id = 'ConflictingPort'
           Cmdlet = @{ IPAddress = '127.0.0.1:5080'; Port = 5090; Method = 'SipNotify' }
           Pprov = @('resync', '--ip', '127.0.0.1:5080', '--port', '5090', '--method', 'sip') }
    ) {
        $cmdletIds = Get-CmdletErrorId $Cmdlet
        $pprov = Get-PprovErrorId $Pprov
        $cmdletIds | Should -Be @($Id)
        $pprov.Id | Should -Be @($Id)
        $pprov.ExitCode | Should -Be 2
    }

    It 'refuses a password without a user name in pprov with the id Core raises (the cmdlet cannot express it: a PSCredential always has a user)' {
        $env:PPROV_PESTER_PW = 'not-printed-9'
        try { $pprov = Get-PprovErrorId @('resync', '--ip', '127.0.0.1', '--method', 'sip', '--password-env', 'PPROV_PESTER_PW') }
        finally { Remove-Item Env:PPROV_PESTER_PW }
        $pprov.Id | Should -Be @('MissingUserName')
        $pprov.ExitCode | Should -Be 2
    }
}
