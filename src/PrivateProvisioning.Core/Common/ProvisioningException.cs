using System;
using System.Collections.Generic;

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

        /// <summary>
        /// The request parameters the message speaks of, by meaning (<see cref="RequestParameter"/>): the message never
        /// spells a switch, and each front end adds its own spelling of these (the module "-Force", pprov "--force").
        /// </summary>
        public IReadOnlyList<string> Parameters { get; private set; } = Array.Empty<string>();

        /// <summary>The message with a front end's spelling of <see cref="Parameters"/>: "... replace it explicitly (-Force)."</summary>
        public string MessageWith(Func<string, string> spell)
        {
            if (Parameters.Count == 0) return Message;
            var text = Message.EndsWith(".", StringComparison.Ordinal) ? Message.Substring(0, Message.Length - 1) : Message;
            var spelled = new List<string>();
            foreach (var p in Parameters)
            {
                var s = spell(p);
                if (!spelled.Contains(s)) spelled.Add(s); // two meanings one switch spells (pprov's --issuer for a file or a certificate)
            }
            return text + " (" + string.Join(", ", spelled) + ").";
        }

        /// <summary>Names the parameters the message is about; returns this exception, to throw.</summary>
        public ProvisioningException About(params string[] parameters)
        {
            Parameters = parameters;
            return this;
        }
    }
}
