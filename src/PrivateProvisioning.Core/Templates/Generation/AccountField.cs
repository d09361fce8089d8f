namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>The known account columns and their aliases (case-insensitive; spaces, '_' and '-' ignored).</summary>
    public enum AccountField
    {
        None,
        MacAddress,
        Model,
        Group,
        Template,
        UserId,
        AuthId,
        Password,
        DisplayName,
        Extension,
        SipServer,
        /// <summary>Which format (family) the row's phone uses; FleetRun sends each row to its family (else the Model decides, through the ModelCatalogue).</summary>
        Format,
    }
}
