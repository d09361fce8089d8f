# Help as an admin reads it: SYNTAX shows -WhatIf/-Confirm wherever they work, the about topic has examples, and the
# documented examples that need no phone run as written (from the repository root).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Docs = Join-Path $script:RepoRoot 'docs/en-US'
    [xml] $script:Maml = Get-Content -Raw (Join-Path $script:ModulePath 'en-US/PrivateProvisioning.dll-Help.xml')

    # The ```powershell blocks of a page's section, in order.
    function Get-DocExample([string] $Page, [string] $From = '## EXAMPLES', [string] $To = '## PARAMETERS') {
        $text = Get-Content -Raw (Join-Path $script:Docs "$Page.md")
        $start = $text.IndexOf($From); $end = $text.IndexOf($To, [Math]::Max($start, 0))
        if ($start -lt 0 -or $end -lt 0) { throw "$Page.md has no '$From' ... '$To' section" }
        [regex]::Matches($text.Substring($start, $end - $start), '(?s)```powershell\r?\n(.*?)```') | ForEach-Object { $_.Groups[1].Value }
    }

    # Runs one example from the repository root with errors stopping it; returns its output as text.
    function Invoke-DocExample([string] $Code) {
        Push-Location $script:RepoRoot
        try {
            $ErrorActionPreference = 'Stop'
            . ([scriptblock]::Create($Code)) *>&1 | Out-String -Width 300
        } finally { Pop-Location }
    }
}

Describe 'Help' {
    It 'shows [-WhatIf] [-Confirm] in the SYNTAX of every ShouldProcess cmdlet (MAML and markdown)' {
        $risky = Get-Command -Module PrivateProvisioning -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('WhatIf') }
        $risky.Count | Should -BeGreaterThan 15
        foreach ($cmdlet in $risky) {
            $command = $script:Maml.helpItems.command | Where-Object { $_.details.name -eq $cmdlet.Name }
            $command | Should -Not -BeNullOrEmpty -Because "$($cmdlet.Name) has a help page"
            foreach ($item in @($command.syntax.syntaxItem)) {
                $names = @($item.parameter | ForEach-Object { $_.name })
                $names | Should -Contain 'WhatIf' -Because "$($cmdlet.Name) supports ShouldProcess"
                $names | Should -Contain 'Confirm' -Because "$($cmdlet.Name) supports ShouldProcess"
            }
            $markdown = Get-Content -Raw (Join-Path $script:Docs "$($cmdlet.Name).md")
            $syntax = $markdown.Substring($markdown.IndexOf('## SYNTAX'), $markdown.IndexOf('## DESCRIPTION') - $markdown.IndexOf('## SYNTAX'))
            $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]' -Because "docs/en-US/$($cmdlet.Name).md SYNTAX"
        }
    }

    It 'has Get-Help show the switches for a ShouldProcess cmdlet' {
        (Get-Help Start-ProvisioningServer).syntax | Out-String -Width 400 | Should -Match '\[-WhatIf\] \[-Confirm\]'
    }

    It 'gives about_PrivateProvisioning examples' {
        Get-Help about_PrivateProvisioning | Out-String | Should -Match 'EXAMPLES'
        @(Get-DocExample about_PrivateProvisioning '## EXAMPLES' '## SEE ALSO').Count | Should -BeGreaterOrEqual 3
    }
}

Describe 'Documented examples that need no phone' {
    BeforeAll {
        $script:SavedStore = $env:PRIVATEPROVISIONING_STORE
        $env:PRIVATEPROVISIONING_STORE = $null
    }
    AfterAll {
        $env:PRIVATEPROVISIONING_STORE = $script:SavedStore
        Remove-Item -Recurse -Force (Join-Path ([IO.Path]::GetTempPath()) 'pprov-about') -ErrorAction SilentlyContinue
    }

    It 'about_PrivateProvisioning example <_> runs' -ForEach 0, 1, 2 {
        $code = @(Get-DocExample about_PrivateProvisioning '## EXAMPLES' '## SEE ALSO')[$_]
        $out = Invoke-DocExample $code
        switch ($_) {
            0 { Get-ChildItem (Join-Path ([IO.Path]::GetTempPath()) 'pprov-about/tftp') -File | Should -Not -BeNullOrEmpty }
            1 { $out | Should -Match 'tftp://prov.example.com/site7/000e08abcdef.cfg' }
            2 { $out | Should -Match 'default'; $out | Should -Match 'sales' }
        }
    }

    It 'Expand-ProfileRule example <_> runs' -ForEach 0, 1, 2, 3 {
        function Read-Host { ConvertTo-SecureString 'example-key' -AsPlainText -Force }   # Example 3 prompts for a key
        $code = @(Get-DocExample Expand-ProfileRule)[$_]
        $out = Invoke-DocExample $code
        switch ($_) {
            0 { $out | Should -Match 'tftp://prov.example.com/site7/000e08abcdef.cfg' }
            1 { $out | Should -Match 'tftp://prov.example.com/hq/8851-3PCC/000e08abcdf1.cfg' }
            2 { $out | Should -Match 'https://prov.example.com/000e08abcdef.xml'; $out | Should -Not -Match 'example-key' }
            3 { $out | Should -Match '/Cisco/' }
        }
    }
}
