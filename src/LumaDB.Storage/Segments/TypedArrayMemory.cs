using System.Buffers;
using System.Runtime.InteropServices;

namespace LumaDB.Storage.Segments;

/// <summary>
/// The bytes of a typed array as <see cref="Memory{T}"/> of byte, so an Arrow buffer can wrap a cached decoded
/// column without copying it; a reader that knows this type gets the original array back through
/// <see cref="MemoryMarshal.TryGetMemoryManager{T, TManager}(ReadOnlyMemory{T}, out TManager)"/>. The array
/// is shared and read-only: nobody may write it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class TypedArrayMemory<T> : MemoryManager<byte>
    where T : unmanaged
{
    /// <summary>Wraps <paramref name="array"/>.</summary>
    public TypedArrayMemory(T[] array) => Array = array;

    /// <summary>The wrapped array.</summary>
    public T[] Array { get; }

    /// <inheritdoc/>
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(Array.AsSpan());

    /// <inheritdoc/>
    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        // The handle is freed when the caller disposes the MemoryHandle.
        var pin = GCHandle.Alloc(Array, GCHandleType.Pinned);
        return new MemoryHandle((byte*)pin.AddrOfPinnedObject() + elementIndex, pin);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
    }
}
