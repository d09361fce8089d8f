using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>Get-ProfileTemplate: templates of the store by name or wildcard.</summary>
    [Cmdlet(VerbsCommon.Get, "ProfileTemplate")]
    [OutputType(typeof(ProfileTemplate))]
    public sealed class GetProfileTemplateCommand : ProvisioningCmdlet
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
            if (Name == null || Name.Length == 0)
            {
                Write(_store!.Templates);
                return;
            }
            foreach (var name in Name)
            {
                var found = _store!.Match(new[] { name });
                if (found.Count == 0 && !TemplateStore.HasWildcard(name))
                    WriteProvisioningError(new ProvisioningException(ErrorIds.TemplateNotFound, ErrorKind.ObjectNotFound,
                        $"Template '{name}' is not in the store.", name), name);
                Write(found);
            }
        }

        /// <summary>The templates, their literal secrets (old store files only) masked by the object itself, each with a warning.</summary>
        private void Write(System.Collections.Generic.IEnumerable<ProfileTemplate> templates)
        {
            foreach (var t in templates)
            {
                if (t.LiteralSecrets.Count > 0) WriteWarning(TemplateStore.LiteralSecretWarning(t));
                WriteObject(t);
            }
        }
    }
}
