BeforeAll { . (Join-Path $PSScriptRoot 'common.ps1') }

Describe 'Get-ProfileParameter' {
    BeforeAll {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("pp-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $cisco = Join-Path $dir '000e08abcdef.xml'
        Set-Content -LiteralPath $cisco -Encoding ascii -Value @'
<?xml version="1.0" encoding="UTF-8"?>
<device><flat-profile>
  <Resync_Periodic>3600</Resync_Periodic>
  <Dial_Plan_1_ ua="ro">(S0 &lt;:1&gt;)</Dial_Plan_1_>
  <Password_1_>hunter2</Password_1_>
</flat-profile></device>
'@
        $panasonic = Join-Path $dir 'Config0080F0A1B2C3.cfg'
        [IO.File]::WriteAllText($panasonic, "# Panasonic SIP Phone Standard Format File # DO NOT CHANGE THIS LINE!`r`nCFG_CYCLIC=`"Y`"`r`nSIP_PASS_1=`"s3cret`"`r`nCFG_CYCLIC=`"N`"`r`n`r`n")
    }
    AfterAll { Remove-Item -LiteralPath $dir -Recurse -Force }

    It 'reads a Cisco profile inside a <device> wrapper and decodes entities' {
        $p = Get-ProfileParameter -Path $cisco
        ($p | Where-Object Name -eq 'Dial_Plan_1_').Value | Should -Be '(S0 <:1>)'
        $p[0].Format | Should -Be 'CiscoSpa'
    }

    It 'hides passwords unless -AsPlainText' {
        $secret = Get-ProfileParameter -Path $cisco -Name Password_*
        $secret.IsSecret | Should -BeTrue
        $secret.Value | Should -BeNullOrEmpty
        (Get-ProfileParameter -Path $cisco -Name Password_* -AsPlainText).Value | Should -Be 'hunter2'
        (Get-ProfileParameter -Path $cisco | Out-String) | Should -Not -Match 'hunter2'
    }

    It 'detects Panasonic, keeps the first of a repeated name and warns' {
        $p = Get-ProfileParameter -Path $panasonic -Name CFG_CYCLIC -WarningVariable w -WarningAction SilentlyContinue
        $p.Value | Should -Be 'Y'
        $w | Should -Not -BeNullOrEmpty
        "$w" | Should -Not -Match 's3cret'
    }

    It 'applies an alias map to customer XML' {
        $customer = Join-Path $dir 'customer.xml'
        Set-Content -LiteralPath $customer -Value '<customer-account><SIP-number>5551234</SIP-number></customer-account>'
        $p = Get-ProfileParameter -LiteralPath $customer -Format CiscoSpa -AliasMap '/customer-account/SIP-number = /flat-profile/User_ID_1_ ;'
        $p.Name | Should -Be 'User_ID_1_'
        $p.Value | Should -Be '5551234'
    }

    It 'reports a broken file and goes on with the next' {
        $bad = Join-Path $dir 'bad.xml'
        Set-Content -LiteralPath $bad -Value '<flat-profile><A>1</flat-profile>'
        $p = Get-ProfileParameter -LiteralPath $bad, $cisco -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'InvalidProfileXml*'
        $p.Count | Should -Be 3
    }
}
