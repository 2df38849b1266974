namespace LumaDB.Query.PromQL.Syntax;

/// <summary>
/// Signature of a PromQL function. <see cref="Variadic"/> follows Prometheus: 0 = exactly the listed
/// arguments; n &gt; 0 = the last listed argument is optional and may repeat up to n times in total;
/// -1 = the last listed argument may repeat without limit. In both variadic cases the minimum is one
/// fewer than the listed arguments.
/// </summary>
public sealed record FunctionInfo(string Name, PromQLValueType[] ArgumentTypes, int Variadic, PromQLValueType ReturnType, bool Experimental = false)
{
    /// <summary>Fewest arguments accepted.</summary>
    public int MinArguments => Variadic == 0 ? ArgumentTypes.Length : ArgumentTypes.Length - 1;

    /// <summary>Most arguments accepted, or null if unbounded.</summary>
    public int? MaxArguments => Variadic switch
    {
        0 => ArgumentTypes.Length,
        < 0 => null,
        _ => ArgumentTypes.Length - 1 + Variadic,
    };

    /// <summary>The expected type of argument <paramref name="index"/> (repeating the last for variadics).</summary>
    public PromQLValueType ArgumentType(int index) => ArgumentTypes[Math.Min(index, ArgumentTypes.Length - 1)];
}
