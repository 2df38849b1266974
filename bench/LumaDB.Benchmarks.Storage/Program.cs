using BenchmarkDotNet.Running;
using LumaDB.Benchmarks.Storage;

// "load" (the default) runs the Stopwatch load mode and prints a table; "shard" runs the load mode through the
// whole shard; "bdn ..." hands the remaining arguments to BenchmarkDotNet (for example: bdn --filter *Gorilla*).
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadRunner).Assembly).Run(args[1..]);
    return 0;
}

var seconds = 3.0;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--seconds")
    {
        seconds = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

if (args.Length > 0 && args[0] == "shard")
{
    await new ShardLoadRunner(TimeSpan.FromSeconds(seconds)).RunAsync();
    return 0;
}

await new LoadRunner(TimeSpan.FromSeconds(seconds)).RunAsync();
return 0;
