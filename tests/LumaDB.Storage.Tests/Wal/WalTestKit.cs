using System.Text;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging;

namespace LumaDB.Storage.Tests.Wal;

/// <summary>Small helpers shared by the WAL tests.</summary>
internal static class WalTestKit
{
    public static byte[] Payload(int i) => Encoding.UTF8.GetBytes($"record-{i:D4}-" + new string((char)('a' + (i % 26)), i % 37));

    public static List<(ulong Lsn, byte Type, byte[] Payload)> OpenAndReplay(
        WalOptions options, ulong from, ILogger? logger, out WriteAheadLog wal)
    {
        var seen = new List<(ulong, byte, byte[])>();
        wal = WriteAheadLog.Open(options, from, r => seen.Add((r.Lsn, r.Type, r.Payload.ToArray())), logger);
        return seen;
    }

    public static async Task<List<(ulong Lsn, byte Type, byte[] Payload)>> ReplayAllAsync(WalOptions options, ILogger? logger = null, ulong from = 1)
    {
        var seen = OpenAndReplay(options, from, logger, out var wal);
        await wal.DisposeAsync();
        return seen;
    }

    public static async Task AppendManyAsync(WriteAheadLog wal, int count, int first = 1)
    {
        for (var i = first; i < first + count; i++)
        {
            await wal.AppendAsync((byte)(i % 7), Payload(i));
        }
    }
}
