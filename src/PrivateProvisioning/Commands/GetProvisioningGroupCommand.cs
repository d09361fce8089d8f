using System.Linq;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>Get-ProvisioningGroup: group → template assignments of the store.</summary>
    [Cmdlet(VerbsCommon.Get, "ProvisioningGroup")]
    [OutputType(typeof(ProvisioningGroup))]
    public sealed class GetProvisioningGroupCommand : ProvisioningCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        [Parameter]
        public string? Store { get; set; }

        private TemplateStore? _store;

        protected override void BeginProcessingCore()
        {
            try { _store = TemplateCmdletSupport.OpenStore(this, Store); }
            catch (ProvisioningException ex) { ThrowProvisioningError(ex, Store); }
        }

        protected override void ProcessRecordCore()
        {
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var kv in _store!.Groups)
                if (patterns.Any(p => p.IsMatch(kv.Key)))
                    WriteObject(new ProvisioningGroup(kv.Key, kv.Value, _store.Folder));
        }
    }
}
