using Hazards.Api.Tests.Support;
using Microsoft.Data.Sqlite;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Infrastructure.Database;

/// <summary>
/// SQLite compares instants and ids as text, so every one must be stored in one fixed-width form:
/// instants as UTC with seven fraction digits and a 'Z', ids as lower-case GUIDs.
/// </summary>
public sealed class SqliteStorageFormatTests
{
    [Test]
    public async Task Report_StoresInstantsAndIdsInTheirFixedTextForm()
    {
        using var app = await new HazardsApp().WithDemo();
        var reported = await app.ClientFor("grid").Report(Patrol("存储格式"));

        await using var connection = new SqliteConnection(app.ConnectionString);
        var row = await Dapper.SqlMapper.QuerySingleAsync<(string Id, string ReportedAt, string TriageDeadline)>(connection,
            "SELECT id, reported_at, triage_deadline FROM cases WHERE id = @Id", new { Id = Id(reported).ToString("D") });

        Assert.That(row.Id, Is.EqualTo(Id(reported).ToString("D")));
        Assert.That(row.ReportedAt, Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$"));
        Assert.That(row.TriageDeadline, Is.EqualTo("2026-03-03T15:59:59.0000000Z"));
    }
}
