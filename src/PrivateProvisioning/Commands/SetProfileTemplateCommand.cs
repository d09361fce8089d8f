using System.Collections;
using System.Linq;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>Set-ProfileTemplate: changes a template's description, base, settings or vendor parameters.</summary>
    [Cmdlet(VerbsCommon.Set, "ProfileTemplate", SupportsShouldProcess = true)]
    [OutputType(typeof(ProfileTemplate))]
    public sealed class SetProfileTemplateCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = null!;

        [Parameter]
        public string? Description { get; set; }

        /// <summary>The new base; an empty string removes it.</summary>
        [Parameter]
        public string? BasedOn { get; set; }

        [Parameter]
        public IDictionary? Setting { get; set; }

        [Parameter]
        public IDictionary? Parameter { get; set; }

        [Parameter]
        public string[]? RemoveSetting { get; set; }

        /// <summary>FORMAT:NAME, e.g. CiscoSpa:Resync_Periodic.</summary>
        [Parameter]
        public string[]? RemoveParameter { get; set; }

        /// <summary>The store folder; a piped template object brings its own (its Store property), so it is acted on where it was read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Store { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            try
            {
                var store = TemplateCmdletSupport.OpenStore(this, Store);
                var current = store.Get(Name);
                var changed = current.With(Description, BasedOn, TemplateCmdletSupport.Settings(Setting), TemplateCmdletSupport.Parameters(Parameter),
                    RemoveSetting, (RemoveParameter ?? new string[0]).Select(p => TemplateEdits.ParseParameter(p, false))
                        .Select(p => new System.Collections.Generic.KeyValuePair<ProfileFormat, string>(p.Key, p.Value.Key)));
                var planned = store.Update(changed, whatIf: true);
                if (!ShouldProcess(planned.Path, "Update profile template '" + current.Name + "'")) return;
                var saved = store.Update(changed);
                if (PassThru) WriteObject(saved);
            }
            catch (ProvisioningException ex) { WriteProvisioningError(ex, Name); }
        }
    }
}
