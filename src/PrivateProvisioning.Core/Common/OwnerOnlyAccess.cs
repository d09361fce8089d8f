using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace PrivateProvisioning.Core
{
    /// <summary>One allow entry of the owner-only access list: a SID (or SDDL alias) and the SDDL rights it gets.</summary>
    internal readonly struct OwnerOnlyGrant
    {
        public OwnerOnlyGrant(string sid, string rights, string who) { Sid = sid; Rights = rights; Who = who; }
        /// <summary>A SID string (S-1-5-21-...) or an SDDL alias ("SY" is LocalSystem).</summary>
        public string Sid { get; }
        /// <summary>SDDL rights: "FA" is FILE_ALL_ACCESS.</summary>
        public string Rights { get; }
        /// <summary>For messages and documentation.</summary>
        public string Who { get; }
    }

    /// <summary>
    /// Owner-only access for private keys, on every platform: mode 0600 on Linux and macOS; on Windows a
    /// protected DACL (nothing inherited from the folder) with two entries, full control for the current user
    /// and for LocalSystem. LocalSystem is the counterpart of root, which mode 0600 does not keep out either:
    /// backup agents, virus scanners and services run as it. BUILTIN\Administrators is deliberately absent: on a
    /// shared provisioning server many people are administrators, and the signing key must not be readable by
    /// every elevated shell (an administrator can still take ownership, which leaves a trace in the audit log).
    /// <para>
    /// On Windows the file is created by CreateFileW with that security descriptor, so it never exists with
    /// the folder's inherited access list, not even between creation and the first byte. Only inbox Windows
    /// APIs (kernel32, advapi32) are used: no System.IO.FileSystem.AccessControl assembly to ship, so nothing
    /// can clash with another module's copy in the same PowerShell session, and Windows PowerShell 5.1 and
    /// PowerShell 7 run the same code.
    /// </para>
    /// </summary>
    internal static class OwnerOnlyAccess
    {
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private static readonly Regex SidPattern = new Regex(@"^S-1-[0-9]{1,15}(-[0-9]{1,10}){1,15}$", RegexOptions.CultureInvariant);

        /// <summary>Who may open a key file on Windows: the user who writes it, and LocalSystem.</summary>
        internal static IReadOnlyList<OwnerOnlyGrant> Grants(string userSid)
        {
            if (userSid == null || !SidPattern.IsMatch(userSid))
                throw new ArgumentException($"'{userSid}' is not a SID string (S-1-...).", nameof(userSid));
            return new[]
            {
                new OwnerOnlyGrant(userSid, "FA", "the current user"),
                new OwnerOnlyGrant("SY", "FA", "LocalSystem"),
            };
        }

        /// <summary>
        /// The security descriptor in SDDL: "D:P" is a protected DACL (the folder's inheritable entries are not
        /// merged in, at creation or later); each entry allows, with no inheritance flags (a file has no children).
        /// No owner is set: Windows makes the creating token's default owner the owner.
        /// </summary>
        internal static string Descriptor(string userSid)
        {
            var sddl = new StringBuilder("D:P");
            foreach (var grant in Grants(userSid))
                sddl.Append("(A;;").Append(grant.Rights).Append(";;;").Append(grant.Sid).Append(')');
            return sddl.ToString();
        }

        /// <summary>Makes a file readable by its owner only (an existing key whose bytes did not change).</summary>
        public static void Restrict(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) { Windows.Restrict(path); return; }
#if NET
            File.SetUnixFileMode(path, System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite);
#else
            if (chmod(path, 0x180 /* 0600 */) != 0)
                throw new IOException($"chmod 600 '{path}' failed (errno {Marshal.GetLastWin32Error()})");
#endif
        }

        /// <summary>
        /// Windows only: creates <paramref name="path"/> (which must not exist) with the owner-only descriptor in
        /// place and writes the bytes. Throws what FileStream would: DirectoryNotFoundException for a missing
        /// folder, UnauthorizedAccessException, IOException (the name exists, the disk is full).
        /// </summary>
        public static void CreateNew(string path, byte[] buffer, int offset, int count) => Windows.CreateNew(path, buffer, offset, count);

        /// <summary>The exception FileStream would throw for a Win32 error code (so AtomicFile's handling stays one).</summary>
        internal static Exception ErrorFor(int win32Error, string path, string message)
        {
            var text = $"'{path}': {message}";
            switch (win32Error)
            {
                case 2: return new FileNotFoundException(text, path);         // ERROR_FILE_NOT_FOUND
                case 3: return new DirectoryNotFoundException(text);          // ERROR_PATH_NOT_FOUND
                case 5: return new UnauthorizedAccessException(text);         // ERROR_ACCESS_DENIED
                default: return new IOException(text, unchecked((int)0x80070000) | (win32Error & 0xFFFF)); // HRESULT_FROM_WIN32
            }
        }

        /// <summary>The \\?\ form of a long full path, which CreateFileW needs where .NET would add it itself.</summary>
        internal static string ExtendedPath(string fullPath)
        {
            if (fullPath.Length < 248 || fullPath.StartsWith(@"\\?\", StringComparison.Ordinal) || fullPath.StartsWith(@"\\.\", StringComparison.Ordinal))
                return fullPath;
            return fullPath.StartsWith(@"\\", StringComparison.Ordinal) ? @"\\?\UNC\" + fullPath.Substring(2) : @"\\?\" + fullPath;
        }

#if !NET
        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, int mode);
#endif

        /// <summary>The Windows calls; nothing here is reached elsewhere (callers check <see cref="IsWindows"/>).</summary>
        private static class Windows
        {
            private const uint GENERIC_WRITE = 0x40000000, CREATE_NEW = 1, FILE_ATTRIBUTE_NORMAL = 0x80;
            private const uint TOKEN_QUERY = 0x0008, SDDL_REVISION_1 = 1;
            private const int TokenUser = 1, ERROR_NO_TOKEN = 1008, SE_FILE_OBJECT = 1;
            private const uint DACL_SECURITY_INFORMATION = 0x4, PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000;

            public static void CreateNew(string path, byte[] buffer, int offset, int count)
            {
                var descriptor = SecurityDescriptor(path);
                try
                {
                    var attributes = new SECURITY_ATTRIBUTES
                    {
                        nLength = Marshal.SizeOf<SECURITY_ATTRIBUTES>(),
                        lpSecurityDescriptor = descriptor,
                        bInheritHandle = 0,
                    };
                    var handle = CreateFileW(ExtendedPath(path), GENERIC_WRITE, 0, ref attributes, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, IntPtr.Zero);
                    if (handle.IsInvalid)
                    {
                        int error = Marshal.GetLastWin32Error();
                        handle.Dispose();
                        throw ErrorFor(error, path, new Win32Exception(error).Message);
                    }
                    using var stream = new FileStream(handle, FileAccess.Write, 4096);
                    stream.Write(buffer, offset, count);
                }
                finally { LocalFree(descriptor); }
            }

            public static void Restrict(string path)
            {
                var descriptor = SecurityDescriptor(path);
                try
                {
                    if (!GetSecurityDescriptorDacl(descriptor, out _, out var dacl, out _))
                    {
                        int error = Marshal.GetLastWin32Error();
                        throw ErrorFor(error, path, new Win32Exception(error).Message);
                    }
                    // PROTECTED_: the folder's inheritable entries no longer flow into the file.
                    uint rc = SetNamedSecurityInfoW(ExtendedPath(path), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                        IntPtr.Zero, IntPtr.Zero, dacl, IntPtr.Zero);
                    if (rc != 0) throw ErrorFor((int)rc, path, "cannot set its access list: " + new Win32Exception((int)rc).Message);
                }
                finally { LocalFree(descriptor); }
            }

            /// <summary>A self-relative security descriptor (LocalFree it) for the current user.</summary>
            private static IntPtr SecurityDescriptor(string path)
            {
                var sddl = Descriptor(CurrentUserSid(path));
                if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, out var descriptor, out _))
                {
                    int error = Marshal.GetLastWin32Error();
                    throw ErrorFor(error, path, "cannot build its owner-only access list: " + new Win32Exception(error).Message);
                }
                return descriptor;
            }

            /// <summary>The SID of the token files are created with: the impersonated user's, else the process's.</summary>
            private static string CurrentUserSid(string path)
            {
                if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, true, out var token))
                {
                    int error = Marshal.GetLastWin32Error();
                    if (error != ERROR_NO_TOKEN || !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, out token))
                        throw ErrorFor(Marshal.GetLastWin32Error(), path, "cannot read the current user's identity for its owner-only access list");
                }
                try
                {
                    GetTokenInformation(token, TokenUser, IntPtr.Zero, 0, out int length);
                    var info = Marshal.AllocHGlobal(Math.Max(length, 1));
                    try
                    {
                        if (!GetTokenInformation(token, TokenUser, info, length, out _))
                            throw ErrorFor(Marshal.GetLastWin32Error(), path, "cannot read the current user's SID for its owner-only access list");
                        // TOKEN_USER starts with SID_AND_ATTRIBUTES, whose first field is the SID pointer.
                        if (!ConvertSidToStringSidW(Marshal.ReadIntPtr(info), out var text))
                            throw ErrorFor(Marshal.GetLastWin32Error(), path, "cannot read the current user's SID for its owner-only access list");
                        try { return Marshal.PtrToStringUni(text)!; }
                        finally { LocalFree(text); }
                    }
                    finally { Marshal.FreeHGlobal(info); }
                }
                finally { CloseHandle(token); }
            }

            [StructLayout(LayoutKind.Sequential)]
            private struct SECURITY_ATTRIBUTES
            {
                public int nLength;
                public IntPtr lpSecurityDescriptor;
                public int bInheritHandle;
            }

            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            private static extern SafeFileHandle CreateFileW(string fileName, uint desiredAccess, uint shareMode, ref SECURITY_ATTRIBUTES securityAttributes,
                uint creationDisposition, uint flagsAndAttributes, IntPtr templateFile);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            private static extern bool ConvertStringSecurityDescriptorToSecurityDescriptorW(string stringSecurityDescriptor, uint revision,
                out IntPtr securityDescriptor, out uint securityDescriptorSize);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            private static extern bool GetSecurityDescriptorDacl(IntPtr securityDescriptor, [MarshalAs(UnmanagedType.Bool)] out bool daclPresent,
                out IntPtr dacl, [MarshalAs(UnmanagedType.Bool)] out bool daclDefaulted);

            /// <summary>Returns the Win32 error code itself (it does not set the last error).</summary>
            [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
            private static extern uint SetNamedSecurityInfoW(string objectName, int objectType, uint securityInfo,
                IntPtr owner, IntPtr group, IntPtr dacl, IntPtr sacl);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            private static extern bool OpenThreadToken(IntPtr thread, uint desiredAccess, [MarshalAs(UnmanagedType.Bool)] bool openAsSelf, out IntPtr token);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            private static extern bool OpenProcessToken(IntPtr process, uint desiredAccess, out IntPtr token);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            private static extern bool GetTokenInformation(IntPtr token, int informationClass, IntPtr information, int length, out int returnLength);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            private static extern bool ConvertSidToStringSidW(IntPtr sid, out IntPtr stringSid);

            [DllImport("kernel32.dll")]
            private static extern IntPtr GetCurrentThread();

            [DllImport("kernel32.dll")]
            private static extern IntPtr GetCurrentProcess();

            [DllImport("kernel32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            private static extern bool CloseHandle(IntPtr handle);

            [DllImport("kernel32.dll")]
            private static extern IntPtr LocalFree(IntPtr memory);
        }
    }
}
