using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>Reads a virtual table from its provider.</summary>
internal sealed class SystemScanNode : PlanNode
{
    private readonly SystemTable _table;

    public SystemScanNode(SystemTable table, IReadOnlyList<PlanColumn> columns)
        : base(columns) => _table = table;

    public override string Label => $"Function Scan on {_table.Schema}.{_table.Name}";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var context = runtime.SystemContext ?? throw new SqlException(SqlState.InternalError, "no catalog for a system table");
        return _table.Rows(context);
    }
}
