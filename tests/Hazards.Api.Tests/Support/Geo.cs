using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Hazards.Api.Tests.Support;

/// <summary>Boundaries set through the API, and GeoJSON as GDAL's <c>ogrinfo</c> (Debian <c>gdal-bin</c>, installed by <c>.ci/setup</c>) reads it.</summary>
public static class Geo
{
    /// <summary>A square ring of half-side <paramref name="half"/> degrees around the centre, as GeoJSON positions (longitude first).</summary>
    public static JsonObject Square(double latitude, double longitude, double half) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(
            new JsonArray(longitude - half, latitude - half), new JsonArray(longitude + half, latitude - half),
            new JsonArray(longitude + half, latitude + half), new JsonArray(longitude - half, latitude + half),
            new JsonArray(longitude - half, latitude - half))),
    };

    /// <summary>Sets the org unit's boundary as the city admin does, with the org unit's version in If-Match.</summary>
    public static async Task SetBoundary(this HazardsApp app, string code, JsonObject geometry)
    {
        var admin = app.ClientFor("admin");
        var etag = (await admin.GetAsync($"/api/v1/org-units/{code}")).Headers.ETag!.Tag;
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/org-units/{code}/boundary") { Content = JsonContent.Create(geometry) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await admin.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Runs <c>ogrinfo -ro -al</c> and the given options on the GeoJSON text written to a file; asserts exit 0 and nothing on stderr.</summary>
    public static async Task<string> OgrInfo(string geojson, params string[] options)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"feed-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(path, geojson);
        var start = new ProcessStartInfo("ogrinfo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-ro", "-al", .. options, path])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.EqualTo(0), await error);
        Assert.That(await error, Is.Empty, "ogrinfo warns of nothing");
        return await output;
    }

    /// <summary>The value of a line of <c>ogrinfo -so</c> such as <c>Feature Count: 3</c>.</summary>
    public static string Line(string info, string name) =>
        info.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
}
