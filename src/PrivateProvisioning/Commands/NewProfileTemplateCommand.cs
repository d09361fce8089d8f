using System.Collections;
using System.Management.Automation;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Templates;
using PrivateProvisioning.Internal;
using PrivateProvisioning.Templates;

namespace PrivateProvisioning.Commands
{
    /// <summary>New-ProfileTemplate: creates a template file in the store.</summary>
    [Cmdlet(VerbsCommon.New, "ProfileTemplate", SupportsShouldProcess = true)]
    [OutputType(typeof(ProfileTemplate))]
    public sealed class NewProfileTemplateCommand : ProvisioningCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = null!;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Description { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? BasedOn { get; set; }

        [Parameter]
        public IDictionary? Setting { get; set; }

        [Parameter]
        public IDictionary? Parameter { get; set; }

        [Parameter]
        public string? Store { get; set; }

        /// <summary>The piped row (Import-Csv), kept as the error's TargetObject with its secret columns masked.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecordCore()
        {
            try
            {
                var store = TemplateCmdletSupport.OpenStore(this, Store, create: true);
                var template = ProfileTemplate.Create(Name, Description, BasedOn,
                    TemplateCmdletSupport.Settings(Setting), TemplateCmdletSupport.Parameters(Parameter));
                var planned = store.Add(template, whatIf: true);
                if (!ShouldProcess(planned.Path, "Create profile template '" + template.Name + "'")) return;
                WriteObject(store.Add(template));
            }
            catch (ProvisioningException ex)
            {
                // Piped: the row an admin looks up in the CSV (secrets masked), named by Name; typed: what Core names (the file, the value).
                var record = ToErrorRecord(ex, InputObject != null && !(InputObject.BaseObject is string) ? RowCells.Masked(InputObject, null) : null);
                record.CategoryInfo.TargetName = Name;
                WriteError(record);
            }
        }
    }
}
