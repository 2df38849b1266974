namespace LumaDB.Storage.Memtables;

/// <summary>Type of one element of an encoded primary key; the value is the element's tag byte.</summary>
public enum KeyElementKind
{
    /// <summary>No element: the end of the key.</summary>
    End = 0,

    /// <summary>SQL NULL; sorts before every value.</summary>
    Null = 0x01,

    /// <summary>Boolean false.</summary>
    False = 0x02,

    /// <summary>Boolean true.</summary>
    True = 0x03,

    /// <summary>16-bit integer.</summary>
    Int16 = 0x10,

    /// <summary>32-bit integer.</summary>
    Int32 = 0x11,

    /// <summary>64-bit integer.</summary>
    Int64 = 0x12,

    /// <summary>An unsigned 64-bit integer, big-endian.</summary>
    UInt64 = 0x13,

    /// <summary>IEEE 754 double.</summary>
    Float64 = 0x20,

    /// <summary>Timestamp as microseconds since the Unix epoch.</summary>
    Timestamp = 0x30,

    /// <summary>UTF-8 text.</summary>
    Text = 0x40,

    /// <summary>Raw bytes.</summary>
    Bytes = 0x41,
}
