using System.Net.Http.Headers;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Auth;

public sealed class AuthTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Api_WithoutToken_Returns401Problem()
    {
        var response = await app.ClientFor(null).GetAsync("/api/v1/org-units/500000");

        await response.AssertProblem(401, "auth.unauthenticated");
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task Api_WithWrongSignature_Returns401()
    {
        var token = app.TokenFor("admin");
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tampered);

        var response = await client.GetAsync("/api/v1/me");

        await response.AssertProblem(401, "auth.unauthenticated");
    }

    [Test]
    public async Task Api_WithExpiredToken_Returns401SayingItExpired()
    {
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.TokenFor("admin", TimeSpan.FromMinutes(-5)));

        var response = await client.GetAsync("/api/v1/me");

        await response.AssertProblem(401, "auth.token_expired");
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer error=\"invalid_token\""));
    }

    [Test]
    public async Task Api_WithTokenOfUnknownUser_Returns401()
    {
        var response = await app.ClientFor("nobody").GetAsync("/api/v1/me");

        await response.AssertProblem(401, "auth.unauthenticated");
    }

    [Test]
    public async Task Me_ForUnitOfficer_ReturnsRoleOrgAndUnits()
    {
        var me = await (await app.ClientFor("unit").GetAsync("/api/v1/me")).Json();

        Assert.That(me["login"]!.GetValue<string>(), Is.EqualTo("unit"));
        Assert.That(me["role"]!.GetValue<string>(), Is.EqualTo("unitOfficer"));
        Assert.That(me["orgUnitCode"]!.GetValue<string>(), Is.EqualTo("500103001001001"));
        Assert.That(me["unitIds"]!.AsArray().Select(u => u!.GetValue<Guid>()),
            Is.EqualTo(new[] { Hazards.Api.Infrastructure.Cli.DemoSeeder.DemoUnitId("500103001001001", 1) }));
    }

    [TestCase("admin", "500112", 200)]
    [TestCase("regulator", "500103", 200)]
    [TestCase("regulator", "500112", 404)]
    [TestCase("officer", "500103001", 200)]
    [TestCase("officer", "500103002", 404)]
    [TestCase("officer", "500103", 404)]
    [TestCase("grid", "500103001001001", 200)]
    [TestCase("grid", "500112", 404)]
    [TestCase("grid2", "500103001001001", 404)]
    public async Task OrgUnit_ByScope_AnswersOnlyInsideTheCallersSubtree(string login, string code, int expected)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/org-units/{code}");

        if (expected == 404)
        {
            await response.AssertProblem(404, "org_unit.not_found");
        }
        else
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(expected));
        }
    }
}
