using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Places;

/// <summary>
/// The 风险四色图 of township 500103001, whose four demo grids hold one demo unit each (orange, red, orange,
/// red). Three grids are given square boundaries here; the fourth has none, so its unit cannot be placed.
/// </summary>
public sealed class RiskMapTests
{
    private const string Township = "500103001";
    private const string NoBoundary = "500103001002002";

    /// <summary>The three grids given a boundary, each a square of ±0.002° around its centre.</summary>
    private static readonly (string Code, double Lat, double Lng)[] Squares =
    [
        ("500103001001001", 29.5577, 106.5770),
        ("500103001001002", 29.5577, 106.5830),
        ("500103001002001", 29.5637, 106.5770),
    ];

    private HazardsApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await new HazardsApp().WithDemo();
        foreach (var (code, lat, lng) in Squares)
        {
            await app.SetBoundary(code, Geo.Square(lat, lng, 0.002));
        }
    }

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task RiskMap_ColoursGridsByTheWorstRiskInside_AndPlacesUnitsAtTheirGridsInteriorPoint()
    {
        await AddRisk(CaseDriver.UnitOne, "red");
        await AddRisk(CaseDriver.UnitOne, "blue");
        await AddRisk(DemoUnit("500103001002001"), "yellow");

        var response = await app.ClientFor("officer").GetAsync($"/api/v1/risk-map?orgUnit={Township}");
        var map = await response.Json();

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/geo+json"));
        Assert.That(map.Text("type"), Is.EqualTo("FeatureCollection"));
        var features = map["features"]!.AsArray().Select(f => f!).ToList();
        var grids = features.Where(f => f["properties"]!.Text("kind") == "grid").ToDictionary(f => f["properties"]!.Text("code"));
        var units = features.Where(f => f["properties"]!.Text("kind") == "unit").ToDictionary(f => f["properties"]!.Text("gridCode"));
        Assert.That(grids.Keys, Is.EquivalentTo(Squares.Select(s => s.Code)));
        Assert.That(grids.Values.Select(g => g["geometry"]!.Text("type")), Is.All.EqualTo("Polygon"));
        Assert.That(grids.ToDictionary(g => g.Key, g => g.Value["properties"]!.Text("colour")), Is.EqualTo(new Dictionary<string, string>
        {
            ["500103001001001"] = "red", // an orange unit with a red major risk
            ["500103001001002"] = "red",
            ["500103001002001"] = "orange", // an orange unit with a yellow major risk
        }));
        Assert.That(units.Keys, Is.EquivalentTo(Squares.Select(s => s.Code)));
        var one = units["500103001001001"]["properties"]!;
        Assert.That((one.Text("colour"), one.Text("unitColour"), one.Text("placedBy")), Is.EqualTo(("red", "orange", "gridInterior")));
        Assert.That(one["majorRisks"]!.AsArray().Select(r => r!.Text("colour")), Is.EquivalentTo(new[] { "red", "blue" }));
        foreach (var (code, lat, lng) in Squares)
        {
            var point = units[code]["geometry"]!;
            var at = point["coordinates"]!.AsArray().Select(c => c!.GetValue<double>()).ToArray();
            Assert.That(point.Text("type"), Is.EqualTo("Point"));
            Assert.That(at[0], Is.EqualTo(lng).Within(0.002), $"{code}: longitude first, inside the grid");
            Assert.That(at[1], Is.EqualTo(lat).Within(0.002), $"{code}: inside the grid");
        }

        Assert.That(map["unplacedUnits"]!.GetValue<int>(), Is.EqualTo(1), $"the unit of {NoBoundary}");
        Assert.That(map["gridsWithoutBoundary"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task RiskMap_AGridWithoutUnits_HasNoColour()
    {
        var closing = await app.ClientFor("officer").GetAsync($"/api/v1/units/{DemoUnit("500103001002001")}");
        var close = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/units/{DemoUnit("500103001002001")}/close")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { reason = "已停业" }),
        };
        close.Headers.TryAddWithoutValidation("If-Match", closing.Headers.ETag!.Tag);
        Assert.That((await app.ClientFor("admin").SendAsync(close)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var map = await (await app.ClientFor("officer").GetAsync($"/api/v1/risk-map?orgUnit={Township}")).Json();

        var grid = map["features"]!.AsArray().Single(f => f!["properties"]!.Text("kind") == "grid" && f["properties"]!.Text("code") == "500103001002001")!;
        Assert.That(grid["properties"]!["colour"], Is.Null);
        Assert.That(grid["properties"]!["units"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task RiskMap_IsPagedByGrids_AndThePagesMakeTheWhole()
    {
        var whole = await (await app.ClientFor("officer").GetAsync($"/api/v1/risk-map?orgUnit={Township}")).Json();
        var first = await (await app.ClientFor("officer").GetAsync($"/api/v1/risk-map?orgUnit={Township}&limit=2")).Json();
        var second = await (await app.ClientFor("officer").GetAsync($"/api/v1/risk-map?orgUnit={Township}&limit=2&cursor={first.Text("nextCursor")}")).Json();

        static IEnumerable<string> Ids(JsonNode map) => map["features"]!.AsArray().Select(f => f!.Text("id"));
        Assert.That(Ids(first).Concat(Ids(second)), Is.EquivalentTo(Ids(whole)));
        Assert.That(Ids(first).Intersect(Ids(second)), Is.Empty);
        Assert.That(first["features"]!.AsArray().Count(f => f!["properties"]!.Text("kind") == "grid"), Is.EqualTo(2));
        Assert.That(second.AsObject().ContainsKey("nextCursor"), Is.False);
        Assert.That(first["unplacedUnits"]!.GetValue<int>() + second["unplacedUnits"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task RiskMap_OfAUnitOfficer_ShowsOnlyTheirUnits()
    {
        var map = await (await app.ClientFor("unit").GetAsync($"/api/v1/risk-map?orgUnit={CaseDriver.GridOne}")).Json();

        var units = map["features"]!.AsArray().Where(f => f!["properties"]!.Text("kind") == "unit").ToList();
        Assert.That(units.Select(u => u!["properties"]!.Text("id")), Is.EqualTo(new[] { CaseDriver.UnitOne.ToString() }));
    }

    [TestCase("grid2", "orgUnit=500103001", 404, "org_unit.not_found")]
    [TestCase("officer", "orgUnit=500103002", 404, "org_unit.not_found")]
    [TestCase("officer", "orgUnit=599999", 404, "org_unit.not_found")]
    [TestCase("officer", "orgUnit=500103001&limit=201", 400, "request.invalid_limit")]
    [TestCase("officer", "orgUnit=500103001&cursor=bm90LW91cnM", 400, "request.invalid_cursor")]
    public async Task RiskMap_OutOfScopeOrBadPaging_IsRefused(string login, string query, int status, string code)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/risk-map?{query}");

        await response.AssertProblem(status, code);
    }

    [Test]
    public async Task RiskMap_IsReadByOgrInfo_WithItsPolygonsAndPoints()
    {
        var text = await (await app.ClientFor("officer").GetAsync($"/api/v1/risk-map?orgUnit={Township}")).Content.ReadAsStringAsync();

        var summary = await Geo.OgrInfo(text, "-so");
        var each = await Geo.OgrInfo(text, "-geom=SUMMARY");

        Assert.That(Geo.Line(summary, "Feature Count"), Is.EqualTo("6"));
        Assert.That(Geo.Line(summary, "Geometry"), Is.EqualTo("Unknown (any)"), "polygons and points in one layer");
        var kinds = each.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("POINT", StringComparison.Ordinal) || l.StartsWith("POLYGON", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0]).ToList();
        Assert.That(kinds.Count(k => k == "POLYGON"), Is.EqualTo(3));
        Assert.That(kinds.Count(k => k == "POINT"), Is.EqualTo(3));
    }

    private static Guid DemoUnit(string grid) => Hazards.Api.Infrastructure.Cli.DemoSeeder.DemoUnitId(grid, 1);

    private async Task AddRisk(Guid unit, string colour)
    {
        var response = await app.ClientFor("officer").PostJson($"/api/v1/units/{unit}/risks", new
        {
            name = $"{colour}风险",
            riskColour = colour,
            measures = "每班巡检两次",
            responsiblePersons = new { enterprise = new { name = "王经理" } },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
