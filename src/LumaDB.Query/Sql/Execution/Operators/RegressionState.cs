using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>The statistics aggregates of two float8 arguments (Y, X); each is a final step over one <see cref="RegressionState"/>.</summary>
internal enum RegressionKind
{
    Corr,
    CovarPop,
    CovarSamp,
    AvgX,
    AvgY,
    Count,
    Intercept,
    R2,
    Slope,
    Sxx,
    Sxy,
    Syy,
}

/// <summary>
/// Running state of the (Y, X) statistics aggregates: the count of rows where both are non-null, the sums of X and
/// Y, and the sums of squared and cross deviations from the running means. The deviations are updated incrementally
/// (Youngs and Cramer), not as sums of squares less the squared sum, so large means do not cancel the digits away;
/// partial states over disjoint rows combine exactly as if one state had seen all rows.
/// </summary>
internal struct RegressionState
{
    private double _n;
    private double _sx;
    private double _sxx;
    private double _sy;
    private double _syy;
    private double _sxy;

    /// <summary>The kind of a statistics aggregate name, or null when <paramref name="name"/> is not one.</summary>
    public static RegressionKind? KindOf(string name) => name switch
    {
        "corr" => RegressionKind.Corr,
        "covar_pop" => RegressionKind.CovarPop,
        "covar_samp" => RegressionKind.CovarSamp,
        "regr_avgx" => RegressionKind.AvgX,
        "regr_avgy" => RegressionKind.AvgY,
        "regr_count" => RegressionKind.Count,
        "regr_intercept" => RegressionKind.Intercept,
        "regr_r2" => RegressionKind.R2,
        "regr_slope" => RegressionKind.Slope,
        "regr_sxx" => RegressionKind.Sxx,
        "regr_sxy" => RegressionKind.Sxy,
        "regr_syy" => RegressionKind.Syy,
        _ => null,
    };

    /// <summary>Adds one row whose Y and X are both non-null.</summary>
    public void Add(double y, double x)
    {
        var previousSx = _sx;
        var previousSy = _sy;
        _n += 1.0;
        _sx += x;
        _sy += y;
        if (_n > 1.0)
        {
            // Deviation of the new value from the mean of the earlier rows, scaled so that no division by n - 1 is needed per sum.
            var dx = (x * _n) - _sx;
            var dy = (y * _n) - _sy;
            var scale = 1.0 / (_n * (_n - 1.0));
            _sxx += dx * dx * scale;
            _syy += dy * dy * scale;
            _sxy += dx * dy * scale;

            // An infinite sum from finite values is an overflow; from an infinite input the deviations are undefined.
            if (double.IsInfinity(_sx) || double.IsInfinity(_sxx))
            {
                if (!double.IsInfinity(previousSx) && !double.IsInfinity(x))
                {
                    throw Overflow();
                }

                _sxx = double.NaN;
            }

            if (double.IsInfinity(_sy) || double.IsInfinity(_syy))
            {
                if (!double.IsInfinity(previousSy) && !double.IsInfinity(y))
                {
                    throw Overflow();
                }

                _syy = double.NaN;
            }

            if (double.IsInfinity(_sxy))
            {
                if (!double.IsInfinity(previousSx) && !double.IsInfinity(x) && !double.IsInfinity(previousSy) && !double.IsInfinity(y))
                {
                    throw Overflow();
                }

                _sxy = double.NaN;
            }
        }
        else
        {
            // One row has no deviation, unless its value is not finite: then no later row can make it defined.
            if (!double.IsFinite(x))
            {
                _sxx = double.NaN;
                _sxy = double.NaN;
            }

            if (!double.IsFinite(y))
            {
                _syy = double.NaN;
                _sxy = double.NaN;
            }
        }
    }

    /// <summary>Adds the state of other rows (a parallel worker's partial).</summary>
    public void Combine(in RegressionState other)
    {
        if (other._n == 0.0)
        {
            return;
        }

        if (_n == 0.0)
        {
            this = other;
            return;
        }

        var n = _n + other._n;

        // The deviation sums grow by the spread between the two parts' means.
        var dx = (_sx / _n) - (other._sx / other._n);
        var dy = (_sy / _n) - (other._sy / other._n);
        var weight = _n * other._n / n;
        _sx = Plus(_sx, other._sx);
        _sy = Plus(_sy, other._sy);
        _sxx = Plus(Plus(_sxx, other._sxx), weight * dx * dx);
        _syy = Plus(Plus(_syy, other._syy), weight * dy * dy);
        _sxy = Plus(Plus(_sxy, other._sxy), weight * dx * dy);
        _n = n;
    }

    /// <summary>The value of aggregate <paramref name="kind"/> over the rows added: a bigint for regr_count, else a float8 or null.</summary>
    public readonly object? Result(RegressionKind kind)
    {
        if (kind == RegressionKind.Count)
        {
            return (long)_n;
        }

        if (_n < 1.0 || (kind == RegressionKind.CovarSamp && _n < 2.0))
        {
            return null;
        }

        return kind switch
        {
            RegressionKind.AvgX => _sx / _n,
            RegressionKind.AvgY => _sy / _n,
            RegressionKind.Sxx => _sxx,
            RegressionKind.Syy => _syy,
            RegressionKind.Sxy => _sxy,
            RegressionKind.CovarPop => _sxy / _n,
            RegressionKind.CovarSamp => _sxy / (_n - 1.0),

            // A vertical or horizontal line has no correlation; r2 of a horizontal (constant Y) fit is exact.
            RegressionKind.Corr => _sxx == 0.0 || _syy == 0.0 ? null : _sxy / Math.Sqrt(_sxx * _syy),
            RegressionKind.R2 => _sxx == 0.0 ? null : _syy == 0.0 ? 1.0 : _sxy * _sxy / (_sxx * _syy),
            RegressionKind.Slope => _sxx == 0.0 ? null : _sxy / _sxx,
            RegressionKind.Intercept => _sxx == 0.0 ? null : (_sy - (_sx * _sxy / _sxx)) / _n,
            _ => null,
        };
    }

    private static double Plus(double left, double right)
    {
        var sum = left + right;
        if (double.IsInfinity(sum) && !double.IsInfinity(left) && !double.IsInfinity(right))
        {
            throw Overflow();
        }

        return sum;
    }

    private static SqlException Overflow() => new(SqlState.NumericValueOutOfRange, "value out of range: overflow");
}
