namespace LumaDB.Protocols.Postgres.Messages;

/// <summary>The COPY sub-protocol's backend messages.</summary>
public sealed partial class PgOutputBuffer
{
    /// <summary>CopyInResponse ('G') or CopyOutResponse ('H'): the overall format and one format per column (0 text, 1 binary).</summary>
    public void CopyResponse(byte type, bool binary, int columnCount)
    {
        BeginMessage(type);
        WriteByte(binary ? (byte)1 : (byte)0);
        WriteInt16((short)columnCount);
        for (var i = 0; i < columnCount; i++)
        {
            WriteInt16(binary ? (short)1 : (short)0);
        }

        EndMessage();
    }
}
