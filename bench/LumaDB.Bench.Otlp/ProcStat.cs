using System.Globalization;

namespace LumaDB.Bench.Otlp;

/// <summary>CPU time split and page faults of a process, read from /proc (Linux; zeros elsewhere).</summary>
internal static class ProcStat
{
    /// <summary>User time, system time and minor page faults of process <paramref name="pid"/>.</summary>
    public static (TimeSpan User, TimeSpan System, long MinorFaults) Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return default;
        }
        catch (UnauthorizedAccessException)
        {
            return default;
        }

        // Fields after the command name (which may hold spaces, so split after its closing parenthesis):
        // state is field 3, minflt field 10, utime 14 and stime 15, in clock ticks (100 per second on Linux).
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        static long Field(string[] f, int number) => long.Parse(f[number - 3], CultureInfo.InvariantCulture);
        const double TicksPerSecond = 100;
        return (TimeSpan.FromSeconds(Field(fields, 14) / TicksPerSecond), TimeSpan.FromSeconds(Field(fields, 15) / TicksPerSecond), Field(fields, 10));
    }
}
