using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace PrivateProvisioning.Core.Security.Enrollment
{
    /// <summary>
    /// The subject of a certificate request: a server's FQDN, or the PrivateWave client fields (Country,
    /// Organization, OU, Common Name, Locality, State, Email, Street, Postal code, Title). Values are
    /// checked against the X.520 size limits here, so a bad field is named before any key is made.
    /// </summary>
    public sealed class CertificateSubject
    {
        public CertificateSubject(string commonName, string? organization = null, string? organizationalUnit = null,
            string? country = null, string? state = null, string? locality = null, string? street = null,
            string? postalCode = null, string? title = null, string? email = null)
        {
            CommonName = Check("CommonName", commonName, 64, required: true)!;
            Organization = Check("Organization", organization, 64);
            OrganizationalUnit = Check("OrganizationalUnit", organizationalUnit, 64);
            Country = CheckCountry(country);
            State = Check("State", state, 128);
            Locality = Check("Locality", locality, 128);
            Street = Check("Street", street, 128);
            PostalCode = Check("PostalCode", postalCode, 40);
            Title = Check("Title", title, 64);
            Email = CheckEmail(email);
        }

        public string CommonName { get; }
        public string? Organization { get; }
        public string? OrganizationalUnit { get; }
        /// <summary>ISO 3166-1 alpha-2, upper case (X.509 C is a two-letter PrintableString).</summary>
        public string? Country { get; }
        public string? State { get; }
        public string? Locality { get; }
        public string? Street { get; }
        public string? PostalCode { get; }
        public string? Title { get; }
        public string? Email { get; }

        /// <summary>The DER Name, in the order openssl's -subj examples use (C, ST, L, street, postalCode, O, OU, title, CN, emailAddress).</summary>
        internal X509Name ToX509Name()
        {
            var rdns = new List<Asn1Encodable>();
            void Add(DerObjectIdentifier oid, string? value, Func<string, Asn1Encodable> encode)
            {
                if (value != null) rdns.Add(new DerSet(new DerSequence(oid, encode(value))));
            }
            Add(X509Name.C, Country, v => new DerPrintableString(v));
            Add(X509Name.ST, State, v => new DerUtf8String(v));
            Add(X509Name.L, Locality, v => new DerUtf8String(v));
            Add(X509Name.Street, Street, v => new DerUtf8String(v));
            Add(X509Name.PostalCode, PostalCode, v => new DerUtf8String(v));
            Add(X509Name.O, Organization, v => new DerUtf8String(v));
            Add(X509Name.OU, OrganizationalUnit, v => new DerUtf8String(v));
            Add(X509Name.T, Title, v => new DerUtf8String(v));
            Add(X509Name.CN, CommonName, v => new DerUtf8String(v));
            Add(PkcsObjectIdentifiers.Pkcs9AtEmailAddress, Email, v => new DerIA5String(v));
            return X509Name.GetInstance(new DerSequence(rdns.ToArray()));
        }

        /// <summary>As Windows and X509Certificate2.Subject print it (CN first).</summary>
        public override string ToString() => new X500DistinguishedName(ToX509Name().GetDerEncoded()).Name;

        private static string? Check(string field, string? value, int max, bool required = false)
        {
            if (value == null || value.Length == 0)
            {
                if (required) throw Invalid(field, value, "it is required");
                return null;
            }
            if (value.Trim().Length == 0) throw Invalid(field, value, "it is blank");
            if (value.Length > max) throw Invalid(field, value, $"it has {value.Length} characters; X.520 allows at most {max}");
            for (int i = 0; i < value.Length; i++)
                if (char.IsControl(value[i]))
                    throw Invalid(field, value, $"character {i + 1} is a control character");
            return value;
        }

        private static string? CheckCountry(string? value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            if (value!.Length != 2 || !IsAsciiLetter(value[0]) || !IsAsciiLetter(value[1]))
                throw Invalid("Country", value, "a country is exactly two letters (ISO 3166-1 alpha-2, e.g. IT or DE)");
            return value.ToUpperInvariant();
        }

        private static string? CheckEmail(string? value)
        {
            var email = Check("Email", value, 255);
            if (email == null) return null;
            int at = email.IndexOf('@');
            if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
                throw Invalid("Email", email, "it is not an e-mail address (name@domain)");
            for (int i = 0; i < email.Length; i++)
                if (email[i] > 0x7E || email[i] == ' ')
                    throw Invalid("Email", email, $"character {i + 1} is not printable ASCII (emailAddress is an IA5String)");
            return email;
        }

        private static bool IsAsciiLetter(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

        private static ProvisioningException Invalid(string field, string? value, string why) =>
            new ProvisioningException(ErrorIds.InvalidSubjectField, ErrorKind.InvalidArgument,
                $"The subject field {field} '{value}' is refused: {why}.", field);
    }
}
