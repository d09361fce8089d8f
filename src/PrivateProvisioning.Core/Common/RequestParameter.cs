namespace PrivateProvisioning.Core
{
    /// <summary>
    /// The parameters of Core's requests that an error may ask the user to give or change, by meaning. The names are
    /// the module's parameter names; pprov maps each onto its own switch (Destination is --out, Key is --key-file or
    /// --key-env). See <see cref="ProvisioningException.About"/>.
    /// </summary>
    public static class RequestParameter
    {
        public const string Compress = nameof(Compress);
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
