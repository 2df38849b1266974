namespace LumaDB.Query.PromQL.Engine;

/// <summary>Compensated (Kahan-Neumaier) summation, as Prometheus uses for sums and averages.</summary>
internal struct KahanSum
{
    private double _sum;
    private double _c;

    public void Add(double inc)
    {
        var t = _sum + inc;
        if (double.IsInfinity(t))
        {
            _c = 0;
        }
        else if (Math.Abs(_sum) >= Math.Abs(inc))
        {
            _c += (_sum - t) + inc;
        }
        else
        {
            _c += (inc - t) + _sum;
        }

        _sum = t;
    }

    public readonly double Value => double.IsInfinity(_sum) ? _sum : _sum + _c;
}
