using BenchmarkDotNet.Running;
using LumaDB.Benchmarks.Storage;

// "load" (the default) runs the Stopwatch load mode and prints a table; "shard" runs the load mode through the
// whole shard; "stages" times the write path's stages one by one; "bdn ..." hands the remaining arguments to BenchmarkDotNet (for example: bdn --filter *Gorilla*).
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadRunner).Assembly).Run(args[1..]);
    return 0;
}

var seconds = 3.0;
var parts = "wlb";
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--seconds")
    {
        seconds = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    // Shard mode only: w = writes, l = lookups, b = bytes per sample.
    if (args[i] == "--parts")
    {
        parts = args[i + 1];
    }
}

if (args.Length > 0 && args[0] == "stages")
{
    await new StageRunner().RunAsync();
    return 0;
}

if (args.Length > 0 && args[0] == "shard")
{
    await new ShardLoadRunner(TimeSpan.FromSeconds(seconds), parts).RunAsync();
    return 0;
}

await new LoadRunner(TimeSpan.FromSeconds(seconds)).RunAsync();
return 0;
