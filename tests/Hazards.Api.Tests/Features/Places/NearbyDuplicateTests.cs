using System.Text.Json.Nodes;
using Hazards.Api.Features.Cases;
using Hazards.Api.Tests.Support;
using Microsoft.Data.Sqlite;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Places;

/// <summary>
/// A new report answers the open cases of its sector reported near it lately (Location:DuplicateMeters
/// 50, Location:DuplicateDays 30), nearest first, in the reporter's scope, read by geohash cells from an index.
/// </summary>
public sealed class NearbyDuplicateTests
{
    private const double MetersPerDegree = 111_320;
    private const double Latitude = 29.5577;
    private const double Longitude = 106.5770;

    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task ANewReport_ListsTheOpenCasesOfItsSectorWithinFiftyMetres_NearestFirst()
    {
        var grid = app.ClientFor("grid");
        var first = await grid.Report(At("消防通道堵塞", north: 0));
        var second = await grid.Report(At("安全出口锁闭", north: 40));
        var farther = await grid.Report(At("灭火器过期", north: 75));
        var gas = await grid.Report(At("燃气软管老化", north: 5, sector: "gas"));

        var fresh = await grid.Report(At("楼道杂物", north: 10));
        var listed = fresh["possibleDuplicates"]!.AsArray();

        Assert.That(listed.Select(d => d!["code"]!.GetValue<string>()), Is.EqualTo(new[] { Code(first), Code(second) }), "nearest first; 65 m and another sector are left out");
        Assert.That(listed[0]!["distanceMeters"]!.GetValue<double>(), Is.EqualTo(10).Within(0.5));
        Assert.That(listed[1]!["distanceMeters"]!.GetValue<double>(), Is.EqualTo(30).Within(0.5));
        Assert.That(listed[0]!["status"]!.GetValue<string>(), Is.EqualTo("reported"));
        Assert.That((await (await grid.GetAsync($"/api/v1/cases/{Id(fresh)}")).Json())["possibleDuplicates"], Is.Null, "only the report's answer lists them");
        Assert.That(Code(farther), Is.Not.Empty);
        Assert.That(Code(gas), Is.Not.Empty);
    }

    [Test]
    public async Task ClosedOrRejectedCases_OlderReports_AndCasesOutsideTheReportersScope_AreNotListed()
    {
        var grid = app.ClientFor("grid");
        var rejected = await grid.Report(At("重复上报", north: 5));
        await app.ClientFor("officer").Do(rejected, "reject", new { reason = "重复" });
        var old = await grid.Report(At("月前上报", north: 12));
        app.Clock.Advance(TimeSpan.FromDays(31));

        // Tokens are signed on the app's clock: a month later everyone signs in again.
        var elsewhere = await app.ClientFor("grid2").Report(At("邻网格上报", north: 8, gridCode: GridTwo));
        var fresh = await app.ClientFor("grid").Report(At("再次发现", north: 0));
        var byRegulator = await app.ClientFor("regulator").Report(At("区县检查发现", north: 2, origin: "regulatorInspection"));

        Assert.That(fresh["possibleDuplicates"]!.AsArray(), Is.Empty);
        Assert.That(byRegulator["possibleDuplicates"]!.AsArray().Select(d => d!["code"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { Code(fresh), Code(elsewhere) }), "the district sees the other grid's case; the old one is past 30 days");
        Assert.That(Code(old), Is.Not.Empty);
    }

    [Test]
    public async Task AReportWithoutAPosition_ListsNone()
    {
        await app.ClientFor("grid").Report(At("消防通道堵塞", north: 0));

        var unplaced = await app.ClientFor("grid").Report(new { title = "无坐标上报", description = "现场无定位", sector = "fire", origin = "gridPatrol", gridCode = GridOne });

        Assert.That(unplaced["possibleDuplicates"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task TheCandidates_AreReadFromTheCellIndex_NotByAScan()
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + NearbyCases.Candidates.Sqlite;
        var steps = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                steps.Add(reader.GetString(3));
            }
        }

        Assert.That(steps, Has.Some.Contains("USING INDEX ix_cases_geocell (geocell=? AND sector=? AND reported_at>?)"), string.Join("\n", steps));
        Assert.That(steps, Has.None.StartsWith("SCAN c"), string.Join("\n", steps));
    }

    private static string Code(JsonNode hazard) => hazard.Text("code");

    private static JsonObject At(string title, double north, string sector = "fire", string gridCode = GridOne, string origin = "gridPatrol") => new()
    {
        ["title"] = title,
        ["description"] = title + "，现场发现",
        ["sector"] = sector,
        ["origin"] = origin,
        ["gridCode"] = gridCode,
        ["location"] = new JsonObject { ["latitude"] = Latitude + (north / MetersPerDegree), ["longitude"] = Longitude },
    };
}
