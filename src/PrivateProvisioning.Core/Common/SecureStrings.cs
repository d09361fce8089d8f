using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace PrivateProvisioning.Core
{
    /// <summary>
    /// Unwraps a SecureString at the last moment, into an array the caller wipes (Array.Clear) as soon as it is
    /// done with it. The plain text never becomes a managed string.
    /// </summary>
    public static class SecureStrings
    {
        public static byte[] ToUtf8Bytes(SecureString secret)
        {
            var chars = ToChars(secret);
            try { return Encoding.UTF8.GetBytes(chars); }
            finally { Array.Clear(chars, 0, chars.Length); }
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
