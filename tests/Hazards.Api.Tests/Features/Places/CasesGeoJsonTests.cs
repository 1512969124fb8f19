using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Places;

/// <summary><c>GET /cases.geojson</c>, the list of cases with its filters, paging and scope, for GIS clients.</summary>
public sealed class CasesGeoJsonTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Feed_PlacesCasesWithAPositionAsPointsLongitudeFirst_AndCountsTheOthers()
    {
        var placed = await app.ClientFor("grid").Report(CaseDriver.Patrol("消防通道堵塞"));
        var unplaced = await app.ClientFor("unit").Report(CaseDriver.SelfCheck(CaseDriver.UnitOne));

        var response = await app.ClientFor("officer").GetAsync($"/api/v1/cases.geojson?orgUnit={CaseDriver.GridOne}");
        var feed = await response.Json();

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/geo+json"));
        Assert.That(feed.Text("type"), Is.EqualTo("FeatureCollection"));
        var feature = feed["features"]!.AsArray().Single()!;
        Assert.That(feature.Text("type"), Is.EqualTo("Feature"));
        Assert.That(feature["geometry"]!.Text("type"), Is.EqualTo("Point"));
        Assert.That(feature["geometry"]!["coordinates"]!.AsArray().Select(c => c!.GetValue<double>()), Is.EqualTo(new[] { 106.5770, 29.5577 }));
        var properties = feature["properties"]!;
        Assert.That(properties.Text("id"), Is.EqualTo(placed.Text("id")));
        Assert.That(properties.Text("code"), Is.EqualTo(placed.Text("code")));
        Assert.That((properties.Text("status"), properties.Text("level"), properties.Text("sector"), properties.Text("origin")),
            Is.EqualTo((placed.Text("status"), placed.Text("level"), placed.Text("sector"), placed.Text("origin"))));
        Assert.That(properties["overdue"]!.GetValue<bool>(), Is.False);
        Assert.That(properties["listed"]!.GetValue<bool>(), Is.False);
        Assert.That(properties["escalationStep"]!.GetValue<int>(), Is.Zero);
        Assert.That(properties.AsObject().ContainsKey("deadline"), Is.True);
        Assert.That(feed["unplaced"]!.GetValue<int>(), Is.EqualTo(1), $"{unplaced.Text("code")} has no position");
        Assert.That(feed.AsObject().ContainsKey("nextCursor"), Is.False);
    }

    [Test]
    public async Task Feed_TakesTheListsFiltersAndPages_TheSameCasesInTheSameOrder()
    {
        for (var i = 0; i < 3; i++)
        {
            await app.ClientFor("grid").Report(CaseDriver.Patrol($"消防通道堵塞{i}"));
        }

        await app.ClientFor("unit").Report(CaseDriver.SelfCheck(CaseDriver.UnitOne));

        var first = await (await app.ClientFor("officer").GetAsync("/api/v1/cases.geojson?origin=gridPatrol&limit=2")).Json();
        var second = await (await app.ClientFor("officer").GetAsync($"/api/v1/cases.geojson?origin=gridPatrol&limit=2&cursor={first.Text("nextCursor")}")).Json();
        var list = await (await app.ClientFor("officer").GetAsync("/api/v1/cases?origin=gridPatrol")).Json();

        var ids = first["features"]!.AsArray().Concat(second["features"]!.AsArray()).Select(f => f!["properties"]!.Text("id"));
        Assert.That(ids, Is.EqualTo(list["items"]!.AsArray().Select(c => c!.Text("id"))));
        Assert.That(ids.Count(), Is.EqualTo(3));
        Assert.That(second.AsObject().ContainsKey("nextCursor"), Is.False);
        Assert.That(first["unplaced"]!.GetValue<int>() + second["unplaced"]!.GetValue<int>(), Is.Zero, "the self-check is filtered out");
    }

    [TestCase("status=nonsense", "request.invalid_filter")]
    [TestCase("level=huge", "request.invalid_filter")]
    [TestCase("reportedFrom=2026-03-05&reportedTo=2026-03-01", "request.invalid_filter")]
    [TestCase("cursor=bm90LW91cnM", "request.invalid_cursor")]
    [TestCase("limit=0", "request.invalid_limit")]
    public async Task Feed_WithABadFilter_AnswersTheListsProblem(string filter, string code)
    {
        var feed = await app.ClientFor("officer").GetAsync($"/api/v1/cases.geojson?{filter}");
        var list = await app.ClientFor("officer").GetAsync($"/api/v1/cases?{filter}");

        var problem = await list.AssertProblem(400, code);
        await feed.AssertProblem(400, problem.Text("code"));
    }

    [Test]
    public async Task Feed_OfAnOrgUnitOutsideTheCallersScope_Is404()
    {
        var response = await app.ClientFor("grid2").GetAsync($"/api/v1/cases.geojson?orgUnit={CaseDriver.GridOne}");

        await response.AssertProblem(404, "org_unit.not_found");
    }

    [Test]
    public async Task Feed_IsReadByOgrInfo_AsOneLayerOfPoints()
    {
        for (var i = 0; i < 3; i++)
        {
            await app.ClientFor("grid").Report(CaseDriver.Patrol($"消防通道堵塞{i}"));
        }

        await app.ClientFor("unit").Report(CaseDriver.SelfCheck(CaseDriver.UnitOne));
        var text = await (await app.ClientFor("officer").GetAsync("/api/v1/cases.geojson")).Content.ReadAsStringAsync();

        var info = await Geo.OgrInfo(text, "-so");

        Assert.That(Geo.Line(info, "Geometry"), Is.EqualTo("Point"));
        Assert.That(Geo.Line(info, "Feature Count"), Is.EqualTo("3"));
        Assert.That(info, Does.Contain("code: String").And.Contain("escalationStep: Integer").And.Contain("overdue: Integer(Boolean)"));
    }
}
