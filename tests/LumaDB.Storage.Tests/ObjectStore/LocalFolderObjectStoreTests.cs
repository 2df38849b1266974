using LumaDB.Storage.ObjectStore;

namespace LumaDB.Storage.Tests.ObjectStore;

public sealed class LocalFolderObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LocalFolderObjectStore _store;

    public LocalFolderObjectStoreTests() => _store = new LocalFolderObjectStore(_dir.Path);

    protected override IObjectStore Store => _store;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_failed_put_leaves_the_previous_object_and_no_temp_file()
    {
        await _store.PutAsync("k", new MemoryStream([1, 2, 3]));

        await Assert.ThrowsAnyAsync<Exception>(() => _store.PutAsync("k", new FailingStream()));

        var read = new MemoryStream();
        await _store.GetAsync("k", read);
        Assert.Equal([1, 2, 3], read.ToArray());
        Assert.Equal(["k"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    /// <summary>A source that breaks after some bytes, like a connection dropped mid-upload.</summary>
    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ == 0 ? count : throw new IOException("connection reset");

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
