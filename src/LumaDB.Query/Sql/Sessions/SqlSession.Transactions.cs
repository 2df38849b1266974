using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>BEGIN / COMMIT / ROLLBACK / SAVEPOINT and the I/T/E states.</summary>
public sealed partial class SqlSession
{
    private async ValueTask<StatementResult> ExecuteTransactionAsync(TransactionStatement statement, CancellationToken cancellationToken)
    {
        var notices = new List<string>();
        string tag;
        switch (statement.Kind)
        {
            case TransactionCommand.Begin:
                if (_block is not null)
                {
                    if (TransactionState == SessionTransactionState.Failed)
                    {
                        throw new SqlException(SqlState.InFailedTransaction, "current transaction is aborted, commands ignored until end of transaction block");
                    }

                    notices.Add("there is already a transaction in progress");
                }
                else
                {
                    BeginBlock(statement.Modes);
                    TransactionState = SessionTransactionState.InBlock;
                }

                tag = "BEGIN";
                break;
            case TransactionCommand.Commit:
                if (_block is null)
                {
                    notices.Add("there is no transaction in progress");
                    tag = "COMMIT";
                    break;
                }

                if (TransactionState == SessionTransactionState.Failed)
                {
                    EndBlock(commit: false);
                    tag = "ROLLBACK";
                    break;
                }

                var block = _block;
                _block = null;
                _savepoints.Clear();
                TransactionState = SessionTransactionState.Idle;
                AfterBlock();
                try
                {
                    await CommitAsync(block, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    if (block.IsActive)
                    {
                        block.Rollback();
                    }

                    throw;
                }

                tag = "COMMIT";
                break;
            case TransactionCommand.Rollback:
                if (_block is null)
                {
                    notices.Add("there is no transaction in progress");
                }

                EndBlock(commit: false);
                tag = "ROLLBACK";
                break;
            case TransactionCommand.Savepoint:
                RequireBlock("SAVEPOINT");
                if (TransactionState == SessionTransactionState.Failed)
                {
                    throw new SqlException(SqlState.InFailedTransaction, "current transaction is aborted, commands ignored until end of transaction block");
                }

                _savepoints.Add((statement.Savepoint!, _block!.Savepoint()));
                tag = "SAVEPOINT";
                break;
            case TransactionCommand.Release:
                {
                    RequireBlock("RELEASE SAVEPOINT");
                    var index = FindSavepoint(statement.Savepoint!);
                    _savepoints.RemoveRange(index, _savepoints.Count - index);
                    tag = "RELEASE";
                    break;
                }

            case TransactionCommand.RollbackToSavepoint:
                {
                    RequireBlock("ROLLBACK TO SAVEPOINT");
                    var index = FindSavepoint(statement.Savepoint!);
                    _block!.RollbackToSavepoint(_savepoints[index].Id);
                    _savepoints.RemoveRange(index + 1, _savepoints.Count - index - 1);
                    TransactionState = SessionTransactionState.InBlock;
                    tag = "ROLLBACK";
                    break;
                }

            default:
                throw new SqlException(SqlState.FeatureNotSupported, "transaction command not supported");
        }

        var result = new StatementResult([], null, () => tag);
        foreach (var notice in notices)
        {
            result.Notices.Add(notice);
        }

        return result;
    }

    private void RequireBlock(string command)
    {
        if (_block is null)
        {
            throw new SqlException(SqlState.NoActiveTransaction, $"{command} can only be used in transaction blocks");
        }
    }

    private int FindSavepoint(string name)
    {
        var index = _savepoints.FindLastIndex(s => s.Name == name);
        if (index < 0)
        {
            throw new SqlException(SqlState.InvalidSavepoint, $"savepoint \"{name}\" does not exist");
        }

        return index;
    }

    private void EndBlock(bool commit)
    {
        _ = commit;
        if (_block is { IsActive: true } block)
        {
            block.Rollback();
        }

        _block = null;
        _savepoints.Clear();
        TransactionState = SessionTransactionState.Idle;
        AfterBlock();
    }
}
