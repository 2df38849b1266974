using System.Runtime.InteropServices;

namespace LumaDB.Storage.IO;

/// <summary>
/// File operations that survive a power cut: data is fsynced before a rename publishes it, and the directory
/// is fsynced after the rename so the new name itself is durable.
/// </summary>
internal static partial class DurableFile
{
    /// <summary>Moves <paramref name="tempPath"/> over <paramref name="finalPath"/> and makes the rename durable.</summary>
    public static void Publish(string tempPath, string finalPath)
    {
        File.Move(tempPath, finalPath, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(finalPath))!);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically: temp file, fsync, rename, fsync directory.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var tempPath = path + ".tmp";
        using (var stream = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        Publish(tempPath, finalPath: path);
    }

    /// <summary>
    /// Flushes a directory's entries to disk. .NET has no API for this (a directory cannot be opened as a
    /// FileStream), so on Unix it calls open/fsync directly; Windows commits renames with the metadata itself.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
