using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// Software prefetch of managed memory: a hint to start loading a cache line that code a little later will read,
/// for walks over many series whose objects are scattered over a large heap. Nothing on processors without the
/// instruction. The address is only handed to the processor, never kept, so a moving GC changes nothing.
/// </summary>
public static class PrefetchLine
{
    /// <summary>Starts loading the line at <paramref name="location"/> into every cache level.</summary>
    public static unsafe void At<T>(ref T location)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref location));
        }
    }

    /// <summary>Starts loading the first line of <paramref name="instance"/>'s fields (and its header).</summary>
    public static void Object(object? instance)
    {
        if (instance is not null)
        {
            At(ref Unsafe.As<RawObject>(instance).FirstByte);
        }
    }

    /// <summary>
    /// Starts loading byte <paramref name="index"/> of the data of the array <paramref name="array"/> refers to,
    /// without reading the array (a null check or a length check would wait on its first line, usually not the
    /// one wanted). Past the end the hint is simply wasted.
    /// </summary>
    public static unsafe void ArrayData(ref byte[] array, nint index)
    {
        // A reference field holds the object's address; an array's data follows its method table and length.
        var address = Unsafe.As<byte[], nint>(ref array);
        if (address != 0 && Sse.IsSupported)
        {
            Sse.Prefetch0((void*)(address + (2 * sizeof(nint)) + index));
        }
    }

    // The layout every object shares after its method table pointer: the first byte of its fields.
    private sealed class RawObject
    {
        public byte FirstByte;
    }
}
