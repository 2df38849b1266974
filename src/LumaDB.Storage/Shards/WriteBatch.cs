using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LumaDB.Storage.Memtables;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Puts and deletes across the tables of one shard that commit together: one commit seq, one WAL record, all or
/// nothing on recovery. Within a batch the last operation on a key wins.
/// </summary>
/// <remarks>
/// Keys and rows are copied into one growing buffer (no array per operation). The WAL payload is: count u32,
/// then per operation kind u8 (1 put, 2 delete), key length u32, shard key, and for a put row length u32 and
/// the row; operations are sorted by key, so recovery and the live path apply them identically and in order.
/// </remarks>
public sealed class WriteBatch
{
    private const byte PutKind = 1;
    private const byte DeleteKind = 2;
    private readonly ArrayBufferWriter<byte> _data = new(256);
    private readonly List<Operation> _operations = [];

    /// <summary>Number of operations added (before last-wins deduplication).</summary>
    public int Count => _operations.Count;

    /// <summary>Bytes of keys and rows added: what the batch's WAL record will about weigh.</summary>
    public int ByteCount => _data.WrittenCount;

    /// <summary>Adds a row (encoded with the table's <see cref="RowCodec"/>); its key comes from its key columns.</summary>
    public WriteBatch Put(TableLayout table, ReadOnlySpan<byte> row)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keyStart = _data.WrittenCount;
        table.Codec.WriteKey(row, _data);
        var keyLength = _data.WrittenCount - keyStart;
        var rowStart = _data.WrittenCount;
        _data.Write(row);
        _operations.Add(new Operation(keyStart, keyLength, rowStart, row.Length));
        return this;
    }

    /// <summary>Adds the row a builder holds, encoded straight into the batch (no copy of the row in between).</summary>
    public WriteBatch Put(RowBuilder row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var rowStart = _data.WrittenCount;
        var rowLength = row.Encode(_data);

        // The key follows the row here; operations keep both offsets, so the order in the buffer does not matter.
        var keyStart = _data.WrittenCount;
        row.WriteKey(_data);
        _operations.Add(new Operation(keyStart, _data.WrittenCount - keyStart, rowStart, rowLength));
        return this;
    }

    /// <summary>Deletes the row with this primary key (encoded with <see cref="KeyEncoding"/>, without table prefix).</summary>
    public WriteBatch Delete(TableLayout table, ReadOnlySpan<byte> primaryKey)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keyStart = _data.WrittenCount;
        _data.Write(table.KeyPrefix);
        _data.Write(primaryKey);
        _operations.Add(new Operation(keyStart, _data.WrittenCount - keyStart, 0, -1));
        return this;
    }

    /// <summary>Removes every operation so the batch can be reused.</summary>
    public void Clear()
    {
        _data.ResetWrittenCount();
        _operations.Clear();
    }

    /// <summary>
    /// Writes the WAL payload (operations sorted by key, the last one per key kept) into an array rented from
    /// the shared pool, which the caller returns once the WAL append and the memtable apply are done.
    /// </summary>
    internal int Encode(out byte[] rented)
    {
        var data = _data.WrittenMemory;
        var count = _operations.Count;
        var order = ArrayPool<int>.Shared.Rent(count);
        try
        {
            return Encode(data.Span, order.AsSpan(0, count), out rented);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
    }

    private int Encode(ReadOnlySpan<byte> data, Span<int> order, out byte[] rented)
    {
        var operations = CollectionsMarshal.AsSpan(_operations);
        var ascending = true;
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            if (i > 0 && ascending && operations[i - 1].Key(data).SequenceCompareTo(operations[i].Key(data)) >= 0)
            {
                ascending = false;
            }
        }

        // Batches usually arrive in key order (ids, time): then there is nothing to sort and no key repeats.
        if (!ascending)
        {
            SortByKey(order);
        }

        var size = 4;
        var kept = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (!ascending && IsSuperseded(order, i, data))
            {
                continue;
            }

            var op = _operations[order[i]];
            size += 1 + 4 + op.KeyLength + (op.RowLength >= 0 ? 4 + op.RowLength : 0);
            kept++;
        }

        rented = ArrayPool<byte>.Shared.Rent(size);
        var span = rented.AsSpan(0, size);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)kept);
        var at = 4;
        for (var i = 0; i < order.Length; i++)
        {
            if (!ascending && IsSuperseded(order, i, data))
            {
                continue;
            }

            var op = _operations[order[i]];
            span[at++] = op.RowLength >= 0 ? PutKind : DeleteKind;
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)op.KeyLength);
            op.Key(data).CopyTo(span[(at + 4)..]);
            at += 4 + op.KeyLength;
            if (op.RowLength >= 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)op.RowLength);
                data.Slice(op.RowStart, op.RowLength).CopyTo(span[(at + 4)..]);
                at += 4 + op.RowLength;
            }
        }

        return size;
    }

    /// <summary>Applies a payload to a memtable at <paramref name="seq"/>. The caller is the memtable's one writer.</summary>
    internal static void Apply(ReadOnlySpan<byte> payload, RowMemtable memtable, ulong seq)
    {
        var count = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            var kind = payload[at];
            var keyLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[(at + 1)..]);
            var key = payload.Slice(at + 5, keyLength);
            at += 5 + keyLength;
            if (kind == PutKind)
            {
                var rowLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[at..]);
                memtable.Put(key, seq, payload.Slice(at + 4, rowLength));
                at += 4 + rowLength;
            }
            else if (kind == DeleteKind)
            {
                memtable.Delete(key, seq);
            }
            else
            {
                throw new InvalidDataException($"Unknown write-batch operation {kind}.");
            }
        }

        if (at != payload.Length)
        {
            throw new InvalidDataException("Write-batch payload has trailing bytes.");
        }
    }

    /// <summary>
    /// Sorts operation indexes by key, then by position, so the last operation of a key comes last among its
    /// equals. Keys of one batch share a long prefix (the table's, often more), so each is ranked first by the
    /// 8 bytes after the shared prefix, and whole keys are compared only when those tie.
    /// </summary>
    private void SortByKey(Span<int> order)
    {
        var operations = CollectionsMarshal.AsSpan(_operations);
        var data = _data.WrittenSpan;
        var first = operations[0].Key(data);
        var shared = first.Length;
        foreach (var op in operations[1..])
        {
            shared = Math.Min(shared, first[..shared].CommonPrefixLength(op.Key(data)));
        }

        var ranked = ArrayPool<RankedKey>.Shared.Rent(operations.Length);
        try
        {
            var keys = ranked.AsSpan(0, operations.Length);
            Span<byte> head = stackalloc byte[8];
            for (var i = 0; i < keys.Length; i++)
            {
                var tail = operations[i].Key(data)[shared..];
                head.Clear();
                tail[..Math.Min(8, tail.Length)].CopyTo(head);
                keys[i] = new RankedKey(BinaryPrimitives.ReadUInt64BigEndian(head), i);
            }

            keys.Sort(new RankedKeyComparer(_operations, _data.WrittenMemory, shared));
            for (var i = 0; i < keys.Length; i++)
            {
                order[i] = keys[i].Index;
            }
        }
        finally
        {
            ArrayPool<RankedKey>.Shared.Return(ranked);
        }
    }

    private bool IsSuperseded(ReadOnlySpan<int> order, int i, ReadOnlySpan<byte> data) =>
        i + 1 < order.Length && _operations[order[i]].Key(data).SequenceEqual(_operations[order[i + 1]].Key(data));

    /// <summary>An operation's index and the 8 key bytes after the batch's shared key prefix, big-endian (zero-padded).</summary>
    private readonly record struct RankedKey(ulong Head, int Index);

    /// <summary>
    /// Orders ranked keys by head, then (heads tie, or one was zero-padded) by the keys past the shared prefix,
    /// then by position.
    /// </summary>
    private readonly struct RankedKeyComparer(List<Operation> operations, ReadOnlyMemory<byte> data, int shared) : IComparer<RankedKey>
    {
        public int Compare(RankedKey x, RankedKey y)
        {
            if (x.Head != y.Head)
            {
                return x.Head < y.Head ? -1 : 1;
            }

            var bytes = data.Span;
            var byKey = operations[x.Index].Key(bytes)[shared..].SequenceCompareTo(operations[y.Index].Key(bytes)[shared..]);
            return byKey != 0 ? byKey : x.Index.CompareTo(y.Index);
        }
    }

    /// <summary>Where one operation's key and row sit in the batch buffer; a row length of -1 marks a delete.</summary>
    private readonly record struct Operation(int KeyStart, int KeyLength, int RowStart, int RowLength)
    {
        public ReadOnlySpan<byte> Key(ReadOnlySpan<byte> data) => data.Slice(KeyStart, KeyLength);
    }
}
