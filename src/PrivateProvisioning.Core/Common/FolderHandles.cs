using System;

namespace PrivateProvisioning.Core
{
    /// <summary>
    /// Open descriptors of the few folders one bulk run reads from and writes to (Linux), so each file's open, create
    /// and link looks up one name from its folder instead of walking every folder of its full path: signing 10,000
    /// files into one folder walked the same five folders 30,000 times. The folders are opened when first asked for
    /// and closed with the run; a folder renamed during the run is still the one opened. Thread-safe.
    /// </summary>
    internal sealed class FolderHandles : IDisposable
    {
        /// <summary>A run naming more folders than this walks the full paths of the others.</summary>
        private const int MostFolders = 8;

        private readonly object _gate = new object();
        private volatile Folder[] _folders = Array.Empty<Folder>();
        private bool _closed;

        private sealed class Folder
        {
            public Folder(string path, int fd) { Path = path; Fd = fd; }
            public string Path { get; }
            public int Fd { get; }
        }

        /// <summary>A run's handles, or null where files are not opened from folders (not Linux).</summary>
        public static FolderHandles? ForRun() => LinuxFiles.Enabled ? new FolderHandles() : null;

        /// <summary>
        /// The open folder holding <paramref name="path"/> (a full path: the folder, '/', a name) and that folder's
        /// path, or -1 when the file is to be reached by its full path.
        /// </summary>
        public int For(string path, out string folder)
        {
            folder = string.Empty;
            int slash = path.LastIndexOf('/');
            if (slash <= 0 || slash == path.Length - 1) return -1;
            var opened = Opened(path, slash);
            if (opened == null)
                lock (_gate)
                {
                    opened = Opened(path, slash);
                    if (opened == null) return Open(path, slash, out folder);
                }
            folder = opened.Path;
            return opened.Fd;
        }

        /// <summary>The folder of the first <paramref name="slash"/> characters of <paramref name="path"/>, if open.</summary>
        private Folder? Opened(string path, int slash)
        {
            foreach (var known in _folders)
                if (known.Path.Length == slash && string.CompareOrdinal(path, 0, known.Path, 0, slash) == 0) return known;
            return null;
        }

        /// <summary>Opens the folder (under the lock) and keeps it for the run; -1 when it cannot be or too many are open.</summary>
        private int Open(string path, int slash, out string folder)
        {
            folder = string.Empty;
            if (_closed || _folders.Length >= MostFolders) return -1;
            var folderPath = path.Substring(0, slash);
            int fd = LinuxFiles.OpenFolder(folderPath);
            // A folder that cannot be opened yet (an output folder the first file creates) is asked for again.
            if (fd < 0) return -1;
            var grown = new Folder[_folders.Length + 1];
            Array.Copy(_folders, grown, _folders.Length);
            grown[grown.Length - 1] = new Folder(folderPath, fd);
            _folders = grown;
            folder = folderPath;
            return fd;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_closed) return;
                _closed = true;
                foreach (var folder in _folders) LinuxFiles.CloseFolder(folder.Fd);
                _folders = Array.Empty<Folder>();
            }
        }
    }
}
