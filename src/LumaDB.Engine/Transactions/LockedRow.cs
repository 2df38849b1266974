namespace LumaDB.Engine.Transactions;

/// <summary>What <see cref="Transaction.LockRowAsync"/> found once it held the row lock.</summary>
/// <param name="Row">The row as the locking transaction may now update it (its own write, or the newest committed version), or null when there is none.</param>
/// <param name="Changed">True when another transaction committed the row after the statement's snapshot: the caller re-checks its conditions on <paramref name="Row"/>.</param>
public readonly record struct LockedRow(byte[]? Row, bool Changed);
