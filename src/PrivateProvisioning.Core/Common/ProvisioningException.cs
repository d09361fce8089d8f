using System;

namespace PrivateProvisioning.Core
{
    /// <summary>What kind of failure an error is; the module maps it to an ErrorCategory, pprov to a message prefix.</summary>
    public enum ErrorKind
    {
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        ResourceExists,
        ResourceBusy,
        PermissionDenied,
        SecurityError,
        AuthenticationError,
        ConnectionError,
        OperationTimeout,
        NotImplemented,
        ReadError,
        WriteError,
        InvalidOperation,
    }

    /// <summary>
    /// The one exception Core throws for expected failures (bad input, a wrong key, a refused file).
    /// Its message is written for the user and never contains secrets; ErrorId is stable so scripts and
    /// Pester tests can match on it.
    /// </summary>
    public class ProvisioningException : Exception
    {
        public ProvisioningException(string errorId, ErrorKind kind, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        /// <summary>Stable PascalCase identifier, e.g. "InvalidMacAddress".</summary>
        public string ErrorId { get; }

        public ErrorKind Kind { get; }

        /// <summary>The item the error is about (a path, a row, a rule), for the ErrorRecord's TargetObject.</summary>
        public object? Target { get; }
    }
}
