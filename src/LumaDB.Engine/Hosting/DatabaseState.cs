namespace LumaDB.Engine.Hosting;

/// <summary>Where the database is in its life: readiness answers <c>/ready</c> and the gRPC health service.</summary>
public enum DatabaseState
{
    /// <summary>Opening the data directory and recovering storage.</summary>
    Starting,

    /// <summary>Recovered and serving.</summary>
    Ready,

    /// <summary>Shutting down: finishing in-flight work and flushing.</summary>
    Stopping,

    /// <summary>Closed.</summary>
    Stopped,
}
