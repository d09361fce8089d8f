using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>Set-ProvisioningGroup: assigns a template to a group (the CSV's Group column), or removes the assignment.</summary>
    [Cmdlet(VerbsCommon.Set, "ProvisioningGroup", SupportsShouldProcess = true, DefaultParameterSetName = "Assign")]
    [OutputType(typeof(ProvisioningGroup))]
    public sealed class SetProvisioningGroupCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Assign", ValueFromPipelineByPropertyName = true)]
        public string Template { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = "Remove")]
        public SwitchParameter Remove { get; set; }

        /// <summary>The store folder; a piped group object brings its own (its Store property), so it is acted on where it was read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Store { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            try
            {
                var store = TemplateCmdletSupport.OpenStore(this, Store, create: true);
                var template = Remove ? null : Template;
                if (store.SetGroup(Name, template, whatIf: true) == WriteStatus.Unchanged)
                {
                    if (PassThru && template != null) WriteObject(new ProvisioningGroup(Name, store.GroupTemplate(Name)!, store.Folder));
                    return;
                }
                var action = template == null ? $"Remove the template assignment of group '{Name}'" : $"Assign template '{template}' to group '{Name}'";
                if (!ShouldProcess(store.Folder ?? "(no store)", action)) return;
                store.SetGroup(Name, template);
                if (PassThru && template != null) WriteObject(new ProvisioningGroup(Name, store.GroupTemplate(Name)!, store.Folder));
            }
            catch (ProvisioningException ex) { WriteProvisioningError(ex, Name); }
        }
    }
}
