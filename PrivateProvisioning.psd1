@{
    RootModule           = 'PrivateProvisioning.dll'
    # Loaded first: resolves PrivateProvisioning.Core and BouncyCastle from dependencies/ (PowerShell 7: the module's
    # own AssemblyLoadContext; Windows PowerShell 5.1: an AssemblyResolve handler).
    NestedModules        = @('PrivateProvisioning.Loader.dll')
    ModuleVersion        = '{{ModuleVersion}}'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '6f1f7c3e-2b0a-4d55-9a61-3c1d8e2f4b70'
    Author               = 'PrivateProvisioning contributors'
    CompanyName          = 'PrivateProvisioning'
    Copyright            = '(c) PrivateProvisioning contributors'
    Description          = 'Bulk provisioning of VoIP phones: templates, per-MAC profiles for Cisco, Linksys, Panasonic and PrivateWave, protection (gzip, AES, Cisco .sgn/.enc.sgn), Cisco ITL/CTL files, enrollment, resync triggers and troubleshooting servers.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('PrivateProvisioning.Format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        # Rules
        'Expand-ProfileRule',

        # Templates and generation
        'New-ProfileTemplate',
        'Get-ProfileTemplate',
        'Set-ProfileTemplate',
        'Remove-ProfileTemplate',
        'Set-ProvisioningGroup',
        'Get-ProvisioningGroup',
        'New-ProvisioningProfile',
        'Get-ProfileParameter',

        # Protection
        'Protect-ProfileFile',
        'Unprotect-ProfileFile',

        # Cisco security files
        'New-ProvisioningCertificate',
        'New-ItlFile',
        'Get-ItlFile',

        # Enrollment
        'New-CertificateRequest',
        'Unprotect-CertificateRequest',
        'Approve-CertificateRequest',
        'Export-ProvisioningCertificate',
        'Get-CertificatePin',
        'Export-WebServerConfiguration',

        # Resync
        'Invoke-PhoneResync',

        # Serving and troubleshooting
        'Start-ProvisioningServer',
        'Stop-ProvisioningServer',
        'Get-ProvisioningServerLog',
        'Receive-PhoneSyslog',
        'Receive-ProfileFile'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('VoIP', 'Provisioning', 'Cisco', 'Linksys', 'Panasonic', 'SIP', 'TFTP', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux')
            ProjectUri   = ''
            ReleaseNotes = 'See CHANGELOG.md'
        }
    }
}
