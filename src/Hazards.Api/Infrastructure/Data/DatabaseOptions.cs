namespace Hazards.Api.Infrastructure.Data;

public sealed class DatabaseOptions
{
    public const string DefaultSqliteConnection = "Data Source=data/hazards.db";

    public SqlDialect Provider { get; set; } = SqlDialect.Sqlite;

    public string ConnectionString { get; set; } = DefaultSqliteConnection;

    /// <summary>SQLite's synchronous pragma: FULL survives power loss as well as a killed process.</summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    public int SqliteBusyTimeoutMs { get; set; } = 5000;

    public int CommandTimeoutSeconds { get; set; } = 30;
}
