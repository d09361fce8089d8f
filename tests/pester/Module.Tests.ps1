# The module as PowerShell itself checks it: Test-ModuleManifest on the published folder, Import-Module in a fresh
# `pwsh -NoProfile`, and the exported cmdlets equal to the Cmdlet classes compiled into PrivateProvisioning.dll.
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:ModulePath = Join-Path $script:RepoRoot 'out/PrivateProvisioning'
    $script:Manifest = Join-Path $script:ModulePath 'PrivateProvisioning.psd1'

    # A fresh child PowerShell of this version (under the local .NET tool this process is `dotnet pwsh.dll`).
    function Invoke-FreshPwsh([string] $Command) {
        $self = (Get-Process -Id $PID).Path
        $arguments = @('-NoProfile', '-NonInteractive', '-Command', $Command)
        if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { $arguments = @((Join-Path $PSHOME 'pwsh.dll')) + $arguments }
        $output = & $self @arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }

    # The names of the assemblies a DLL references, read from its metadata (nothing is loaded).
    function Get-AssemblyReference([string] $Path) {
        $stream = [IO.File]::OpenRead($Path)
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            foreach ($handle in $reader.AssemblyReferences) { $reader.GetString($reader.GetAssemblyReference($handle).Name) }
        }
        finally { $stream.Dispose() }
    }
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest and carries the version of Directory.Build.props' {
        $info = Test-ModuleManifest -Path $Manifest -ErrorAction Stop
        $props = [xml](Get-Content (Join-Path $RepoRoot 'Directory.Build.props') -Raw)
        $info.Version | Should -Be ([version]$props.Project.PropertyGroup.ModuleVersion)
        $info.Name | Should -Be 'PrivateProvisioning'
    }

    It 'claims the editions its assemblies can load in' {
        $data = Import-PowerShellDataFile -Path $Manifest
        $data.CompatiblePSEditions | Sort-Object | Should -Be @('Core', 'Desktop')
        $data.PowerShellVersion | Should -Be '5.1'
        # Windows PowerShell 5.1 runs .NET Framework: every assembly it may load (the module folder and the top of
        # dependencies/) must be built against netstandard 2.0 or the .NET Framework, never System.Runtime of .NET.
        $forDesktop = @(Get-ChildItem $ModulePath -Filter *.dll -File) + @(Get-ChildItem (Join-Path $ModulePath 'dependencies') -Filter *.dll -File)
        $forDesktop.Name | Should -Contain 'PrivateProvisioning.dll'
        $forDesktop.Name | Should -Contain 'PrivateProvisioning.Core.dll'
        foreach ($dll in $forDesktop) {
            $references = Get-AssemblyReference $dll.FullName
            ($references -contains 'netstandard' -or $references -contains 'mscorlib') | Should -BeTrue -Because "$($dll.Name) must load in Windows PowerShell 5.1 (it references $($references -join ', '))"
            $references | Should -Not -Contain 'System.Runtime' -Because "$($dll.Name) must load in Windows PowerShell 5.1"
        }
    }
}

Describe 'Import-Module in a fresh pwsh -NoProfile' {
    BeforeAll {
        # The child prints the exported cmdlets and the Cmdlet classes of the loaded assembly, one JSON object.
        $probe = @'
$ErrorActionPreference = 'Stop'
$m = Import-Module '__MANIFEST__' -PassThru
$compiled = $m.ImplementingAssembly.GetTypes() |
    Where-Object { $_.IsPublic -and -not $_.IsAbstract -and $_.IsSubclassOf([System.Management.Automation.Cmdlet]) } |
    ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; if ($a) { $a.VerbName + '-' + $a.NounName } }
[pscustomobject]@{
    Version  = "$($m.Version)"
    Exported = @($m.ExportedCmdlets.Keys | Sort-Object)
    Compiled = @($compiled | Sort-Object)
    Commands = @(Get-Command -Module PrivateProvisioning | ForEach-Object Name | Sort-Object)
    TypeLiteral = [PrivateProvisioning.Core.Security.ItlEntry].FullName
} | ConvertTo-Json -Compress
'@.Replace('__MANIFEST__', $Manifest.Replace("'", "''"))
        $script:Run = Invoke-FreshPwsh $probe
        $script:Child = if ($Run.ExitCode -eq 0) { ($Run.Output -split "`n" | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json }
    }

    It 'imports without an error' {
        $Run.ExitCode | Should -Be 0 -Because $Run.Output
        $Child | Should -Not -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets compiled into PrivateProvisioning.dll' {
        $Child.Compiled.Count | Should -BeGreaterThan 20
        $Child.Exported | Should -Be $Child.Compiled
        $Child.Commands | Should -Be $Child.Compiled
    }

    It "resolves Core's public types by name, as the docs' examples use them, although Core is in its own load context" {
        $Child.TypeLiteral | Should -Be 'PrivateProvisioning.Core.Security.ItlEntry'
    }

    It 'lists the same cmdlets in CmdletsToExport' {
        $listed = (Import-PowerShellDataFile -Path $Manifest).CmdletsToExport | Sort-Object
        $listed | Should -Be $Child.Compiled
    }
}

Describe 'Another BouncyCastle already in the session' {
    BeforeAll {
        $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
        # Restored by tests/PrivateProvisioning.Tests (PackageDownload): what another module of the session might ship.
        $script:OtherBouncyCastle = Join-Path $packages 'bouncycastle.cryptography/2.4.0/lib/net6.0/BouncyCastle.Cryptography.dll'
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('pprov-alc-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $Work | Out-Null
        Copy-Item (Join-Path $RepoRoot 'tests/vectors/cisco/sgn/g3-tones.xml') $Work
        # The other BouncyCastle is loaded FIRST (as Add-Type -Path or another module would), then ours is imported and
        # makes a certificate and signs a file with it. The child reports which BouncyCastle each side got.
        $probe = @'
$ErrorActionPreference = 'Stop'
$other = [Reflection.Assembly]::LoadFrom('__OTHER__')
Import-Module '__MANIFEST__'
$cert = New-ProvisioningCertificate -Path '__WORK__/tftp.pem' -CN TFTP -O Test -OU Voice
$signed = Protect-ProfileFile -LiteralPath '__WORK__/g3-tones.xml' -SigningCertificate '__WORK__/tftp.pem'
$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'PrivateProvisioning.Core' }
$coreContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core)
$ours = $coreContext.Assemblies | Where-Object { $_.GetName().Name -eq 'BouncyCastle.Cryptography' }
[pscustomobject]@{
    Signed          = $signed.Path
    Method          = "$($signed.Method)"
    OtherVersion    = $other.GetCustomAttributes([Reflection.AssemblyInformationalVersionAttribute], $false)[0].InformationalVersion
    OtherContext    = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($other).GetType().FullName
    CoreContext     = $coreContext.GetType().FullName
    OursVersion     = if ($ours) { $ours.GetCustomAttributes([Reflection.AssemblyInformationalVersionAttribute], $false)[0].InformationalVersion }
    OursLocation    = if ($ours) { $ours.Location }
    BouncyCastles   = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'BouncyCastle.Cryptography' }).Count
} | ConvertTo-Json -Compress
'@.Replace('__OTHER__', $OtherBouncyCastle).Replace('__MANIFEST__', $Manifest).Replace('__WORK__', $Work)
        $script:Run = Invoke-FreshPwsh $probe
        $script:Child = if ($Run.ExitCode -eq 0) { ($Run.Output -split "`n" | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json }
    }
    AfterAll { Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue }

    It 'has the other version to load (restored with the tests)' {
        Test-Path $OtherBouncyCastle | Should -BeTrue
    }

    It 'makes a certificate and signs a file with it' {
        $Run.ExitCode | Should -Be 0 -Because $Run.Output
        $Child.Method | Should -Be 'CiscoSgn'
        Test-Path $Child.Signed | Should -BeTrue
        $Child.Signed | Should -BeLike '*g3-tones.xml.sgn'
    }

    It 'keeps its own BouncyCastle in its own load context and leaves the other one alone' {
        $Child.OtherVersion | Should -BeLike '2.4.0*'
        $Child.OtherContext | Should -Not -Be 'PrivateProvisioning.Loader.ModuleLoadContext'
        $Child.CoreContext | Should -Be 'PrivateProvisioning.Loader.ModuleLoadContext'
        $Child.OursVersion | Should -BeLike '2.7.0*'
        $Child.OursLocation | Should -BeLike (Join-Path $ModulePath 'dependencies*')
        $Child.BouncyCastles | Should -Be 2
    }
}
