// The catalogue of error ids: every ProvisioningException and ErrorRecord id, in one place. An id is a stable
// contract (scripts match on it with -ErrorId / pprov --json), so the value of each constant is its name and never
// changes; add new ids here, grouped by the domain that first raises them.

namespace PrivateProvisioning.Core
{
    /// <summary>Stable error ids shared by Core, the module's ErrorRecords and pprov's --json output.</summary>
    public static class ErrorIds
    {
        // Common
        public const string CsvFieldCount = nameof(CsvFieldCount);
        public const string CsvFileUnreadable = nameof(CsvFileUnreadable);
        public const string CsvMalformedHeader = nameof(CsvMalformedHeader);
        public const string CsvMalformedRecord = nameof(CsvMalformedRecord);
        public const string CsvTruncatedRecord = nameof(CsvTruncatedRecord);
        public const string CsvUnterminatedQuote = nameof(CsvUnterminatedQuote);
        public const string FileNameNotPortable = nameof(FileNameNotPortable);
        public const string FileWriteFailed = nameof(FileWriteFailed);
        public const string InternalError = nameof(InternalError);
        public const string InvalidMacAddress = nameof(InvalidMacAddress);
        public const string PathOutsideDestination = nameof(PathOutsideDestination);

        // Templates
        public const string BaseTemplateNotFound = nameof(BaseTemplateNotFound);
        public const string DefaultTemplateRequired = nameof(DefaultTemplateRequired);
        public const string DuplicateClientSetting = nameof(DuplicateClientSetting);
        public const string DuplicateFileName = nameof(DuplicateFileName);
        public const string DuplicateMacAddress = nameof(DuplicateMacAddress);
        public const string DuplicateTemplate = nameof(DuplicateTemplate);
        public const string FileNameMacroWithoutValue = nameof(FileNameMacroWithoutValue);
        public const string GenerationFailed = nameof(GenerationFailed);
        public const string GroupTemplateNotFound = nameof(GroupTemplateNotFound);
        public const string InvalidClientSetting = nameof(InvalidClientSetting);
        public const string InvalidGroupName = nameof(InvalidGroupName);
        public const string InvalidParameterAssignment = nameof(InvalidParameterAssignment);
        public const string InvalidPruneThreshold = nameof(InvalidPruneThreshold);
        public const string InvalidSettingAssignment = nameof(InvalidSettingAssignment);
        public const string InvalidTemplateDescription = nameof(InvalidTemplateDescription);
        public const string InvalidTemplateFile = nameof(InvalidTemplateFile);
        public const string InvalidTemplateName = nameof(InvalidTemplateName);
        public const string InvalidTemplateParameter = nameof(InvalidTemplateParameter);
        public const string LiteralSecretInTemplate = nameof(LiteralSecretInTemplate);
        public const string MacroWithoutValue = nameof(MacroWithoutValue);
        public const string MissingMacAddress = nameof(MissingMacAddress);
        public const string NoWrittenFilesRecord = nameof(NoWrittenFilesRecord);
        public const string PartitionDiffersPerPhone = nameof(PartitionDiffersPerPhone);
        public const string PartitionIncomplete = nameof(PartitionIncomplete);
        public const string PartitionNotSupported = nameof(PartitionNotSupported);
        public const string PruneFailed = nameof(PruneFailed);
        public const string PruneThresholdExceeded = nameof(PruneThresholdExceeded);
        public const string PruneWithUnreadableRows = nameof(PruneWithUnreadableRows);
        public const string RowOfOtherFormat = nameof(RowOfOtherFormat);
        public const string RowWithoutFormat = nameof(RowWithoutFormat);
        public const string SecretEnvironmentEmpty = nameof(SecretEnvironmentEmpty);
        public const string SecretFileUnreadable = nameof(SecretFileUnreadable);
        public const string SecretInColumn = nameof(SecretInColumn);
        public const string SkipOtherFormatsWithoutFormat = nameof(SkipOtherFormatsWithoutFormat);
        public const string StoreFileUnreadable = nameof(StoreFileUnreadable);
        public const string StoreNotFound = nameof(StoreNotFound);
        public const string StoreRequired = nameof(StoreRequired);
        public const string TemplateBasedOnItself = nameof(TemplateBasedOnItself);
        public const string TemplateCycle = nameof(TemplateCycle);
        public const string TemplateExists = nameof(TemplateExists);
        public const string TemplateFileNameMismatch = nameof(TemplateFileNameMismatch);
        public const string TemplateInUse = nameof(TemplateInUse);
        public const string TemplateNotFound = nameof(TemplateNotFound);
        public const string UnknownClientSetting = nameof(UnknownClientSetting);
        public const string UnknownModel = nameof(UnknownModel);
        public const string WrittenFilesRecordBusy = nameof(WrittenFilesRecordBusy);
        public const string WrittenFilesRecordInvalid = nameof(WrittenFilesRecordInvalid);
        public const string WrittenFilesRecordUnreadable = nameof(WrittenFilesRecordUnreadable);
        public const string WrittenFilesRecordUnwritable = nameof(WrittenFilesRecordUnwritable);

        // Formats
        public const string AliasMapNotApplicable = nameof(AliasMapNotApplicable);
        public const string AliasRuleMissing = nameof(AliasRuleMissing);
        public const string FileTooLarge = nameof(FileTooLarge);
        public const string InvalidAliasMap = nameof(InvalidAliasMap);
        public const string InvalidEncoding = nameof(InvalidEncoding);
        public const string InvalidModelCatalogue = nameof(InvalidModelCatalogue);
        public const string InvalidParameterName = nameof(InvalidParameterName);
        public const string InvalidProfileXml = nameof(InvalidProfileXml);
        public const string InvalidSettingValue = nameof(InvalidSettingValue);
        public const string InvalidSettingsJson = nameof(InvalidSettingsJson);
        public const string InvalidUserAccess = nameof(InvalidUserAccess);
        public const string LineNotOnModel = nameof(LineNotOnModel);
        public const string MissingHeader = nameof(MissingHeader);
        public const string ModelCatalogueUnreadable = nameof(ModelCatalogueUnreadable);
        public const string NoFlatProfile = nameof(NoFlatProfile);
        public const string NotADeviceConfig = nameof(NotADeviceConfig);
        public const string NotLinphoneConfig = nameof(NotLinphoneConfig);
        public const string NotPrivateWaveSettings = nameof(NotPrivateWaveSettings);
        public const string UnknownProfileFormat = nameof(UnknownProfileFormat);
        public const string ValueNotRepresentable = nameof(ValueNotRepresentable);
        public const string ValueTooLong = nameof(ValueTooLong);

        // Rules
        public const string InvalidProfileRule = nameof(InvalidProfileRule);
        public const string PhoneIdentityWithCsv = nameof(PhoneIdentityWithCsv);
        public const string ProfileRuleNotEvaluable = nameof(ProfileRuleNotEvaluable);

        // Protection
        public const string DestinationIsSource = nameof(DestinationIsSource);
        public const string EncryptedFileTruncated = nameof(EncryptedFileTruncated);
        public const string GzipCorrupt = nameof(GzipCorrupt);
        public const string InvalidExtension = nameof(InvalidExtension);
        public const string InvalidIterations = nameof(InvalidIterations);
        public const string InvalidKeySize = nameof(InvalidKeySize);
        public const string InvalidProfileSizeLimit = nameof(InvalidProfileSizeLimit);
        public const string InvalidRecordSize = nameof(InvalidRecordSize);
        public const string KeyRequired = nameof(KeyRequired);
        public const string NotProtected = nameof(NotProtected);
        public const string NothingToDo = nameof(NothingToDo);
        public const string ProfileTooLarge = nameof(ProfileTooLarge);
        public const string ProtectFailed = nameof(ProtectFailed);
        public const string SourceNotFound = nameof(SourceNotFound);
        public const string SourceUnreadable = nameof(SourceUnreadable);
        public const string UnknownKeyDerivation = nameof(UnknownKeyDerivation);
        public const string UnknownProtectionMethod = nameof(UnknownProtectionMethod);
        public const string UnpublishedEncryption = nameof(UnpublishedEncryption);
        public const string WrongKey = nameof(WrongKey);

        // Security
        public const string CertificateArgumentInvalid = nameof(CertificateArgumentInvalid);
        public const string CertificateExists = nameof(CertificateExists);
        public const string CertificateFileExists = nameof(CertificateFileExists);
        public const string CertificateFileNotFound = nameof(CertificateFileNotFound);
        public const string CertificateFileUnreadable = nameof(CertificateFileUnreadable);
        public const string CertificateInvalid = nameof(CertificateInvalid);
        public const string CertificateNotFound = nameof(CertificateNotFound);
        public const string CertificateRequestSignatureInvalid = nameof(CertificateRequestSignatureInvalid);
        public const string CiscoFileInvalid = nameof(CiscoFileInvalid);
        public const string CmsMessageMalformed = nameof(CmsMessageMalformed);
        public const string ConfigNotDevice = nameof(ConfigNotDevice);
        public const string ConfigNotXml = nameof(ConfigNotXml);
        public const string ContentDecryptionFailed = nameof(ContentDecryptionFailed);
        public const string ContentKeyDecryptionFailed = nameof(ContentKeyDecryptionFailed);
        public const string DecryptedContentNotARequest = nameof(DecryptedContentNotARequest);
        public const string DestinationExists = nameof(DestinationExists);
        public const string DigestUnsupported = nameof(DigestUnsupported);
        public const string EncryptedNotSigned = nameof(EncryptedNotSigned);
        public const string FileExists = nameof(FileExists);
        public const string FileNameForOneFile = nameof(FileNameForOneFile);
        public const string FileNameNotAllowed = nameof(FileNameNotAllowed);
        public const string FileNameRequired = nameof(FileNameRequired);
        public const string FileNotFound = nameof(FileNotFound);
        public const string FileReadFailed = nameof(FileReadFailed);
        public const string FileUnreadable = nameof(FileUnreadable);
        public const string InvalidCertificate = nameof(InvalidCertificate);
        public const string InvalidCertificateRequest = nameof(InvalidCertificateRequest);
        public const string InvalidCountry = nameof(InvalidCountry);
        public const string InvalidDistinguishedName = nameof(InvalidDistinguishedName);
        public const string InvalidEncryptedRequest = nameof(InvalidEncryptedRequest);
        public const string InvalidFileName = nameof(InvalidFileName);
        public const string InvalidRole = nameof(InvalidRole);
        public const string InvalidSignerVersion = nameof(InvalidSignerVersion);
        public const string InvalidSubjectAlternativeName = nameof(InvalidSubjectAlternativeName);
        public const string InvalidSubjectField = nameof(InvalidSubjectField);
        public const string InvalidTimestamp = nameof(InvalidTimestamp);
        public const string InvalidValidity = nameof(InvalidValidity);
        public const string InvalidWebServerSetting = nameof(InvalidWebServerSetting);
        public const string InvalidYears = nameof(InvalidYears);
        public const string IssuerConflict = nameof(IssuerConflict);
        public const string IssuerExpired = nameof(IssuerExpired);
        public const string IssuerKeyMissing = nameof(IssuerKeyMissing);
        public const string IssuerKeyRequired = nameof(IssuerKeyRequired);
        public const string IssuerNotCertificateAuthority = nameof(IssuerNotCertificateAuthority);
        public const string IssuerNotYetValid = nameof(IssuerNotYetValid);
        public const string ItlFileExists = nameof(ItlFileExists);
        public const string ItlSignerKeyInvalid = nameof(ItlSignerKeyInvalid);
        public const string ItlSignerMissing = nameof(ItlSignerMissing);
        public const string KeyAlgorithmUnsupported = nameof(KeyAlgorithmUnsupported);
        public const string KeyPathIsRequestPath = nameof(KeyPathIsRequestPath);
        public const string KeyTypeConflict = nameof(KeyTypeConflict);
        public const string NotEncrypted = nameof(NotEncrypted);
        public const string NotEncryptedToThisCertificate = nameof(NotEncryptedToThisCertificate);
        public const string OutputIsInput = nameof(OutputIsInput);
        public const string PemInvalid = nameof(PemInvalid);
        public const string PfxPasswordRequired = nameof(PfxPasswordRequired);
        public const string PfxUnreadable = nameof(PfxUnreadable);
        public const string PhoneCertificateNotFound = nameof(PhoneCertificateNotFound);
        public const string PhoneKeyMismatch = nameof(PhoneKeyMismatch);
        public const string PhoneKeyRequired = nameof(PhoneKeyRequired);
        public const string PrivateKeyInvalid = nameof(PrivateKeyInvalid);
        public const string PrivateKeyMismatch = nameof(PrivateKeyMismatch);
        public const string PrivateKeyNotExportable = nameof(PrivateKeyNotExportable);
        public const string PrivateKeyNotFound = nameof(PrivateKeyNotFound);
        public const string PrivateKeyPasswordRequired = nameof(PrivateKeyPasswordRequired);
        public const string PrivateKeyPasswordWrong = nameof(PrivateKeyPasswordWrong);
        public const string PrivateKeyRequired = nameof(PrivateKeyRequired);
        public const string PrivateKeyUnavailable = nameof(PrivateKeyUnavailable);
        public const string RequestKeyTooWeak = nameof(RequestKeyTooWeak);
        public const string RsaKeyRequired = nameof(RsaKeyRequired);
        public const string RsaServerKeyRequired = nameof(RsaServerKeyRequired);
        public const string SignatureInvalid = nameof(SignatureInvalid);
        public const string SignerKeySizeUnsupported = nameof(SignerKeySizeUnsupported);
        public const string SigningFailed = nameof(SigningFailed);
        public const string SubjectFieldRequired = nameof(SubjectFieldRequired);
        public const string TlvTooLarge = nameof(TlvTooLarge);
        public const string TooManySast = nameof(TooManySast);
        public const string UnsupportedCurve = nameof(UnsupportedCurve);
        public const string UnsupportedEncryption = nameof(UnsupportedEncryption);
        public const string UnsupportedExportFormat = nameof(UnsupportedExportFormat);
        public const string UnsupportedKeyAlgorithm = nameof(UnsupportedKeyAlgorithm);
        public const string UnsupportedKeySize = nameof(UnsupportedKeySize);
        public const string UnsupportedKeyType = nameof(UnsupportedKeyType);
        public const string UnsupportedProtectionMethod = nameof(UnsupportedProtectionMethod);
        public const string UnsupportedWebServer = nameof(UnsupportedWebServer);
        public const string UserNameMissing = nameof(UserNameMissing);

        // Resync
        public const string ConflictingPort = nameof(ConflictingPort);
        public const string CsvMissingColumn = nameof(CsvMissingColumn);
        public const string InvalidDelay = nameof(InvalidDelay);
        public const string InvalidEvent = nameof(InvalidEvent);
        public const string InvalidPort = nameof(InvalidPort);
        public const string InvalidProfileUrl = nameof(InvalidProfileUrl);
        public const string InvalidThrottleLimit = nameof(InvalidThrottleLimit);
        public const string InvalidTimeout = nameof(InvalidTimeout);
        public const string InvalidUserName = nameof(InvalidUserName);
        public const string MissingIPAddress = nameof(MissingIPAddress);
        public const string MissingUserName = nameof(MissingUserName);
        public const string TransportNotSupported = nameof(TransportNotSupported);
        public const string UnknownVendor = nameof(UnknownVendor);
        public const string UnsupportedChallenge = nameof(UnsupportedChallenge);
        public const string UnsupportedDigestAlgorithm = nameof(UnsupportedDigestAlgorithm);

        // Serving
        public const string AliasMapMissing = nameof(AliasMapMissing);
        public const string DownloadFailed = nameof(DownloadFailed);
        public const string DownloadTimedOut = nameof(DownloadTimedOut);
        public const string ExpectedProfileUnreadable = nameof(ExpectedProfileUnreadable);
        public const string HostNotFound = nameof(HostNotFound);
        public const string InvalidEndPoint = nameof(InvalidEndPoint);
        public const string NoAlternativeQualifies = nameof(NoAlternativeQualifies);
        public const string NoProtocolSelected = nameof(NoProtocolSelected);
        public const string RemoteAccessDenied = nameof(RemoteAccessDenied);
        public const string RemoteAuthenticationFailed = nameof(RemoteAuthenticationFailed);
        public const string RemoteFileNotFound = nameof(RemoteFileNotFound);
        public const string RemoteFileTooLarge = nameof(RemoteFileTooLarge);
        public const string Rfc8188KeyMissing = nameof(Rfc8188KeyMissing);
        public const string RuleHasNoServer = nameof(RuleHasNoServer);
        public const string RuleHasNoUrl = nameof(RuleHasNoUrl);
        public const string ServedFileNotFound = nameof(ServedFileNotFound);
        public const string ServerBindFailed = nameof(ServerBindFailed);
        public const string ServerCertificateRejected = nameof(ServerCertificateRejected);
        public const string ServingRootNotFound = nameof(ServingRootNotFound);
        public const string SymbolicLinkLoop = nameof(SymbolicLinkLoop);
        public const string TftpError = nameof(TftpError);
        public const string TftpServerUnreachable = nameof(TftpServerUnreachable);
        public const string TftpTimeout = nameof(TftpTimeout);
        public const string UnsupportedScheme = nameof(UnsupportedScheme);

        // Module
        public const string AmbiguousPath = nameof(AmbiguousPath);
        public const string ExpectedProfileNotFound = nameof(ExpectedProfileNotFound);
        public const string IPAddressColumnMissing = nameof(IPAddressColumnMissing);
        public const string InvalidParameterTable = nameof(InvalidParameterTable);
        public const string NotAFileSystemPath = nameof(NotAFileSystemPath);
        public const string ProfileFileNotFound = nameof(ProfileFileNotFound);
        public const string ProfileFileUnreadable = nameof(ProfileFileUnreadable);
        public const string SastRequired = nameof(SastRequired);
        public const string ServerNotFound = nameof(ServerNotFound);
        public const string SigningCertificateRequired = nameof(SigningCertificateRequired);
        public const string SigningWithOtherProtection = nameof(SigningWithOtherProtection);

        // Cli
        public const string AmbiguousSecret = nameof(AmbiguousSecret);
        public const string FileAccessDenied = nameof(FileAccessDenied);
        public const string FileAccessFailed = nameof(FileAccessFailed);
        public const string InvalidCount = nameof(InvalidCount);
        public const string InvalidDuration = nameof(InvalidDuration);
        public const string InvalidSecretVariable = nameof(InvalidSecretVariable);
        public const string InvalidVariable = nameof(InvalidVariable);
        public const string NoTargets = nameof(NoTargets);
        public const string OnePhoneKey = nameof(OnePhoneKey);
        public const string UserNameForOneRequest = nameof(UserNameForOneRequest);
        public const string SecretEmpty = nameof(SecretEmpty);
    }
}
