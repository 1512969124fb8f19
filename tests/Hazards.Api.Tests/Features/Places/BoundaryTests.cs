using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Places;

namespace Hazards.Api.Tests.Features.Places;

/// <summary>Boundaries through the real app: set with If-Match, read back as GeoJSON, refused with their codes, and used by <c>GET /locate</c>.</summary>
public sealed class BoundaryTests
{
    private const string Grid = "500103001001001";
    private const string Village = "500103001001";
    private static readonly LatLng Centre = new(29.5577, 106.5770);

    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp(new Dictionary<string, string?> { ["Location:StampCheckMilliseconds"] = "0" }).WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Put_AValidSquare_StoresItAndGetAnswersItAsGeoJson()
    {
        var response = await Put(Grid, Square(Centre, 0.002));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/geo+json"));
        var get = await app.ClientFor("admin").GetAsync($"/api/v1/org-units/{Grid}/boundary");
        var feature = await get.Json();
        Assert.That(feature.Text("type"), Is.EqualTo("Feature"));
        Assert.That(feature["geometry"]!.Text("type"), Is.EqualTo("Polygon"));
        Assert.That(feature["properties"]!["vertices"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(get.Headers.ETag!.Tag, Is.EqualTo(response.Headers.ETag!.Tag));
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history WHERE entity_key = @Grid AND action = 'boundary'", new { Grid }), Is.EqualTo(1));
    }

    [Test]
    public async Task Locate_InsideTheGrid_AnswersItsChainInEitherDatum()
    {
        await Put(Grid, Square(Centre, 0.002));
        var gcj = ChinaCoordinates.ToGcj02(Centre);

        var wgs = await (await Locate(Centre.Latitude, Centre.Longitude)).Json();
        var fromMapApp = await (await Locate(gcj.Latitude, gcj.Longitude, "gcj02")).Json();

        Assert.That(wgs["grid"]!.Text("code"), Is.EqualTo(Grid));
        Assert.That(wgs["district"]!.Text("code"), Is.EqualTo("500103"));
        Assert.That(wgs["township"]!.Text("code"), Is.EqualTo("500103001"));
        Assert.That(wgs["village"]!.Text("code"), Is.EqualTo(Village));
        Assert.That(fromMapApp["grid"]!.Text("code"), Is.EqualTo(Grid));
        Assert.That(fromMapApp["latitude"]!.GetValue<double>(), Is.EqualTo(Centre.Latitude).Within(1e-7));
    }

    [Test]
    public async Task Locate_OutsideEveryGridOrBadlyGiven_IsRefusedWithItsCode()
    {
        await Put(Grid, Square(Centre, 0.002));

        await (await Locate(29.0, 106.0)).AssertProblem(422, "location.unresolved");
        await (await Locate(91, 106.0)).AssertProblem(400, "location.out_of_range");
        await (await app.ClientFor("admin").GetAsync("/api/v1/locate?lat=NaN&lng=106.5")).AssertProblem(400, "location.out_of_range");
        await (await app.ClientFor("admin").GetAsync("/api/v1/locate?lat=29.5")).AssertProblem(400, "location.incomplete");
        await (await Locate(Centre.Latitude, Centre.Longitude, "bd09")).AssertProblem(400, "location.unknown_crs");
    }

    [Test]
    public async Task Put_ABadShape_Returns400WithItsCodeAndWritesNothing()
    {
        var c = Centre;
        var point = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(c.Longitude, c.Latitude) };
        var unclosed = Polygon([[c.Longitude, c.Latitude], [c.Longitude + 0.001, c.Latitude], [c.Longitude + 0.001, c.Latitude + 0.001], [c.Longitude, c.Latitude + 0.002]]);
        var bowtie = Polygon([[c.Longitude, c.Latitude], [c.Longitude + 0.001, c.Latitude + 0.001], [c.Longitude + 0.001, c.Latitude], [c.Longitude, c.Latitude + 0.001], [c.Longitude, c.Latitude]]);
        var outOfRange = Polygon([[200, 10], [201, 10], [201, 11], [200, 10]]);

        await (await Put(Grid, point)).AssertProblem(400, "boundary.not_polygon");
        await (await Put(Grid, unclosed)).AssertProblem(400, "boundary.unclosed_ring");
        await (await Put(Grid, bowtie)).AssertProblem(400, "boundary.invalid");
        await (await Put(Grid, outOfRange)).AssertProblem(400, "boundary.out_of_range");
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_unit_boundaries"), Is.Zero);
        Assert.That(await app.Count("SELECT stamp FROM boundary_stamp"), Is.Zero);
    }

    [Test]
    public async Task Put_MoreVerticesThanAllowed_Returns400()
    {
        using var limited = await new HazardsApp(new Dictionary<string, string?> { ["Location:MaxVertices"] = "8" }).WithDemo();
        var client = limited.ClientFor("admin");
        var etag = (await client.GetAsync($"/api/v1/org-units/{Grid}")).Headers.ETag!.Tag;
        var ring = Enumerable.Range(0, 12).Select(i => new[]
        {
            Centre.Longitude + 0.001 * Math.Cos(i * Math.PI / 6), Centre.Latitude + 0.001 * Math.Sin(i * Math.PI / 6),
        }).ToList();
        ring.Add(ring[0]);

        var response = await client.SendAsync(PutRequest(Grid, Polygon([.. ring]), etag));

        await response.AssertProblem(400, "boundary.too_many_vertices");
    }

    [Test]
    public async Task Put_WithAStaleVersionOrOutsideTheParent_IsRefused()
    {
        var stale = await app.ClientFor("admin").SendAsync(PutRequest(Grid, Square(Centre, 0.002), "\"999\""));
        await stale.AssertProblem(412, "concurrency.stale_version");

        Assert.That((await Put(Village, Square(Centre, 0.002))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var sticksOut = await Put(Grid, Square(new LatLng(Centre.Latitude + 0.003, Centre.Longitude), 0.002));

        await sticksOut.AssertProblem(422, "boundary.outside_parent");
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_unit_boundaries WHERE org_code = @Grid", new { Grid }), Is.Zero);
    }

    [Test]
    public async Task Put_ByAGridWorker_IsRefusedAndOutOfScopeIs404()
    {
        var client = app.ClientFor("officer");
        var etag = (await client.GetAsync($"/api/v1/org-units/{Grid}")).Headers.ETag!.Tag;

        var inOwn = await client.SendAsync(PutRequest(Grid, Square(Centre, 0.002), etag));
        var otherDistrict = await client.SendAsync(PutRequest("500112001001001", Square(Centre, 0.002), "\"1\""));

        Assert.That(inOwn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await inOwn.Content.ReadAsStringAsync());
        await otherDistrict.AssertProblem(404, "org_unit.not_found");
        await (await app.ClientFor("grid").SendAsync(PutRequest(Grid, Square(Centre, 0.002), "\"2\""))).AssertProblem(403, "org_unit.admin_forbidden");
    }

    private async Task<HttpResponseMessage> Put(string code, JsonNode body)
    {
        var client = app.ClientFor("admin");
        var etag = (await client.GetAsync($"/api/v1/org-units/{code}")).Headers.ETag!.Tag;
        return await client.SendAsync(PutRequest(code, body, etag));
    }

    private static HttpRequestMessage PutRequest(string code, JsonNode body, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/org-units/{code}/boundary") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    private Task<HttpResponseMessage> Locate(double lat, double lng, string? crs = null) =>
        app.ClientFor("admin").GetAsync(string.Create(CultureInfo.InvariantCulture,
            $"/api/v1/locate?lat={lat:R}&lng={lng:R}{(crs is null ? "" : $"&crs={crs}")}"));

    private static JsonObject Square(LatLng centre, double half) => Polygon([
        [centre.Longitude - half, centre.Latitude - half], [centre.Longitude + half, centre.Latitude - half],
        [centre.Longitude + half, centre.Latitude + half], [centre.Longitude - half, centre.Latitude + half],
        [centre.Longitude - half, centre.Latitude - half]]);

    private static JsonObject Polygon(double[][] ring) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray([.. ring.Select(p => (JsonNode)new JsonArray(p[0], p[1]))])),
    };
}
