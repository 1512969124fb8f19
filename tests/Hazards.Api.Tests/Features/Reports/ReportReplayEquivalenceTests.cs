using System.Globalization;
using System.Reflection;
using Dapper;
using Hazards.Api.Features.Reports;
using Hazards.Api.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>
/// The report replays only the cases that changed since its period began and counts the others from their rows
/// (<see cref="ReportSql"/>). Here its three case statements are run beside the full replay of every case
/// (<see cref="FullReplaySql"/>) on the <see cref="ReportCity"/> for every period of its two weeks, at the city,
/// a district and a township, and must give the same figures.
/// </summary>
public sealed class ReportReplayEquivalenceTests
{
    private static readonly DateOnly First = new(2026, 3, 2);

    private static readonly PropertyInfo[] Figures = typeof(CaseGroupRow).GetProperties().Where(p => p.PropertyType == typeof(int)).ToArray();

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task City() => app = await SharedCity.App;

    private static IEnumerable<(DateOnly From, DateOnly To)> Periods()
    {
        var today = DateOnly.FromDateTime(ReportCity.Today.ToOffset(TimeSpan.FromHours(8)).DateTime);
        for (var from = First; from <= today; from = from.AddDays(1))
        {
            for (var to = from; to <= today; to = to.AddDays(1))
            {
                yield return (from, to);
            }
        }
    }

    [TestCase("500000")]
    [TestCase("500103")]
    [TestCase("500103001")]
    public async Task EveryPeriod_CountsWhatTheFullReplayCounts(string code)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        var (unit, children) = await Unit(connection, code);
        var now = app.Clock.GetUtcNow();
        var periods = 0;
        var quietOpen = 0L;
        foreach (var (from, to) in Periods())
        {
            var (parameters, _, _) = ClearanceReportBuilder.Parameters(unit, children, from, to, now);
            var period = $"{code} {from:yyyy-MM-dd}..{to:yyyy-MM-dd}";

            var expected = Groups(await connection.QueryAsync<CaseGroupRow>(FullReplaySql.Cases, parameters));
            var actual = Groups(await connection.QueryAsync<CaseGroupRow>(ReportSql.Cases.Sqlite, parameters));
            Assert.That(actual, Is.EquivalentTo(expected), $"{period}: case groups");

            var expectedMajors = Rows(await connection.QueryAsync(FullReplaySql.OpenMajors, parameters));
            var actualMajors = Rows(await connection.QueryAsync(ReportSql.OpenMajors.Sqlite, parameters));
            Assert.That(actualMajors, Is.EqualTo(expectedMajors), $"{period}: open majors, in order");

            var expectedTrend = Rows(await connection.QueryAsync(FullReplaySql.Trend, parameters)).Order(StringComparer.Ordinal).ToList();
            var actualTrend = Rows(await connection.QueryAsync(ReportSql.Trend.Sqlite, parameters)).Order(StringComparer.Ordinal).ToList();
            Assert.That(actualTrend, Is.EqualTo(expectedTrend), $"{period}: trend");

            quietOpen += await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM cases c WHERE c.org_path >= @PathFrom AND c.org_path < @PathTo AND c.updated_at < @Start AND c.status IN ('reported', 'rectifying', 'fixSubmitted')",
                parameters);
            periods++;
        }

        Assert.That(periods, Is.EqualTo(78), "every period of 03-02..03-13");
        Assert.That(quietOpen, Is.Positive, "some periods count open cases from their rows alone");
    }

    [Test]
    public async Task ACaseChangedAfterThePeriod_IsReplayedToItsEnd()
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        var (unit, children) = await Unit(connection, "500103");

        // W10 ended before A2 was reopened (03-10) and A4 closed (03-11): both changed after the period, so only
        // their history says A2 was closed and A4 open at its end.
        var (parameters, _, _) = ClearanceReportBuilder.Parameters(unit, children, First, new DateOnly(2026, 3, 8), app.Clock.GetUtcNow());
        var rows = (await connection.QueryAsync<CaseGroupRow>(ReportSql.Cases.Sqlite, parameters)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(rows.Sum(r => r.OpenAtEnd), Is.EqualTo(4), "A1 A3 A4 A6");
            Assert.That(rows.Sum(r => r.Closed), Is.EqualTo(1), "A2");
        });
    }

    private static async Task<(ReportOrgUnit Unit, List<ReportOrgUnit> Children)> Unit(SqliteConnection connection, string code)
    {
        var unit = await connection.QuerySingleAsync<ReportOrgUnit>(ReportSql.OrgUnit.Sqlite, new { Code = code });
        var children = (await connection.QueryAsync<ReportOrgUnit>(ReportSql.Children.Sqlite, new { Code = code })).ToList();
        return (unit, children);
    }

    /// <summary>Groups by key with their figures; a group with every figure 0 adds nothing to the report and is left out.</summary>
    private static Dictionary<string, string> Groups(IEnumerable<CaseGroupRow> rows) => rows
        .Select(r => (Key: $"{r.Child}/{r.Level}/{r.Sector}/{r.Origin}", Figures: Figures.Select(f => (int)f.GetValue(r)!).ToArray()))
        .Where(g => g.Figures.Any(f => f != 0))
        .ToDictionary(g => g.Key, g => string.Join(",", Figures.Zip(g.Figures, (f, v) => $"{f.Name}={v.ToString(CultureInfo.InvariantCulture)}")));

    /// <summary>Each row as its columns and values, in the statement's order.</summary>
    private static List<string> Rows(IEnumerable<dynamic> rows) => rows
        .Select(r => string.Join("|", ((IDictionary<string, object?>)r).Select(c => $"{c.Key}={Convert.ToString(c.Value, CultureInfo.InvariantCulture)}")))
        .ToList();
}
