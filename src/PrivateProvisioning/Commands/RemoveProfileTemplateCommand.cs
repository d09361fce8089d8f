using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>
    /// Remove-ProfileTemplate: deletes a template file. Refuses `default`, and a template still used by a group
    /// or as another template's BasedOn unless -Force (those groups then fall back to default).
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "ProfileTemplate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveProfileTemplateCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = null!;

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The store folder; a piped template object brings its own (its Store property), so it is acted on where it was read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Store { get; set; }

        protected override void ProcessRecordCore()
        {
            try
            {
                var store = TemplateCmdletSupport.OpenStore(this, Store);
                var template = store.Get(Name);
                var usage = store.Remove(template.Name, Force, whatIf: true); // throws when refused
                var detail = usage.InUse ? $" (groups {string.Join(", ", usage.Groups)} fall back to default; {string.Join(", ", usage.Templates)} lose their BasedOn)" : "";
                if (!ShouldProcess(template.Path, "Remove profile template '" + template.Name + "'" + detail)) return;
                store.Remove(template.Name, Force);
                foreach (var g in usage.Groups) WriteWarning($"Group '{g}' now falls back to the default template.");
                foreach (var t in usage.Templates) WriteWarning($"Template '{t}' is no longer based on '{template.Name}'.");
            }
            catch (ProvisioningException ex) { WriteProvisioningError(ex, Name); }
        }
    }
}
