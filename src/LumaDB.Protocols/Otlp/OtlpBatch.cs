namespace LumaDB.Protocols.Otlp;

/// <summary>The rows mapped from one request, and how many items were rejected on their own (partial success).</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="Items">The rows to store.</param>
/// <param name="Rejected">Items refused alone; reported back as the partial success count.</param>
/// <param name="ErrorMessage">Why they were refused, or null.</param>
public sealed record OtlpBatch<T>(IReadOnlyList<T> Items, long Rejected, string? ErrorMessage);
