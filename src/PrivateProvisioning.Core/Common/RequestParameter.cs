namespace PrivateProvisioning.Core
{
    /// <summary>
    /// The parameters of Core's requests that an error may ask the user to give or change, by meaning. The names are
    /// the module's parameter names; pprov maps each onto its own switch (Destination is --out, Key is --key-file or
    /// --key-env). See <see cref="ProvisioningException.About"/>.
    /// </summary>
    public static class RequestParameter
    {
        public const string Address = nameof(Address);
        public const string BasedOn = nameof(BasedOn);
        /// <summary>A CSV file of phones (pprov's --from-csv; the module takes rows from the pipeline instead).</summary>
        public const string CsvPath = nameof(CsvPath);
        public const string DefaultServer = nameof(DefaultServer);
        public const string Digest = nameof(Digest);
        public const string Format = nameof(Format);
        public const string Http = nameof(Http);
        public const string IPAddress = nameof(IPAddress);
        public const string MacAddress = nameof(MacAddress);
        public const string ProductName = nameof(ProductName);
        public const string SerialNumber = nameof(SerialNumber);
        public const string Store = nameof(Store);
        public const string Timeout = nameof(Timeout);
        public const string Tftp = nameof(Tftp);
        public const string Variable = nameof(Variable);
        public const string Compress = nameof(Compress);
        public const string Count = nameof(Count);
        public const string Destination = nameof(Destination);
        public const string Extension = nameof(Extension);
        public const string FileName = nameof(FileName);
        public const string Force = nameof(Force);
        public const string IssuerCertificate = nameof(IssuerCertificate);
        public const string IssuerPath = nameof(IssuerPath);
        public const string Iterations = nameof(Iterations);
        public const string Key = nameof(Key);
        public const string KeyDerivation = nameof(KeyDerivation);
        public const string KeyPath = nameof(KeyPath);
        public const string Method = nameof(Method);
        public const string Password = nameof(Password);
        public const string PhoneCertificate = nameof(PhoneCertificate);
        public const string Sast = nameof(Sast);
        public const string SigningCertificate = nameof(SigningCertificate);
        public const string UserName = nameof(UserName);
    }
}
