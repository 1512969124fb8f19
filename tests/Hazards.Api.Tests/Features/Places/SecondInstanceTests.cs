using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Places;

/// <summary>
/// Each instance holds the boundaries in memory, and follows a change made on any other through the
/// stamp in the database. Two apps share one SQLite file here, as two instances share one database.
/// </summary>
[NonParallelizable]
public sealed class SecondInstanceTests
{
    [Test]
    public async Task ABoundaryChangedOnOneInstance_IsFollowedByTheOther_AfterItsStampCheck()
    {
        using var first = await new HazardsApp().WithDemo();
        using var second = new HazardsApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hazards"] = first.ConnectionString,
            ["Location:StampCheckMilliseconds"] = "100",
        });
        var centre = Centre(GridOne);

        var before = await Locate(second, centre.Y, centre.X);
        await first.Services.GetRequiredService<DemoSeeder>().SeedBoundaries(CancellationToken.None);
        await Task.Delay(300);
        var seeded = await Locate(second, centre.Y, centre.X);

        // The grid shrinks on the first instance, through its route, to the western third of its cell: the centre is outside.
        var admin = first.ClientFor("admin");
        var etag = (await admin.GetAsync($"/api/v1/org-units/{GridOne}")).Headers.ETag!.Tag;
        var west = centre.X - 0.0074;
        var shrunk = new JsonObject
        {
            ["type"] = "Polygon",
            ["coordinates"] = new JsonArray(new JsonArray(
                Corner(west, centre.Y - 0.02), Corner(west + 0.004, centre.Y - 0.02), Corner(west + 0.004, centre.Y + 0.02),
                Corner(west, centre.Y + 0.02), Corner(west, centre.Y - 0.02))),
        };
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/org-units/{GridOne}/boundary") { Content = JsonContent.Create(shrunk) };
        put.Headers.TryAddWithoutValidation("If-Match", etag);
        var changed = await admin.SendAsync(put);
        await Task.Delay(300);
        var moved = await Locate(second, centre.Y, centre.X);
        var westSide = await Locate(second, centre.Y, west + 0.002);

        await before.AssertProblem(422, "location.unresolved");
        Assert.That(seeded.StatusCode, Is.EqualTo(HttpStatusCode.OK), await seeded.Content.ReadAsStringAsync());
        Assert.That((await seeded.Json())["grid"]!["code"]!.GetValue<string>(), Is.EqualTo(GridOne));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        await moved.AssertProblem(422, "location.unresolved");
        Assert.That((await westSide.Json())["grid"]!["code"]!.GetValue<string>(), Is.EqualTo(GridOne));
    }

    private static JsonArray Corner(double lng, double lat) => new(lng, lat);

    private static Task<HttpResponseMessage> Locate(HazardsApp app, double lat, double lng) =>
        app.ClientFor("admin").GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/locate?lat={lat:R}&lng={lng:R}"));
}
