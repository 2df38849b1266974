using System.Buffers;

namespace LumaDB.Storage.Shards;

/// <summary>
/// A growable buffer of values on arrays rented from the shared pool, so that a buffer filled again and again
/// (one flush after another) writes into memory the process already touched instead of fresh pages.
/// </summary>
internal sealed class PooledBuffer<T> : IDisposable
    where T : unmanaged
{
    private T[] _array = [];
    private int _length;

    /// <summary>Values written.</summary>
    public int Count => _length;

    /// <summary>The values written; valid until the next write after a <see cref="Reset"/> or a growth.</summary>
    public ReadOnlyMemory<T> WrittenMemory => _array.AsMemory(0, _length);

    /// <summary>The values written.</summary>
    public ReadOnlySpan<T> WrittenSpan => _array.AsSpan(0, _length);

    /// <summary>The written value at <paramref name="index"/>, to change in place.</summary>
    public ref T At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_length, nameof(index));
        return ref _array[index];
    }

    /// <summary>Written values [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>), to overwrite in place.</summary>
    public Span<T> GetSpanAt(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)start + (uint)count, (uint)_length, nameof(count));
        return _array.AsSpan(start, count);
    }

    /// <summary>Room for <paramref name="count"/> more values, to be committed with <see cref="Advance"/>.</summary>
    public Span<T> GetSpan(int count)
    {
        if (_array.Length - _length < count)
        {
            var bigger = ArrayPool<T>.Shared.Rent(Math.Max(_length + count, Math.Max(256, _array.Length * 2)));
            _array.AsSpan(0, _length).CopyTo(bigger);
            Return();
            _array = bigger;
        }

        return _array.AsSpan(_length, count);
    }

    /// <summary>Like <see cref="GetSpan"/>, as memory (for an asynchronous read into the buffer).</summary>
    public Memory<T> GetMemory(int count)
    {
        GetSpan(count);
        return _array.AsMemory(_length, count);
    }

    /// <summary>Commits <paramref name="count"/> values written into the last <see cref="GetSpan"/>.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Appends values.</summary>
    public void Write(ReadOnlySpan<T> values)
    {
        values.CopyTo(GetSpan(values.Length));
        _length += values.Length;
    }

    /// <summary>Appends one value.</summary>
    public void Add(T value)
    {
        GetSpan(1)[0] = value;
        _length++;
    }

    /// <summary>Forgets the values; the array is kept for the next ones.</summary>
    public void Reset() => _length = 0;

    /// <summary>Hands the array back to the pool.</summary>
    public void Dispose()
    {
        Return();
        _array = [];
        _length = 0;
    }

    private void Return()
    {
        if (_array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_array);
        }
    }
}
