using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>A PKCS#10 request read from PEM or DER, with its signature checked.</summary>
    internal sealed class ParsedCertificateRequest
    {
        public ParsedCertificateRequest(Pkcs10CertificationRequest request, byte[] der, string source)
        {
            Request = request;
            Der = der;
            Source = source;
            var info = request.GetCertificationRequestInfo();
            SubjectName = info.Subject;
            Subject = new X500DistinguishedName(info.Subject.GetDerEncoded()).Name;
            var cns = info.Subject.GetValueList(X509Name.CN);
            CommonName = cns.Count > 0 ? (string)cns[cns.Count - 1]! : null;
        }

        public Pkcs10CertificationRequest Request { get; }
        public byte[] Der { get; }
        public string Source { get; }
        public X509Name SubjectName { get; }
        public string Subject { get; }
        public string? CommonName { get; }

        /// <summary>The subjectAltName the requester asked for in its extensionRequest, or null.</summary>
        public GeneralNames? RequestedSubjectAlternativeNames()
        {
            var attributes = Request.GetCertificationRequestInfo().Attributes;
            if (attributes == null) return null;
            foreach (var item in attributes)
            {
                var attribute = AttributePkcs.GetInstance(item);
                if (!attribute.AttrType.Equals(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest)) continue;
                foreach (var value in attribute.AttrValues)
                {
                    var extensions = X509Extensions.GetInstance(value);
                    var san = extensions.GetExtension(X509Extensions.SubjectAlternativeName);
                    if (san != null) return GeneralNames.GetInstance(san.GetParsedValue());
                }
            }
            return null;
        }
    }

    internal static class CertificateRequestReader
    {
        /// <summary>Reads a CSR (PEM "CERTIFICATE REQUEST" / "NEW CERTIFICATE REQUEST", or DER); throws a clear error otherwise.</summary>
        public static ParsedCertificateRequest Read(byte[] content, string source, bool verifySignature = true)
        {
            byte[] der = content;
            if (EnrollmentPem.LooksLikePem(content))
            {
                der = null!;
                foreach (var block in EnrollmentPem.Decode(content, source))
                    if (block.Label == "CERTIFICATE REQUEST" || block.Label == "NEW CERTIFICATE REQUEST") { der = block.Data; break; }
                if (der == null)
                    throw NotARequest(source, "it holds no CERTIFICATE REQUEST block", null);
            }
            Pkcs10CertificationRequest request;
            try
            {
                var asn1 = Asn1Object.FromByteArray(der);
                request = new Pkcs10CertificationRequest(CertificationRequest.GetInstance(asn1).GetDerEncoded());
                request.GetCertificationRequestInfo().Subject.ToString();
                request.GetPublicKey();
            }
            catch (Exception ex) when (!(ex is ProvisioningException))
            {
                throw NotARequest(source, "it is not a PKCS#10 certificate request (PEM or DER)", ex);
            }
            var parsed = new ParsedCertificateRequest(request, der, source);
            if (verifySignature)
            {
                bool valid;
                try { valid = request.Verify(); }
                catch (Exception ex) when (!(ex is ProvisioningException)) { valid = false; }
                if (!valid)
                    throw new ProvisioningException(ErrorIds.CertificateRequestSignatureInvalid, ErrorKind.SecurityError,
                        $"The certificate request '{source}' ({parsed.Subject}) has a bad signature: it was altered or not signed by its own key. Nothing was issued.", source);
            }
            return parsed;
        }

        private static ProvisioningException NotARequest(string source, string why, Exception? inner) =>
            new ProvisioningException(ErrorIds.InvalidCertificateRequest, ErrorKind.InvalidData, $"'{source}' is refused: {why}.", source, inner);
    }
}
