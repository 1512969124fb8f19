using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Infrastructure.Data;

public sealed class ConnectionFactory(DatabaseOptions options) : IDisposable
{
    // Transient SQL Server errors (failover, throttling, a dropped connection) are retried with backoff
    // before a request fails; SqlClient's defaults list the error numbers that count as transient.
    private readonly SqlRetryLogicBaseProvider retry = SqlConfigurableRetryFactory.CreateExponentialRetryProvider(new SqlRetryLogicOption
    {
        NumberOfTries = Math.Max(1, options.RetryTries),
        DeltaTime = TimeSpan.FromSeconds(options.RetryDeltaSeconds),
        MaxTimeInterval = TimeSpan.FromSeconds(options.RetryMaxSeconds),
    });

    private readonly SqliteConnectionPool sqlite = new(options);

    public SqlDialect Dialect => options.Provider;

    public DatabaseOptions Options => options;

    public async Task<DbConnection> Open(CancellationToken ct)
    {
        if (options.Provider == SqlDialect.SqlServer)
        {
            var sql = new SqlConnection(options.ConnectionString) { RetryLogicProvider = retry };
            await sql.OpenAsync(ct);
            return sql;
        }

        return await sqlite.Rent(ct);
    }

    public void Dispose() => sqlite.Dispose();

    /// <summary>Creates the SQLite file's folder and switches the file to WAL, which is persistent.</summary>
    public async Task PrepareStore(CancellationToken ct)
    {
        if (options.Provider != SqlDialect.Sqlite)
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await Open(ct);
        await using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        await wal.ExecuteNonQueryAsync(ct);
    }
}
