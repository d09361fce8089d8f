using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PrivateProvisioning.Internal
{
    /// <summary>Tab completion of an enum's names for a parameter that takes text (so Core can name a bad value per row).</summary>
    public sealed class EnumNameCompleter<TEnum> : IArgumentCompleter where TEnum : struct
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Enum.GetNames(typeof(TEnum))
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }
}
