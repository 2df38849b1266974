using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace LumaDB.Query.Sql.Syntax;

/// <summary>An immutable list of syntax elements with value equality, so that records holding lists compare by content.</summary>
/// <typeparam name="T">Element type.</typeparam>
[CollectionBuilder(typeof(SyntaxList), nameof(SyntaxList.Create))]
public sealed class SyntaxList<T> : IReadOnlyList<T>, IEquatable<SyntaxList<T>>
{
    private readonly T[] _items;

    /// <summary>Wraps <paramref name="items"/>; the caller gives up ownership of the array.</summary>
    public SyntaxList(T[] items) => _items = items;

    /// <summary>The empty list.</summary>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Same shape as ImmutableArray<T>.Empty.")]
    public static SyntaxList<T> Empty { get; } = new([]);

    /// <summary>Number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>True when the list has no elements.</summary>
    public bool IsEmpty => _items.Length == 0;

    /// <summary>Element at <paramref name="index"/>.</summary>
    public T this[int index] => _items[index];

    /// <summary>The elements as a span.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(SyntaxList<T>? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other._items.Length != _items.Length)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SyntaxList<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Factory for <see cref="SyntaxList{T}"/>, used by collection expressions.</summary>
public static class SyntaxList
{
    /// <summary>Copies <paramref name="items"/> into a new list.</summary>
    public static SyntaxList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? SyntaxList<T>.Empty : new SyntaxList<T>(items.ToArray());

    /// <summary>Takes the elements of <paramref name="items"/>.</summary>
    public static SyntaxList<T> From<T>(List<T> items) => items.Count == 0 ? SyntaxList<T>.Empty : new SyntaxList<T>(items.ToArray());
}
