using System.Net;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Health;

public sealed class HealthTests
{
    [Test]
    public async Task Ready_WhenDatabaseMigrated_Returns200()
    {
        using var app = new HazardsApp();
        var client = app.ClientFor(null);

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ready.Content.ReadAsStringAsync());
        Assert.That((await ready.Json())["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Ready_WhenMigrationsPending_Returns503()
    {
        using var app = new HazardsApp(new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" });
        var client = app.ClientFor(null);

        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task OpenApi_WithoutToken_ListsTheRoutes()
    {
        using var app = new HazardsApp();
        var client = app.ClientFor(null);

        var document = await client.GetAsync("/openapi/v1.json");
        var scalar = await client.GetAsync("/scalar/v1");

        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await document.Json())["paths"]!.AsObject().Select(p => p.Key), Does.Contain("/api/v1/org-units/{code}"));
        Assert.That(scalar.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
