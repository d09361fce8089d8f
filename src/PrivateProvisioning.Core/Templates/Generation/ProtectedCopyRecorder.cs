using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PrivateProvisioning.Core.Protection;

namespace PrivateProvisioning.Core.Templates.Generation
{
    /// <summary>
    /// The protection step's half of the record of written files: a signed, encrypted or compressed copy of a
    /// file our generation recorded (or of a copy already recorded) is recorded for the same phone, so that
    /// pruning a retired phone removes its .sgn, .enc.sgn, .enc and .gz copies too. The record is found from the
    /// source file's folder and its parents (the generation destination). Best effort: a copy that cannot be
    /// recorded is simply never pruned.
    /// </summary>
    internal static class ProtectedCopyRecorder
    {
        public static ProtectionOutcome[] Record(ProtectionOutcome[] outcomes, bool whatIf)
        {
            if (whatIf) return outcomes;
            try
            {
                var recordFolderOf = new Dictionary<string, string?>(WrittenFilesRecord.PathComparer);
                var recordPathOf = new Dictionary<string, string>(WrittenFilesRecord.PathComparer);
                var byRecord = new Dictionary<string, (string Destination, List<ProtectionResult> Results)>(WrittenFilesRecord.PathComparer);
                foreach (var o in outcomes)
                {
                    var r = o.Result;
                    if (r == null || WrittenFilesRecord.PathComparer.Equals(r.Path, r.Source) || !WrittenFilesRecord.Recordable(r.Path)) continue;
                    var folder = Path.GetDirectoryName(Path.GetFullPath(r.Source));
                    if (folder == null) continue;
                    var found = FindRecord(folder, recordFolderOf, recordPathOf);
                    if (found == null) continue;
                    var recordPath = recordPathOf[found];
                    if (!byRecord.TryGetValue(recordPath, out var entry)) byRecord[recordPath] = entry = (found, new List<ProtectionResult>());
                    entry.Results.Add(r);
                }
                foreach (var kv in byRecord)
                {
                    using (WrittenFilesRecord.Lock(kv.Key))
                    {
                        var record = WrittenFilesRecord.Load(kv.Key, kv.Value.Destination);
                        bool changed = false;
                        foreach (var r in kv.Value.Results)
                        {
                            if (!record.TryGet(Path.GetFullPath(r.Source), out var source)) continue;
                            record.Set(new WrittenFile(Path.GetFullPath(r.Path), source.Mac, null, r.Sha256));
                            changed = true;
                        }
                        if (changed) record.Save();
                    }
                }
            }
            catch (Exception ex) when (ex is ProvisioningException || ex is IOException || ex is UnauthorizedAccessException) { /* best effort */ }
            return outcomes;
        }

        /// <summary>The folder (the source's or a parent) that has a record of written files, or null; answers are kept per folder for the call.</summary>
        private static string? FindRecord(string folder, Dictionary<string, string?> recordFolderOf, Dictionary<string, string> recordPathOf)
        {
            if (recordFolderOf.TryGetValue(folder, out var known)) return known;
            string? found = null;
            var path = WrittenFilesRecord.DefaultPath(folder);
            if (path != null && File.Exists(path)) { found = folder; recordPathOf[folder] = path; }
            else
            {
                var parent = Path.GetDirectoryName(folder);
                if (parent != null) found = FindRecord(parent, recordFolderOf, recordPathOf);
            }
            recordFolderOf[folder] = found;
            return found;
        }
    }
}
