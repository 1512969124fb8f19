using Hazards.Api.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Security;

/// <summary>
/// A cheap picture of the whole database: the row count of every table and the sum of the case versions,
/// in one statement. A rejected request must leave it exactly as it was (design §12: bad input writes nothing).
/// </summary>
public sealed class Fingerprint
{
    private readonly string connectionString;
    private readonly string sql;

    private Fingerprint(string connectionString, string sql)
    {
        this.connectionString = connectionString;
        this.sql = sql;
    }

    public static async Task<Fingerprint> For(HazardsApp app)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        var tables = (await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).ToList();
        var parts = tables.Select(t => $"SELECT '{t}' || ':' || COUNT(*) FROM \"{t}\"")
            .Append("SELECT 'cases.version:' || COALESCE(SUM(version), 0) FROM cases")
            .Append("SELECT 'units.version:' || COALESCE(SUM(version), 0) FROM units");
        return new Fingerprint(app.ConnectionString, string.Join(" UNION ALL ", parts));
    }

    public async Task<string> Take()
    {
        await using var connection = new SqliteConnection(connectionString);
        return string.Join(' ', await Dapper.SqlMapper.QueryAsync<string>(connection, sql));
    }
}
