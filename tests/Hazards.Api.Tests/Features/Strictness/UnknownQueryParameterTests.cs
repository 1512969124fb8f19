using System.Net;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Strictness;

/// <summary>A query parameter the route does not take is refused and named, on every kind of route.</summary>
public sealed class UnknownQueryParameterTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCase("/api/v1/cases?colour=red", "colour")]
    [TestCase("/api/v1/cases?limit=5&sort=title", "sort")]
    [TestCase("/api/v1/me?verbose=1", "verbose")]
    [TestCase("/api/v1/me/tasks?cursor=x", "cursor")]
    [TestCase("/api/v1/me/tasks/toFix?page=2", "page")]
    [TestCase("/api/v1/escalations?orgUnit=500103&region=x", "region")]
    public async Task Get_WithAParameterTheRouteDoesNotTake_Returns400NamingIt(string url, string parameter)
    {
        var response = await app.ClientFor("officer").GetAsync(url);

        var problem = await response.AssertProblem(400, "query.unknown_parameter");
        Assert.That(problem["parameter"]!.GetValue<string>(), Is.EqualTo(parameter));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain($"'{parameter}'"));
    }

    [Test]
    public async Task GetCase_WithAnyParameter_Returns400ForItTakesNone()
    {
        var hazard = await app.ClientFor("grid").Report(Patrol("查询参数-单案"));

        var response = await app.ClientFor("grid").GetAsync($"/api/v1/cases/{Id(hazard)}?include=history");

        var problem = await response.AssertProblem(400, "query.unknown_parameter");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("takes no query parameters"));
    }

    [Test]
    public async Task Post_WithAnUnknownParameter_Returns400AndWritesNothing()
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var response = await app.ClientFor("grid").PostJson("/api/v1/cases?dryRun=true", Patrol("查询参数-上报"));

        await response.AssertProblem(400, "query.unknown_parameter");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    [TestCase("/api/v1/cases?limit=5&cursor=&status=reported")]
    [TestCase("/api/v1/cases?LIMIT=5&OrgUnit=500103001")]
    [TestCase("/api/v1/me/tasks?limit=3")]
    [TestCase("/api/v1/me/tasks/toFix?limit=3")]
    public async Task Get_WithTheParametersTheRouteTakes_IsAccepted(string url)
    {
        var response = await app.ClientFor("officer").GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task PublicRoute_WithAnUnknownParameter_Returns400()
    {
        var response = await app.ClientFor(null).GetAsync("/api/v1/public/tips/ZZZZZZZZZZZZ?lang=en");

        await response.AssertProblem(400, "query.unknown_parameter");
    }
}
