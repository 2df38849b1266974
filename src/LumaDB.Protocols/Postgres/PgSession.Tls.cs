using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;

namespace LumaDB.Protocols.Postgres;

/// <summary>Switching a connection to TLS after SSLRequest was answered 'S'.</summary>
public sealed partial class PgSession
{
    private SslStream? _sslStream;

    private async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        var ssl = new SslStream(new DuplexPipeStream(_transport), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = _options.Certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                },
                cancellationToken);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            LogTlsFailed(_clientText, e.Message);
            throw new ConnectionClosedException();
        }

        _sslStream = ssl;
        _transport = new TlsPipe(PipeReader.Create(ssl), PipeWriter.Create(ssl));
        _tls = true;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 106, Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "PostgreSQL TLS handshake with {Client} failed: {Reason}")]
    private partial void LogTlsFailed(string client, string reason);

    private sealed record TlsPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The connection's pipes as one stream, for <see cref="SslStream"/> to wrap.</summary>
    private sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
    {
        private readonly Stream _input = pipe.Input.AsStream(leaveOpen: true);
        private readonly Stream _output = pipe.Output.AsStream(leaveOpen: true);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => _output.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.WriteAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
