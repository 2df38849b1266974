using Grpc.Core;
using LumaDB.Engine.Hosting;
using LumaDB.Server.Admin.V1;
using LumaDB.Server.Hosting;

namespace LumaDB.Server.Admin;

/// <summary>The luma.admin.v1.Admin gRPC service on the internal listener.</summary>
public sealed class AdminService(Database database, ServerStatus status) : V1.Admin.AdminBase
{
    /// <inheritdoc />
    public override Task<GetVersionResponse> GetVersion(GetVersionRequest request, ServerCallContext context) =>
        Task.FromResult(new GetVersionResponse
        {
            Version = BuildInfo.Version,
            Commit = BuildInfo.Commit,
            Runtime = BuildInfo.Runtime,
            Os = BuildInfo.Platform,
        });

    /// <inheritdoc />
    public override Task<GetStatusResponse> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var response = new GetStatusResponse
        {
            Ready = database.IsReady,
            UptimeMs = (long)status.Uptime.TotalMilliseconds,
            StartTimeUnixMs = status.StartedAt.ToUnixTimeMilliseconds(),
            DataDir = database.DataDirectory ?? "",
        };
        foreach (var (name, address, port) in status.Listeners)
        {
            response.Listeners.Add(new ListenerStatus { Name = name, Address = address, Port = port });
        }

        return Task.FromResult(response);
    }
}
