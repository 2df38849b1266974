using System.Runtime.CompilerServices;
using LumaDB.Storage.IO;

namespace LumaDB.Storage.ObjectStore;

/// <summary>
/// The default cold tier: objects are files under a root folder (a mounted disk or network share). A put
/// writes a temp file and renames it into place, so readers see the old object or the new one, never a mix.
/// </summary>
public sealed class LocalFolderObjectStore : IObjectStore
{
    private const string TempPrefix = ".luma-put-";
    private readonly string _root;

    /// <summary>Creates a store rooted at <paramref name="root"/> (created when missing).</summary>
    public LocalFolderObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <inheritdoc/>
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var temp = Path.Combine(_root, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            DurableFile.Publish(temp, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new ObjectStoreException(ObjectStoreErrorKind.Transient, key, $"Cannot store '{key}': {e.Message}", e);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        FileStream source;
        try
        {
            source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.Permanent, key, $"Cannot read '{path}' to store it: {e.Message}", e);
        }

        await using (source)
        {
            await PutAsync(key, source, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task GetAsync(string key, Stream destination, CancellationToken cancellationToken = default)
    {
        await using var file = OpenRead(key);
        try
        {
            await file.CopyToAsync(destination, cancellationToken);
        }
        catch (IOException e)
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.Transient, key, $"Cannot read '{key}': {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public async Task GetRangeAsync(string key, long offset, long length, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        await using var file = OpenRead(key);
        if (offset > file.Length)
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.Permanent, key, $"Range starts at {offset}, past the end of '{key}' ({file.Length} bytes).");
        }

        file.Position = offset;
        var remaining = Math.Min(length, file.Length - offset);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (remaining > 0)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                remaining -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var found = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Key: Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(f => !Path.GetFileName(f.Path).StartsWith(TempPrefix, StringComparison.Ordinal) && f.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal);
        foreach (var (path, key) in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (info.Exists)
            {
                yield return new ObjectInfo(key, info.Length);
            }
        }

        await Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new ObjectInfo(key, info.Length) : null);
    }

    private FileStream OpenRead(string key)
    {
        try
        {
            return new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.NotFound, key, $"No object '{key}'.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.Transient, key, $"Cannot open '{key}': {e.Message}", e);
        }
    }

    private string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
