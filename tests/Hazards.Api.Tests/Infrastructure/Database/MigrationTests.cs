using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Hazards.Api.Tests.Infrastructure.Database;

public sealed partial class MigrationTests
{
    private string? databasePath;

    public static IEnumerable<TestCaseData> SqlServerScripts() =>
        MigrationScripts.FileNames(MigrationScripts.SqlServerPrefix).Select(name => new TestCaseData(name).SetArgDisplayNames(name));

    [TearDown]
    public void DeleteDatabase()
    {
        if (databasePath is not null)
        {
            SqliteConnection.ClearAllPools();
            File.Delete(databasePath);
            databasePath = null;
        }
    }

    [Test]
    public void Folders_WhenCompared_HoldTheSameWellNamedScripts()
    {
        var sqlite = MigrationScripts.FileNames(MigrationScripts.SqlitePrefix);
        var sqlServer = MigrationScripts.FileNames(MigrationScripts.SqlServerPrefix);

        Assert.Multiple(() =>
        {
            Assert.That(sqlite, Is.Not.Empty);
            Assert.That(sqlServer, Is.EqualTo(sqlite));
            Assert.That(sqlite.Concat(sqlServer), Has.All.Matches(ScriptName()));
        });
    }

    [TestCaseSource(nameof(SqlServerScripts))]
    public void SqlServerScript_WhenParsed_HasNoErrors(string fileName)
    {
        var text = MigrationScripts.Read(MigrationScripts.SqlServerPrefix, fileName);

        new TSql160Parser(true).Parse(new StringReader(text), out var errors);

        Assert.That(errors.Select(e => $"({e.Line},{e.Column}): {e.Message}"), Is.Empty);
    }

    [Test]
    public void SqliteScripts_WhenRunInOrder_BuildTheSameTablesAndColumnsAsSqlServer()
    {
        var sqlServer = SqlServerSchema.FromMigrations();
        databasePath = Path.Combine(Path.GetTempPath(), $"hazards-migrations-{Guid.NewGuid():N}.db");

        var sqlite = BuildSqlite(databasePath);

        Assert.That(sqlite.Keys, Is.EquivalentTo(sqlServer.TableNames).Using((IEqualityComparer<string>)StringComparer.OrdinalIgnoreCase));
        Assert.Multiple(() =>
        {
            foreach (var (table, columns) in sqlite)
            {
                Assert.That(columns, Is.EquivalentTo(sqlServer.ColumnsOf(table)).Using((IEqualityComparer<string>)StringComparer.OrdinalIgnoreCase), table);
            }
        });
    }

    /// <summary>
    /// The dispatcher renders each digest from one recipient's notices of one sweep: read through the sweep's notices
    /// instead, 90,000 digests of a 57,000-notice sweep would each walk the whole sweep.
    /// </summary>
    [Test]
    public void DigestNotices_OnTheMigratedSchema_ReadOneRecipientsSweepThroughTheRecipientIndex()
    {
        databasePath = Path.Combine(Path.GetTempPath(), $"hazards-migrations-{Guid.NewGuid():N}.db");
        BuildSqlite(databasePath);
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + Hazards.Api.Features.Escalations.NoticeMailer.DigestItems.Sqlite;
        command.Parameters.AddWithValue("@Take", 20);
        command.Parameters.AddWithValue("@Skip", 0);
        command.Parameters.AddWithValue("@UserId", Guid.Empty.ToString());
        command.Parameters.AddWithValue("@SweepId", Guid.Empty.ToString());
        var steps = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                steps.Add(reader.GetString(3));
            }
        }

        Assert.That(steps, Has.Some.StartWith("SEARCH r USING").And.Contain("ix_notice_recipients_user (user_id=? AND sweep_id=?)"), string.Join("\n", steps));
        Assert.That(steps, Has.Some.StartWith("SEARCH r USING").And.Contain("ix_chase_recipients_sweep (sweep_id=? AND user_id=?)"), string.Join("\n", steps));
    }

    private static Dictionary<string, List<string>> BuildSqlite(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        foreach (var (_, text) in MigrationScripts.All(MigrationScripts.SqlitePrefix))
        {
            using var command = connection.CreateCommand();
            command.CommandText = text;
            command.ExecuteNonQuery();
        }

        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var result = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM pragma_table_info($table)";
            command.Parameters.AddWithValue("$table", table);
            using var reader = command.ExecuteReader();
            var columns = new List<string>();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }

            result.Add(table, columns);
        }

        return result;
    }

    [GeneratedRegex(@"^\d{4}_[a-z0-9_]+\.sql$")]
    private static partial Regex ScriptName();
}
