using System.ComponentModel.DataAnnotations;

namespace Hazards.Api.Infrastructure.Data;

public sealed class DatabaseOptions
{
    public const string DefaultSqliteConnection = "Data Source=data/hazards.db";

    [EnumDataType(typeof(SqlDialect))]
    public SqlDialect Provider { get; set; } = SqlDialect.Sqlite;

    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = DefaultSqliteConnection;

    /// <summary>Apply pending migrations before taking requests; off where a separate <c>migrate</c> run does it.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>SQLite's synchronous pragma: FULL survives power loss as well as a killed process.</summary>
    [AllowedValues("OFF", "NORMAL", "FULL", "EXTRA")]
    public string SqliteSynchronous { get; set; } = "FULL";

    [Range(0, 600_000)]
    public int SqliteBusyTimeoutMs { get; set; } = 5000;

    /// <summary>
    /// SQLite's page cache, in KiB, for a session that writes set-based over much of the file in one transaction
    /// (the escalation sweep): its dirty pages stay in memory until the commit instead of spilling to the WAL on
    /// the way. The connection goes back to its usual size (<see cref="SqliteCacheKiB"/>) when the session ends.
    /// </summary>
    [Range(0, 16_777_216)]
    public int SqliteBulkCacheKiB { get; set; } = 262144;

    /// <summary>
    /// SQLite's page cache per connection, in KiB (SQLite's own default is 2,000). The file's pages stay in the
    /// operating system's cache either way; a private 2 MB per connection, with tens of connections open under
    /// load, took the service from 255 to 308 MB at 1,000,000 cases (bench http).
    /// </summary>
    [Range(0, 16_777_216)]
    public int SqliteCacheKiB { get; set; } = 512;

    /// <summary>
    /// SQLite connections kept open between requests with their prepared statements; more are opened under
    /// load and closed when handed back. Each keeps its own page cache: at 1,000,000 cases and 32 clients,
    /// 8 kept the service at 273 MB where 32 reached 317 MB, at the same throughput (bench http).
    /// </summary>
    [Range(0, 1024)]
    public int SqlitePoolSize { get; set; } = 8;

    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>SQL Server: how often SqlClient retries an open or a command after a transient error.</summary>
    [Range(0, 60)]
    public int RetryTries { get; set; } = 5;

    [Range(0, 600)]
    public int RetryDeltaSeconds { get; set; } = 1;

    [Range(0, 3600)]
    public int RetryMaxSeconds { get; set; } = 20;
}
