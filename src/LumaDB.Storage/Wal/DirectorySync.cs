using System.Runtime.InteropServices;
using System.Text;

namespace LumaDB.Storage.Wal;

/// <summary>
/// Makes a directory's entries durable (fsync on the directory), so a new segment file cannot vanish in a
/// power loss after records in it were acknowledged. .NET has no API for it: opening a directory as a file
/// is refused, hence the direct libc calls (blittable, so NativeAOT-safe).
/// </summary>
internal static class DirectorySync
{
    public static void Sync(string directory)
    {
        // Windows journals directory metadata and cannot open a directory for flushing; nothing to do there.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        var path = new byte[Encoding.UTF8.GetByteCount(directory) + 1];
        Encoding.UTF8.GetBytes(directory, path);
        var fd = NativeMethods.Open(path, 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>The three libc calls, kept apart as the analyzers ask.</summary>
    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
