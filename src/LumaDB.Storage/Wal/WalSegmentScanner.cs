using System.Buffers;

namespace LumaDB.Storage.Wal;

/// <summary>
/// Reads the records of one segment file in order, checking length bounds, CRC and LSN continuity, and stops
/// at the first bad byte without ever throwing on bad data.
/// </summary>
internal sealed class WalSegmentScanner : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxRecordBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private ulong _expectedLsn;

    public WalSegmentScanner(Stream stream, ulong firstLsn, int maxRecordBytes)
    {
        _stream = stream;
        _maxRecordBytes = maxRecordBytes;
        _expectedLsn = firstLsn;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>File offset of the record returned last, or of the invalid bytes.</summary>
    public long RecordOffset { get; private set; }

    /// <summary>File offset just past the last valid record.</summary>
    public long ValidEnd { get; private set; }

    /// <summary>The LSN the next record must carry.</summary>
    public ulong ExpectedLsn => _expectedLsn;

    /// <summary>Why the last <see cref="WalScanStatus.Invalid"/> was returned.</summary>
    public string InvalidReason { get; private set; } = string.Empty;

    /// <summary>Reads the next record; the payload view is valid until the next call.</summary>
    public WalScanStatus ReadNext(out WalRecord record)
    {
        record = default;
        RecordOffset = ValidEnd;
        var available = Fill(WalRecordFormat.HeaderSize);
        if (available == 0)
        {
            return WalScanStatus.End;
        }

        if (available < WalRecordFormat.HeaderSize)
        {
            return Invalid($"only {available} bytes left, a header needs {WalRecordFormat.HeaderSize}");
        }

        var payloadLength = WalRecordFormat.ReadPayloadLength(_buffer.AsSpan(_start));
        if (payloadLength > (uint)_maxRecordBytes)
        {
            return Invalid($"length {payloadLength} exceeds the record limit {_maxRecordBytes}");
        }

        var size = WalRecordFormat.HeaderSize + (int)payloadLength;
        if (_stream.CanSeek && RecordOffset + size > _stream.Length)
        {
            // A torn or corrupt length past the file's end: refuse it before buffering up to the record limit.
            return Invalid($"record of {size} bytes cut short at {_stream.Length - RecordOffset} bytes");
        }

        available = Fill(size);
        if (available < size)
        {
            return Invalid($"record of {size} bytes cut short at {available} bytes");
        }

        if (!WalRecordFormat.TryValidate(_buffer.AsSpan(_start, size), out record))
        {
            return Invalid("checksum mismatch");
        }

        if (record.Lsn != _expectedLsn)
        {
            var lsn = record.Lsn;
            record = default;
            return Invalid($"LSN {lsn} where {_expectedLsn} was expected");
        }

        _start += size;
        _expectedLsn++;
        ValidEnd += size;
        return WalScanStatus.Record;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private WalScanStatus Invalid(string reason)
    {
        InvalidReason = reason;
        return WalScanStatus.Invalid;
    }

    /// <summary>Makes up to <paramref name="count"/> bytes available from <c>_start</c>; returns how many are.</summary>
    private int Fill(int count)
    {
        while (_end - _start < count && !_eof)
        {
            if (_buffer.Length - _start < count)
            {
                // Compact, and grow when one record is larger than the buffer.
                var target = _buffer.Length >= count ? _buffer : ArrayPool<byte>.Shared.Rent(count);
                _buffer.AsSpan(_start, _end - _start).CopyTo(target);
                if (!ReferenceEquals(target, _buffer))
                {
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = target;
                }

                _end -= _start;
                _start = 0;
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }

        return Math.Min(count, _end - _start);
    }
}
