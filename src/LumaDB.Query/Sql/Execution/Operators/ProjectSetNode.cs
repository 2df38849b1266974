using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// Set-returning functions in a select list: each input row is repeated once per row of its longest call, the
/// calls running side by side (a shorter one gives nulls once it ends), and an input row whose calls all give no
/// rows is dropped, as PostgreSQL's ProjectSet does. The output is the input columns, then one column per call.
/// A FROM item calling functions over the columns before it (LATERAL) is the same operation, with a row number
/// column for WITH ORDINALITY and, for LEFT JOIN LATERAL, one row of nulls where the calls give none.
/// </summary>
internal sealed class ProjectSetNode : PlanNode
{
    private readonly SetFunctionCall[] _calls;
    private readonly bool _withOrdinality;
    private readonly bool _keepUnmatched;

    public ProjectSetNode(PlanNode input, IReadOnlyList<PlanColumn> columns, SetFunctionCall[] calls, bool withOrdinality = false, bool keepUnmatched = false)
        : base(columns)
    {
        Input = input;
        _calls = calls;
        _withOrdinality = withOrdinality;
        _keepUnmatched = keepUnmatched;
    }

    public PlanNode Input { get; }

    /// <summary>The same expansion over another input with the same columns (a filter pushed below it).</summary>
    public ProjectSetNode WithInput(PlanNode input) => new(input, Columns, _calls, _withOrdinality, _keepUnmatched);

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => "ProjectSet";

    public override IEnumerable<string> Details => [$"Functions: {string.Join(", ", _calls.Select(c => c.Name))}"];

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime) => BatchOps.InBatches(runtime, Columns, Rows(runtime));

    private IEnumerable<object?[]> Rows(QueryRuntime runtime)
    {
        var width = Input.Columns.Count;
        var outputWidth = width + _calls.Length + (_withOrdinality ? 1 : 0);
        var enumerators = new IEnumerator<object?>?[_calls.Length];
        foreach (var batch in Input.Run(runtime))
        {
            var arguments = _calls.Select(c => c.Arguments.Select(a => BatchOps.Evaluate(runtime, a, batch)).ToArray()).ToArray();
            for (var row = 0; row < batch.RowCount; row++)
            {
                object?[]? input = null;
                var produced = 0L;
                try
                {
                    for (var c = 0; c < _calls.Length; c++)
                    {
                        var values = new object?[arguments[c].Length];
                        for (var a = 0; a < values.Length; a++)
                        {
                            values[a] = arguments[c][a].GetValue(row);
                        }

                        enumerators[c] = _calls[c].Expand(values).GetEnumerator();
                    }

                    while (true)
                    {
                        var output = new object?[outputWidth];
                        var any = false;
                        for (var c = 0; c < _calls.Length; c++)
                        {
                            if (enumerators[c] is not { } e)
                            {
                                continue;
                            }

                            if (e.MoveNext())
                            {
                                output[width + c] = e.Current;
                                any = true;
                            }
                            else
                            {
                                e.Dispose();
                                enumerators[c] = null;
                            }
                        }

                        if (!any)
                        {
                            break;
                        }

                        input ??= BatchOps.Row(batch, row);
                        Array.Copy(input, output, width);
                        produced++;
                        if (_withOrdinality)
                        {
                            output[^1] = produced;
                        }

                        yield return output;
                    }

                    if (produced == 0 && _keepUnmatched)
                    {
                        var unmatched = new object?[outputWidth];
                        Array.Copy(BatchOps.Row(batch, row), unmatched, width);
                        yield return unmatched;
                    }
                }
                finally
                {
                    for (var c = 0; c < enumerators.Length; c++)
                    {
                        enumerators[c]?.Dispose();
                        enumerators[c] = null;
                    }
                }
            }
        }
    }
}
