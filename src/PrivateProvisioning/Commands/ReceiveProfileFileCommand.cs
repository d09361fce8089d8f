using System;
using System.Collections;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Rules;
using PrivateProvisioning.Core.Serving;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Receive-ProfileFile: fetches what a phone would receive from a profile rule (download with the phone's
    /// User-Agent, every protection layer peeled, format read, alias map applied) and writes its parameters,
    /// or with -Expected the differences from a local profile.
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "ProfileFile")]
    [OutputType(typeof(ReceivedParameter), typeof(ParameterDifference))]
    public sealed class ReceiveProfileFileCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Rule { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string MacAddress { get; set; } = null!;

        [Parameter]
        public Hashtable? Variable { get; set; }

        [Parameter]
        public SecureString? Key { get; set; }

        [Parameter]
        public X509Certificate2? ClientCertificate { get; set; }

        [Parameter]
        public X509Certificate2? TrustedCertificate { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Expected { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ProductName { get; set; }

        [Parameter]
        public string? SerialNumber { get; set; }

        [Parameter]
        public string? DefaultServer { get; set; }

        [Parameter]
        public string? UserAgent { get; set; }

        [Parameter]
        public SwitchParameter ShowSecret { get; set; }

        /// <summary>The piped row, kept as the error's TargetObject (never the rule, which may carry a key).</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecordCore()
        {
            byte[]? key = null;
            try
            {
                var request = new ProfileFetchRequest(Rule, Core.MacAddress.Parse(MacAddress, RequestParameter.MacAddress))
                {
                    Variables = ToPairs(Variable),
                    ProductName = ProductName,
                    SerialNumber = SerialNumber,
                    DefaultServer = DefaultServer,
                    ShowSecrets = ShowSecret,
                    ExpectedPath = Expected == null ? null : GetResolvedProviderPathFromPSPath(Expected, out _)[0],
                    Download = new ProfileDownloadOptions { UserAgent = UserAgent, ClientCertificate = ClientCertificate, TrustedCertificate = TrustedCertificate },
                };
                if (Key != null) request.Key = key = SecureStrings.ToUtf8Bytes(Key);
                var fetched = ProfileFetcher.Fetch(request);
                WriteVerbose($"{fetched.Url}: {fetched.Format}, protection {fetched.Protection}, {fetched.Parameters.Count} parameter(s).");
                if (fetched.Differences != null) WriteObject(fetched.Differences, enumerateCollection: true);
                else WriteObject(fetched.Parameters, enumerateCollection: true);
            }
            catch (ProvisioningException ex)
            {
                // The target is the row with its secrets masked (a Rule may hold a key); CategoryInfo names the MAC.
                var record = ToErrorRecord(ex, InputObject != null ? RowCells.Masked(InputObject, null) : (object)MacAddress);
                record.CategoryInfo.TargetName = MacAddress;
                WriteError(record);
            }
            catch (ItemNotFoundException ex)
            {
                WriteProvisioningError(new ProvisioningException(ErrorIds.ExpectedProfileNotFound, ErrorKind.ObjectNotFound, ex.Message, Expected));
            }
            finally
            {
                if (key != null) Array.Clear(key, 0, key.Length);
            }
        }
    }
}
