using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Places;

namespace Hazards.Api.Tests.Features.Places;

/// <summary>A grid worker's report with a GPS fix and no grid code: the service finds the grid from the boundaries.</summary>
public sealed class ReportByLocationTests
{
    private const string Grid = "500103001001001";
    private static readonly LatLng Centre = new(29.5577, 106.5770);

    private HazardsApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await new HazardsApp(new Dictionary<string, string?> { ["Location:StampCheckMilliseconds"] = "0" }).WithDemo();
        var admin = app.ClientFor("admin");
        var etag = (await admin.GetAsync($"/api/v1/org-units/{Grid}")).Headers.ETag!.Tag;
        const double half = 0.002;
        var ring = new JsonArray(
            new JsonArray(Centre.Longitude - half, Centre.Latitude - half), new JsonArray(Centre.Longitude + half, Centre.Latitude - half),
            new JsonArray(Centre.Longitude + half, Centre.Latitude + half), new JsonArray(Centre.Longitude - half, Centre.Latitude + half),
            new JsonArray(Centre.Longitude - half, Centre.Latitude - half));
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/org-units/{Grid}/boundary")
        {
            Content = JsonContent.Create(new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.That((await admin.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Report_WithAPositionAlone_IsPlacedInTheGridThatHoldsIt()
    {
        var hazard = await app.ClientFor("grid").Report(Body(Centre.Latitude, Centre.Longitude));

        Assert.That(hazard.Text("gridCode"), Is.EqualTo(Grid));
        Assert.That(hazard["location"]!["latitude"]!.GetValue<double>(), Is.EqualTo(Centre.Latitude));
    }

    [Test]
    public async Task Report_WithAMapAppPosition_StoresItsWgs84Form()
    {
        var gcj = ChinaCoordinates.ToGcj02(Centre);

        var hazard = await app.ClientFor("grid").Report(Body(gcj.Latitude, gcj.Longitude, "gcj02"));

        Assert.That(hazard.Text("gridCode"), Is.EqualTo(Grid));
        Assert.That(hazard["location"]!["longitude"]!.GetValue<double>(), Is.EqualTo(Centre.Longitude).Within(1e-7));
        Assert.That(hazard["location"]!.Text("crs"), Is.EqualTo("wgs84"));
    }

    [Test]
    public async Task Report_WithAPositionNoGridHoldsOrOutsideScopeOrAgainstItsGrid_Is422AndWritesNothing()
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var nowhere = await app.ClientFor("grid").PostJson("/api/v1/cases", Body(29.0, 106.0));
        var otherGrid = await app.ClientFor("grid2").PostJson("/api/v1/cases", Body(Centre.Latitude, Centre.Longitude));
        var mismatch = await app.ClientFor("grid").PostJson("/api/v1/cases", Body(Centre.Latitude + 0.01, Centre.Longitude, grid: Grid));
        var badDatum = await app.ClientFor("grid").PostJson("/api/v1/cases", Body(Centre.Latitude, Centre.Longitude, "bd09"));

        await nowhere.AssertProblem(422, "location.unresolved");
        await otherGrid.AssertProblem(422, "location.outside_scope");
        await mismatch.AssertProblem(422, "location.grid_mismatch");
        await badDatum.AssertProblem(400, "location.unknown_crs");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    [Test]
    public async Task Report_WithAGridCodeAndAPositionInsideIt_IsAccepted()
    {
        var hazard = await app.ClientFor("grid").Report(Body(Centre.Latitude + 0.0005, Centre.Longitude, grid: Grid));

        Assert.That(hazard.Text("gridCode"), Is.EqualTo(Grid));
    }

    private static JsonObject Body(double lat, double lng, string? crs = null, string? grid = null)
    {
        var location = new JsonObject { ["latitude"] = lat, ["longitude"] = lng, ["address"] = "解放碑步行街" };
        if (crs is not null)
        {
            location["crs"] = crs;
        }

        var body = new JsonObject
        {
            ["title"] = "消防通道堵塞",
            ["description"] = "商铺门前堆放杂物，堵塞消防通道约10米",
            ["sector"] = "fire",
            ["origin"] = "gridPatrol",
            ["location"] = location,
        };
        if (grid is not null)
        {
            body["gridCode"] = grid;
        }

        return body;
    }
}
