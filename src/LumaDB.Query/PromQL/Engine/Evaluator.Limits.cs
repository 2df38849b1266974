namespace LumaDB.Query.PromQL.Engine;

/// <summary>The query's limits: a cancellation (timeout) checked at every node and a budget of samples in memory.</summary>
internal sealed partial class Evaluator
{
    private CancellationToken _cancellation;
    private long _maxSamples = long.MaxValue;
    private long _stepSamples;

    /// <summary>Samples the current top-level step has loaded so far.</summary>
    public long StepSamples => _stepSamples;

    public void SetLimits(long maxSamples, CancellationToken cancellation)
    {
        _maxSamples = maxSamples;
        _cancellation = cancellation;
    }

    /// <summary>Starts a new top-level step; <paramref name="held"/> samples are already kept for the result.</summary>
    public void BeginStep(long held)
    {
        _stepSamples = held;
        Check(0);
    }

    // Prometheus counts the samples a step holds at once; selectors and subqueries are where they come from.
    private EvalValue Charge(EvalValue value)
    {
        var count = value switch
        {
            VectorValue v => v.Samples.Count,
            MatrixValue m => m.Series.Sum(static s => (long)s.Count),
            _ => 0L,
        };
        Check(count);
        return value;
    }

    private void Check(long samples)
    {
        _cancellation.ThrowIfCancellationRequested();
        _stepSamples += samples;
        if (_stepSamples > _maxSamples)
        {
            throw new PromQLTooManySamplesException();
        }
    }
}
