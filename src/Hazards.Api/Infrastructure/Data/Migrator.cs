using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;

namespace Hazards.Api.Infrastructure.Data;

/// <summary>Applies the embedded plain-SQL migrations of <c>db-migrations/&lt;dialect&gt;</c> with DbUp.</summary>
public sealed class Migrator(ConnectionFactory factory, ILogger<Migrator> logger)
{
    // Several instances may start together; the application lock makes one of them migrate while the
    // others wait, then find nothing left to do.
    internal static readonly Sql TakeMigrationLock = new(
        "SELECT 0",
        "DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'hazards:migrate', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 120000; SELECT @result;");

    internal static readonly Sql ReleaseMigrationLock = new(
        "SELECT 0",
        "EXEC sp_releaseapplock @Resource = N'hazards:migrate', @LockOwner = N'Session';");

    // Readers should not wait for writers: sweeps and reports read while the API writes. ALTER DATABASE
    // cannot run inside DbUp's per-script transaction, so it runs here, once, before the scripts.
    internal static readonly Sql ReadCommittedSnapshot = new(
        "SELECT 0",
        """
        IF (SELECT d.is_read_committed_snapshot_on FROM sys.databases d WHERE d.name = DB_NAME()) = 0
            ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;
        """);

    public static string ResourcePrefix(SqlDialect dialect) =>
        dialect == SqlDialect.SqlServer ? "Migrations.sqlserver." : "Migrations.sqlite.";

    public async Task<int> Migrate(CancellationToken ct)
    {
        await factory.PrepareStore(ct);
        if (factory.Dialect == SqlDialect.SqlServer)
        {
            EnsureDatabase.For.SqlDatabase(factory.Options.ConnectionString, new NullUpgradeLog());
        }

        await using var session = await factory.Open(ct);
        if (factory.Dialect == SqlDialect.SqlServer)
        {
            await Dapper.SqlMapper.ExecuteScalarAsync<int>(session, TakeMigrationLock.SqlServer);
            await Dapper.SqlMapper.ExecuteAsync(session, ReadCommittedSnapshot.SqlServer);
        }

        try
        {
            var result = Upgrader().PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed.", result.Error);
            }

            foreach (var script in result.Scripts)
            {
                logger.LogInformation("Applied migration {Script}", script.Name);
            }

            return result.Scripts.Count();
        }
        finally
        {
            if (factory.Dialect == SqlDialect.SqlServer)
            {
                await Dapper.SqlMapper.ExecuteAsync(session, ReleaseMigrationLock.SqlServer);
            }
        }
    }

    public bool IsUpToDate() => !Upgrader().IsUpgradeRequired();

    private UpgradeEngine Upgrader()
    {
        var prefix = ResourcePrefix(factory.Dialect);
        var builder = factory.Dialect == SqlDialect.SqlServer
            ? DeployChanges.To.SqlDatabase(factory.Options.ConnectionString)
            : DeployChanges.To.SqliteDatabase(factory.Options.ConnectionString);
        return builder
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(prefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new NullUpgradeLog())
            .Build();
    }

    private sealed class NullUpgradeLog : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }

        public void LogDebug(string format, params object[] args) { }

        public void LogInformation(string format, params object[] args) { }

        public void LogWarning(string format, params object[] args) { }

        public void LogError(string format, params object[] args) { }

        public void LogError(Exception ex, string format, params object[] args) { }
    }
}
