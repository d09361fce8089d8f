# Help as an admin reads it: SYNTAX shows -WhatIf/-Confirm wherever they work and the about topic has examples.
# DocExamples.Tests.ps1 runs every documented example.
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
