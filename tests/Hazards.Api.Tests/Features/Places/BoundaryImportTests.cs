using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Features.Imports;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Places;

/// <summary>
/// Boundaries by the bulk import, one GeoJSON FeatureCollection keyed by code, each feature through the
/// checks of <c>PUT /org-units/{code}/boundary</c>; a dry run first, an apply all or nothing.
/// </summary>
public sealed class BoundaryImportTests
{
    private const string Township = "500103001";
    private const string Village = "500103001001";
    private const string GridOne = "500103001001001";
    private const string GridTwo = "500103001001002";

    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp(new Dictionary<string, string?>
    {
        ["Location:StampCheckMilliseconds"] = "0",
        ["Location:MaxVertices"] = "40",
        ["Location:MaxImportVertices"] = "100",
    }).WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    /// <summary>The township, its village and the village's two grids side by side, children first in the file.</summary>
    private static byte[] City() => Collection(
        (GridOne, Rect(106.56, 29.53, 106.57, 29.58)),
        (GridTwo, Rect(106.57, 29.53, 106.58, 29.58)),
        (Village, Rect(106.56, 29.53, 106.58, 29.58)),
        (Township, Rect(106.56, 29.53, 106.60, 29.58)));

    [Test]
    public async Task Apply_AFileWithParentsAndChildren_StoresThemAndLocateAnswersTheGrid()
    {
        var stamp = await app.Count("SELECT stamp FROM boundary_stamp");

        var import = await app.ClientFor("admin").Import("boundaries", City(), "apply", "city.geojson");
        var west = await Locate(29.55, 106.565);
        var east = await Locate(29.55, 106.575);

        Assert.That(import.Text("state"), Is.EqualTo("succeeded"), import.ToJsonString());
        Assert.That((import["rowsRead"]!.GetValue<int>(), import["rowsValid"]!.GetValue<int>(), import["rowsApplied"]!.GetValue<int>()), Is.EqualTo((4, 4, 4)));
        Assert.That(import["warningCount"]!.GetValue<int>(), Is.Zero);
        Assert.That(west["grid"]!.Text("code"), Is.EqualTo(GridOne));
        Assert.That(west["village"]!.Text("code"), Is.EqualTo(Village));
        Assert.That(east["grid"]!.Text("code"), Is.EqualTo(GridTwo));
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_unit_boundaries WHERE synthetic = 0"), Is.EqualTo(4));
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history WHERE action = 'boundary' AND import_id = @Id",
            new { Id = import["id"]!.GetValue<Guid>() }), Is.EqualTo(4), "one history row per boundary, as the PUT writes it");
        Assert.That(await app.Count("SELECT stamp FROM boundary_stamp"), Is.EqualTo(stamp + 1), "the stamp moves once per import");
        Assert.That(await app.Count("SELECT version FROM org_units WHERE code = @GridOne", new { GridOne }), Is.EqualTo(2), "the org unit's ETag moves");
    }

    [Test]
    public async Task Apply_TheSameFileAgain_ChangesNothing()
    {
        await app.ClientFor("admin").Import("boundaries", City(), "apply", "city.geojson");
        var stamp = await app.Count("SELECT stamp FROM boundary_stamp");

        var again = await app.ClientFor("admin").Import("boundaries", City(), "apply", "city.geojson");

        Assert.That(again.Text("state"), Is.EqualTo("succeeded"));
        Assert.That(again["rowsApplied"]!.GetValue<int>(), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history WHERE action = 'boundary'"), Is.EqualTo(4));
        Assert.That(await app.Count("SELECT stamp FROM boundary_stamp"), Is.EqualTo(stamp));
    }

    [Test]
    public async Task DryRun_ChecksEveryFeatureAndWritesNothing()
    {
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");

        var import = await app.ClientFor("admin").Import("boundaries", City(), fileName: "city.geojson");

        Assert.That(import.Text("state"), Is.EqualTo("succeeded"));
        Assert.That(import["dryRun"]!.GetValue<bool>(), Is.True);
        Assert.That((import["rowsRead"]!.GetValue<int>(), import["rowsValid"]!.GetValue<int>(), import["rowsApplied"]!.GetValue<int>()), Is.EqualTo((4, 4, 0)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_unit_boundaries"), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history));
        Assert.That(await app.Count("SELECT stamp FROM boundary_stamp"), Is.Zero);
    }

    [Test]
    public async Task Apply_AChildOutsideItsParentOrAnUnknownCode_FailsWithTheRowsAndWritesNothing()
    {
        var file = Collection(
            (Village, Rect(106.56, 29.53, 106.58, 29.58)),
            (GridOne, Rect(106.56, 29.53, 106.59, 29.58)),
            ("500103001001099", Rect(106.57, 29.53, 106.58, 29.58)));

        var import = await app.ClientFor("admin").Import("boundaries", file, "apply", "city.geojson");

        Assert.That(import.Text("state"), Is.EqualTo("failed"));
        Assert.That(import.Errors(), Is.EquivalentTo(new[] { (1, "geometry", "boundary.outside_parent"), (2, "code", "org_unit.not_found") }));
        Assert.That(import["rowsValid"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_unit_boundaries"), Is.Zero);
    }

    [Test]
    public async Task Apply_ASiblingStoredBefore_IsHeldAgainstTheParentInTheDatabase()
    {
        await app.SetBoundary(Village, Rect(106.56, 29.53, 106.58, 29.58));

        var import = await app.ClientFor("admin").Import("boundaries", Collection((GridOne, Rect(106.575, 29.53, 106.59, 29.58))), "apply", "g.geojson");

        Assert.That(import.Errors(), Is.EqualTo(new[] { (0, "geometry", "boundary.outside_parent") }));
    }

    [Test]
    public async Task Apply_OverlappingSiblings_SucceedsAndReportsTheOverlapsAsWarnings()
    {
        await app.SetBoundary("500103002", Rect(106.60, 29.53, 106.64, 29.58));
        var file = Collection(
            (Township, Rect(106.56, 29.53, 106.602, 29.58)),
            ("500103003", Rect(106.555, 29.53, 106.561, 29.58)));

        var import = await app.ClientFor("admin").Import("boundaries", file, "apply", "grids.geojson");

        Assert.That(import.Text("state"), Is.EqualTo("succeeded"), import.ToJsonString());
        Assert.That(import["rowsApplied"]!.GetValue<int>(), Is.EqualTo(2));
        var warnings = import["warnings"]!.AsArray().Select(w => (w!["row"]!.GetValue<int>(), w["code"]!.GetValue<string>(), w["message"]!.GetValue<string>())).ToList();
        Assert.That(warnings.Select(w => (w.Item1, w.Item2)), Is.EqualTo(new[] { (0, "boundary.overlap"), (1, "boundary.overlap") }));
        Assert.That(warnings[0].Item3, Does.Contain("500103002").And.Contain("500103003"), "both the stored sibling and the one in the file");
        Assert.That(import["warningCount"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(import.Errors(), Is.Empty);
    }

    [Test]
    public async Task Start_WithABadFile_Is400WithItsCodeAndQueuesNothing()
    {
        var admin = app.ClientFor("admin");
        var square = Rect(106.56, 29.53, 106.57, 29.58);
        var point = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(106.565, 29.55) };
        var unclosed = new JsonObject
        {
            ["type"] = "Polygon",
            ["coordinates"] = new JsonArray(new JsonArray(P(106.56, 29.53), P(106.57, 29.53), P(106.57, 29.58), P(106.56, 29.57))),
        };
        var withoutCode = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray(new JsonObject { ["type"] = "Feature", ["properties"] = new JsonObject(), ["geometry"] = square.DeepClone() }),
        }.ToJsonString());

        await (await admin.Send("boundaries", "{\"type\": \"FeatureCollection\", \"features\": ["u8.ToArray(), "apply", "a.geojson")).AssertProblem(400, "import.not_json");
        await (await admin.Send("boundaries", Encoding.UTF8.GetBytes(square.ToJsonString()), "apply", "a.geojson")).AssertProblem(400, "import.not_feature_collection");
        await (await admin.Send("boundaries", withoutCode, "apply", "a.geojson")).AssertProblem(400, "import.feature_code_missing");
        var duplicate = await (await admin.Send("boundaries", Collection((GridOne, square), (GridTwo, square), (GridOne, square)), "apply", "a.geojson"))
            .AssertProblem(400, "import.duplicate_code");
        await (await admin.Send("boundaries", Collection((GridOne, point)), "apply", "a.geojson")).AssertProblem(400, "boundary.not_polygon");
        await (await admin.Send("boundaries", Collection((GridOne, unclosed)), "apply", "a.geojson")).AssertProblem(400, "boundary.unclosed_ring");
        await (await admin.Send("boundaries", Collection((GridOne, Ring(41))), "apply", "a.geojson")).AssertProblem(400, "boundary.too_many_vertices");
        await (await admin.Send("boundaries", Collection((GridOne, Ring(39)), (GridTwo, Ring(39)), (Village, Ring(39))), "apply", "a.geojson"))
            .AssertProblem(400, "import.too_many_vertices");

        Assert.That(duplicate["row"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(duplicate["orgUnit"]!.GetValue<string>(), Is.EqualTo(GridOne));
        Assert.That(await app.Count("SELECT COUNT(*) FROM imports WHERE kind = 'boundaries'"), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_unit_boundaries"), Is.Zero);
    }

    [Test]
    public async Task Start_WithAFileOverTheLimit_Is413()
    {
        using var small = await new HazardsApp(new Dictionary<string, string?> { ["Imports:MaxBytes"] = "2048" }).WithDemo();
        var file = Collection(Enumerable.Range(1, 40).Select(i => ($"500103001001{i:000}", Rect(106.56, 29.53, 106.57, 29.58))).ToArray());

        var response = await small.ClientFor("admin").Send("boundaries", file, "apply", "big.geojson");

        await response.AssertProblem(413, "import.too_large");
        Assert.That(await small.Count("SELECT COUNT(*) FROM imports WHERE kind = 'boundaries'"), Is.Zero);
    }

    [Test]
    public async Task Import_AsEachRole_IsRefusedOrHeldToTheImportersSubtree()
    {
        var file = Collection(
            (Village, Rect(106.56, 29.53, 106.58, 29.58)),
            (Township, Rect(106.56, 29.53, 106.60, 29.58)),
            ("500103002001", Rect(106.60, 29.53, 106.62, 29.58)));

        var anonymous = await app.ClientFor(null).Send("boundaries", file, "apply", "a.geojson");
        var grid = await app.ClientFor("grid").Send("boundaries", file, "apply", "a.geojson");
        var unit = await app.ClientFor("unit").Send("boundaries", file, "apply", "a.geojson");
        var regulator = await app.ClientFor("regulator").Import("boundaries", file, fileName: "a.geojson");
        var officer = await app.ClientFor("officer").Import("boundaries", file, fileName: "a.geojson");
        var admin = await app.ClientFor("admin").Import("boundaries", file, fileName: "a.geojson");

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await grid.AssertProblem(403, "import.forbidden");
        await unit.AssertProblem(403, "import.forbidden");
        Assert.That(regulator.Errors(), Is.Empty, "a district's regulator administers its townships and below");
        Assert.That(officer.Errors(), Is.EquivalentTo(new[] { (1, "code", "org_unit.admin_forbidden"), (2, "code", "org_unit.not_found") }),
            "a township officer sets the boundaries below their township, as by PUT");
        Assert.That(admin.Errors(), Is.Empty);
    }

    [Test]
    public async Task Template_IsAFeatureCollectionWhoseExampleFeaturesAreSkippedUntilMarkedAsReal()
    {
        var officer = app.ClientFor("officer");
        await app.SetBoundary(Township, Rect(106.55, 29.52, 106.61, 29.59));

        var template = await officer.GetAsync("/api/v1/imports/templates/boundaries");
        var file = await template.Content.ReadAsByteArrayAsync();
        var asIs = await officer.Import("boundaries", file, "apply", "boundaries-template.geojson");
        var collection = JsonNode.Parse(file)!;
        foreach (var feature in collection["features"]!.AsArray())
        {
            feature!["properties"]!.AsObject().Remove("example");
        }

        var real = await officer.Import("boundaries", Encoding.UTF8.GetBytes(collection.ToJsonString()), "apply", "boundaries.geojson");

        Assert.That(template.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(template.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/geo+json"));
        Assert.That(collection["features"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That((asIs.Text("state"), asIs["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 0)), asIs.ToJsonString());
        Assert.That(asIs["warnings"]!.AsArray().Select(w => (w!["row"]!.GetValue<int>(), w["code"]!.GetValue<string>())),
            Is.EqualTo(new[] { (0, "import.example_row"), (1, "import.example_row") }));
        Assert.That((real.Text("state"), real["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 2)), real.ToJsonString());
        Assert.That((await Locate(29.5577, 106.5770))["grid"]!.Text("code"), Is.EqualTo(GridOne));
        await (await officer.GetAsync("/api/v1/imports/templates/boundaries?format=xlsx")).AssertProblem(400, "import.invalid_format");
    }

    [Test]
    [NonParallelizable]
    public async Task Apply_OnOneInstance_IsFollowedByASecondAfterItsStampCheck()
    {
        using var second = new HazardsApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hazards"] = app.ConnectionString,
            ["Location:StampCheckMilliseconds"] = "100",
        });
        var before = await second.ClientFor("admin").GetAsync("/api/v1/locate?lat=29.55&lng=106.565");

        await app.ClientFor("admin").Import("boundaries", City(), "apply", "city.geojson");
        await Task.Delay(300);
        var after = await second.ClientFor("admin").GetAsync("/api/v1/locate?lat=29.55&lng=106.565");

        await before.AssertProblem(422, "location.unresolved");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), await after.Content.ReadAsStringAsync());
        Assert.That((await after.Json())["grid"]!.Text("code"), Is.EqualTo(GridOne));
    }

    private async Task<JsonNode> Locate(double lat, double lng)
    {
        var response = await app.ClientFor("admin").GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/locate?lat={lat:R}&lng={lng:R}"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static byte[] Collection(params (string Code, JsonObject Geometry)[] features) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["type"] = "FeatureCollection",
        ["features"] = new JsonArray([.. features.Select(f => (JsonNode)new JsonObject
        {
            ["type"] = "Feature",
            ["properties"] = new JsonObject { ["code"] = f.Code },
            ["geometry"] = f.Geometry.DeepClone(),
        })]),
    }.ToJsonString());

    private static JsonObject Rect(double minLng, double minLat, double maxLng, double maxLat) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(P(minLng, minLat), P(maxLng, minLat), P(maxLng, maxLat), P(minLng, maxLat), P(minLng, minLat))),
    };

    /// <summary>A closed ring of <paramref name="positions"/> positions (the last the first again) round 解放碑.</summary>
    private static JsonObject Ring(int positions)
    {
        var ring = new JsonArray();
        for (var i = 0; i < positions - 1; i++)
        {
            var angle = 2 * Math.PI * i / (positions - 1);
            ring.Add(P(106.565 + (0.004 * Math.Cos(angle)), 29.55 + (0.004 * Math.Sin(angle))));
        }

        ring.Add(ring[0]!.DeepClone());
        return new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) };
    }

    private static JsonArray P(double lng, double lat) => new(lng, lat);
}
