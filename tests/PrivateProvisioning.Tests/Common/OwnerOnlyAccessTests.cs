using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PrivateProvisioning.Core;
using PrivateProvisioning.Tests.Support;
using Xunit;
using UnixFileMode = System.IO.UnixFileMode;

namespace PrivateProvisioning.Tests.Common
{
    /// <summary>
    /// The Windows access list of key files is built here and checked as Windows would read it; the CreateFileW
    /// call itself only runs on Windows (the Pester suite checks it there with Get-Acl).
    /// </summary>
    public class OwnerOnlyAccessTests
    {
        private const string User = "S-1-5-21-3623811015-3361044348-30300820-1013";

        [Fact]
        public void The_key_descriptor_is_a_protected_dacl_for_the_user_and_system_only()
        {
            var sddl = OwnerOnlyAccess.Descriptor(User);
            var dacl = Sddl.ParseDacl(sddl);
            // P: the folder's inheritable entries (Users, Everyone, Authenticated Users...) are not merged in.
            Assert.Contains("P", dacl.Flags);
            Assert.Equal(new[] { User, "SY" }, dacl.Aces.Select(a => a.Sid).ToArray());
            foreach (var ace in dacl.Aces)
            {
                Assert.Equal("A", ace.Type);        // allow only: nothing to deny, no one else is listed
                Assert.Equal("", ace.Flags);        // no inheritance flags on a file's entries
                Assert.Equal("FA", ace.Rights);     // FILE_ALL_ACCESS
            }
            Assert.DoesNotContain(dacl.Aces, a => a.Sid == "BA" || a.Sid == "WD" || a.Sid == "AU" || a.Sid == "BU" || a.Sid == "OW");
            // No owner is forced: Windows gives the file the creating token's default owner.
            Assert.DoesNotContain("O:", sddl);
        }

        [Fact]
        public void The_grant_list_names_who_may_read_the_key()
        {
            var grants = OwnerOnlyAccess.Grants(User);
            Assert.Equal(new[] { "the current user", "LocalSystem" }, grants.Select(g => g.Who).ToArray());
        }

        [Theory]
        [InlineData("")]
        [InlineData("Everyone")]
        [InlineData("S-1-1-0)(A;;FA;;;WD")]   // an SDDL injection would grant Everyone
        [InlineData("S-1")]
        public void A_malformed_sid_is_refused_rather_than_spliced_into_the_descriptor(string sid)
        {
            Assert.Throws<ArgumentException>(() => OwnerOnlyAccess.Descriptor(sid));
        }

        [Theory]
        [InlineData(2, typeof(FileNotFoundException))]
        [InlineData(3, typeof(DirectoryNotFoundException))] // AtomicFile creates the missing folder on this one
        [InlineData(5, typeof(UnauthorizedAccessException))]
        [InlineData(80, typeof(IOException))]               // ERROR_FILE_EXISTS
        [InlineData(112, typeof(IOException))]              // ERROR_DISK_FULL
        public void Win32_errors_map_to_the_exceptions_FileStream_would_throw(int code, Type expected)
        {
            var ex = OwnerOnlyAccess.ErrorFor(code, @"C:\keys\ca.pem", "message");
            Assert.IsType(expected, ex);
            Assert.Contains(@"C:\keys\ca.pem", ex.Message);
        }

        [Fact]
        public void Long_paths_get_the_extended_prefix_that_CreateFileW_needs()
        {
            var shortPath = @"C:\keys\ca.pem";
            Assert.Equal(shortPath, OwnerOnlyAccess.ExtendedPath(shortPath));
            var longPath = @"C:\" + new string('k', 300) + @"\ca.pem";
            Assert.Equal(@"\\?\" + longPath, OwnerOnlyAccess.ExtendedPath(longPath));
            var unc = @"\\server\share\" + new string('k', 300) + @"\ca.pem";
            Assert.Equal(@"\\?\UNC\server\share\" + new string('k', 300) + @"\ca.pem", OwnerOnlyAccess.ExtendedPath(unc));
            Assert.Equal(@"\\?\" + longPath, OwnerOnlyAccess.ExtendedPath(@"\\?\" + longPath));
        }

        [Fact]
        public void An_unchanged_key_file_that_others_can_read_is_made_owner_only_again()
        {
            using var dir = new TempDirectory();
            var path = dir.File("ca.pem");
            var bytes = new byte[] { 1, 2, 3 };
            File.WriteAllBytes(path, bytes);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Assert.Equal(WriteStatus.Unchanged, AtomicFile.Write(path, bytes, ownerOnly: true));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        /// <summary>Just enough SDDL to read a DACL: "D:flags(type;flags;rights;;;sid)...".</summary>
        private static class Sddl
        {
            public sealed class Ace
            {
                public string Type = "", Flags = "", Rights = "", Sid = "";
            }

            public sealed class Dacl
            {
                public string Flags = "";
                public Ace[] Aces = Array.Empty<Ace>();
            }

            public static Dacl ParseDacl(string sddl)
            {
                var m = Regex.Match(sddl, @"^D:(?<flags>[A-Z]*)(?<aces>(\([^()]*\))+)$");
                Assert.True(m.Success, $"not a DACL-only SDDL string: {sddl}");
                var aces = Regex.Matches(m.Groups["aces"].Value, @"\(([^()]*)\)").Select(x =>
                {
                    var f = x.Groups[1].Value.Split(';');
                    Assert.Equal(6, f.Length);
                    Assert.Equal("", f[3]); // object GUIDs: none on files
                    Assert.Equal("", f[4]);
                    return new Ace { Type = f[0], Flags = f[1], Rights = f[2], Sid = f[5] };
                }).ToArray();
                return new Dacl { Flags = m.Groups["flags"].Value, Aces = aces };
            }
        }
    }
}
