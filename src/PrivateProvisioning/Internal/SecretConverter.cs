using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace PrivateProvisioning.Internal
{
    /// <summary>
    /// Unwraps a SecureString at the last moment, into a byte array the caller wipes (Array.Clear) as
    /// soon as Core is done with it. The plain text never becomes a managed string.
    /// </summary>
    internal static class SecretConverter
    {
        public static byte[] ToUtf8Bytes(SecureString secret)
        {
            IntPtr unmanaged = IntPtr.Zero;
            char[]? chars = null;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
                chars = new char[secret.Length];
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                return Encoding.UTF8.GetBytes(chars);
            }
            finally
            {
                if (chars != null) Array.Clear(chars, 0, chars.Length);
                if (unmanaged != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }

        public static char[] ToChars(SecureString secret)
        {
            IntPtr unmanaged = IntPtr.Zero;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
                var chars = new char[secret.Length];
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                return chars;
            }
            finally
            {
                if (unmanaged != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }
    }
}
