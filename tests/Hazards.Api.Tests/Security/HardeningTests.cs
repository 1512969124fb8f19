using System.Net;
using System.Net.Http.Headers;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Security;

/// <summary>Issue 9, item 6: security headers on every answer; outside Development no stack trace or SQL in a problem and no API map unless asked for.</summary>
public sealed class HardeningTests
{
    private const string ProductionKey = "a-production-signing-key-from-the-environment-0123456789";

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCase("grid", "/api/v1/me", 200)]
    [TestCase("grid", "/api/v1/cases/0190f0a0-0000-7000-8000-000000000001", 404)]
    [TestCase(null, "/api/v1/me", 401)]
    [TestCase("grid", "/api/v1/no-such-route", 404)]
    [TestCase(null, "/health/live", 200)]
    public async Task Answers_CarryTheSecurityHeaders(string? login, string url, int status)
    {
        var response = await app.ClientFor(login).GetAsync(url);

        Assert.That((int)response.StatusCode, Is.EqualTo(status));
        Assert.Multiple(() =>
        {
            Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(Header(response, "X-Frame-Options"), Is.EqualTo("DENY"));
            Assert.That(Header(response, "Referrer-Policy"), Is.EqualTo("no-referrer"));
            Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo("default-src 'none'; frame-ancestors 'none'"));
            if (url.StartsWith("/api", StringComparison.Ordinal))
            {
                Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            }
        });
    }

    [Test]
    public async Task Scalar_GetsAFramingRuleButNoScriptBlockingPolicy()
    {
        var response = await app.CreateClient().GetAsync("/scalar/v1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo("frame-ancestors 'none'"));
        Assert.That(Header(response, "X-Frame-Options"), Is.EqualTo("DENY"));
    }

    [Test]
    public async Task Dashboard_MayFrameItselfOnly()
    {
        var response = await app.ClientFor("admin").GetAsync("/hangfire");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Header(response, "X-Frame-Options"), Is.EqualTo("SAMEORIGIN"));
        Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo("frame-ancestors 'self'"));
    }

    [Test]
    public async Task JobDashboard_InProduction_IsClosedUnlessEnabled()
    {
        using var production = Production(app);
        using var enabled = Production(app, dashboard: true);

        var closed = await AsAdmin(production).GetAsync("/hangfire");
        var open = await AsAdmin(enabled).GetAsync("/hangfire");

        await closed.AssertProblem(404, "route.not_found");
        Assert.That(open.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("/openapi/v1.json")]
    [TestCase("/scalar/v1")]
    public async Task ApiMap_InProduction_IsClosedUnlessEnabled(string url)
    {
        using var production = Production(app);
        using var enabled = Production(app, openApi: true);

        var closed = await production.CreateClient().GetAsync(url);
        var open = await enabled.CreateClient().GetAsync(url);

        await closed.AssertProblem(404, "route.not_found");
        Assert.That(open.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ServerError_InProduction_CarriesNoStackTraceNorSql()
    {
        using var broken = await new HazardsApp().WithDemo();
        using var production = Production(broken);
        await using (var connection = new SqliteConnection(broken.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "DROP TABLE escalation_notices");
        }

        var development = await Call(broken, broken.TokenFor("admin"));
        var answer = await Call(production, production.Services.GetRequiredService<TokenIssuer>().Issue("admin"));

        var devProblem = await development.AssertProblem(500, "server.error");
        var problem = await answer.AssertProblem(500, "server.error");
        Assert.That(devProblem["exception"]?.ToString(), Does.Contain("escalation_notices"), "Development shows the cause, so the check below can fail");
        Assert.That(problem.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "type", "title", "status", "detail", "code", "traceId" }));
        var text = problem.ToJsonString();
        Assert.That(text, Does.Not.Contain("escalation_notices").And.Not.Contain("SELECT").And.Not.Contain("SQLite").And.Not.Contain(" at "));
    }

    private static async Task<HttpResponseMessage> Call(WebApplicationFactory<Program> target, string token)
    {
        var client = target.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/v1/escalations");
    }

    private static WebApplicationFactory<Program> Production(HazardsApp app, bool openApi = false, bool dashboard = false) =>
        app.WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production").UseSetting("Auth:SigningKey", ProductionKey);
            if (openApi)
            {
                b.UseSetting("OpenApi:Enabled", "true");
            }

            if (dashboard)
            {
                b.UseSetting("Jobs:Dashboard", "true");
            }
        });

    private static HttpClient AsAdmin(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        var token = factory.Services.GetRequiredService<Hazards.Api.Infrastructure.Auth.TokenIssuer>().Issue("admin");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content)
        : "";
}
