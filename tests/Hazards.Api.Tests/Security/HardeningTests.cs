using System.Net;
using System.Net.Http.Headers;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Tests.Support;
using Cases = Hazards.Api.Tests.Support.Cases;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Security;

/// <summary>Security headers on every answer; outside Development no stack trace or SQL in a problem and no API map unless asked for.</summary>
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

    [TestCase("/api/v1/me")]
    [TestCase("/api/v1/me/tasks")]
    [TestCase("/api/v1/org-units/500103")]
    [TestCase("/api/v1/cases?limit=5")]
    [TestCase("/api/v1/reports/clearance?orgUnit=500103&format=csv")]
    [TestCase("/api/v1/cases/0190f0a0-0000-7000-8000-000000000001")]
    [TestCase("/health/live")]
    public async Task Head_OnAGetRoute_AnswersAsGetWithoutABody(string url)
    {
        var client = app.ClientFor("regulator");

        var get = await client.GetAsync(url);
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.That(head.StatusCode, Is.EqualTo(get.StatusCode), url);
        Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(head.Content.Headers.ContentType?.MediaType, Is.EqualTo(get.Content.Headers.ContentType?.MediaType));
        Assert.That(Header(head, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
        Assert.That(await get.Content.ReadAsByteArrayAsync(), Is.Not.Empty, "GET has a body, so HEAD's empty one says something");
    }

    [Test]
    public async Task Problems_OfEveryKind_NameTheirType()
    {
        var grid = app.ClientFor("grid");
        var reported = await grid.Report(Cases.Patrol("类型"));

        var missingVersion = await app.ClientFor("officer").PostJson($"/api/v1/cases/{Cases.Id(reported)}/assign", new { });
        var wrongMethod = await grid.DeleteAsync("/api/v1/me");
        var tooLarge = await grid.PostRaw("/api/v1/cases", "{\"title\":\"" + new string('x', 1100 * 1024) + "\"}");

        var required = await missingVersion.AssertProblem(428, "concurrency.if_match_required");
        var method = await wrongMethod.AssertProblem(405, "route.method_not_allowed");
        var large = await tooLarge.AssertProblem(413, "request.too_large");
        Assert.That(required["type"]!.GetValue<string>(), Does.Contain("rfc6585"));
        Assert.That(method["type"]!.GetValue<string>(), Does.Contain("rfc9110"));
        Assert.That(large["type"]!.GetValue<string>(), Does.Contain("rfc9110"));
    }

    [Test]
    public void Start_InProductionWithTheDevelopmentKey_IsRefused()
    {
        var developmentKey = DevelopmentSettingsKey();
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("Email:BaseUrl", "https://hazards.example").UseSetting("Auth:SigningKey", developmentKey));

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => production.CreateClient());

        Assert.That(refused!.Message, Does.Contain("development"));
    }

    [Test]
    public void Start_InProductionWithAShortKey_IsRefused()
    {
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("Email:BaseUrl", "https://hazards.example").UseSetting("Auth:SigningKey", "short-key-of-31-bytes-012345678"));

        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => production.CreateClient());
    }

    [Test]
    public void Start_InProductionWithoutThePublicAddress_IsRefusedNamingTheSetting()
    {
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("Auth:SigningKey", ProductionKey));

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => production.CreateClient());

        Assert.That(refused!.Message, Does.Contain("Email:BaseUrl"));
    }

    [Test]
    public void DevelopmentKeyFingerprint_IsTheKeyOfTheDevelopmentSettings()
    {
        var key = DevelopmentSettingsKey();

        Assert.That(Hazards.Api.Infrastructure.Auth.SigningKeys.IsDevelopmentKey(key, contentRoot: null), Is.True,
            "the fingerprint in SigningKeys must follow appsettings.Development.json");
        Assert.That(Hazards.Api.Infrastructure.Auth.SigningKeys.IsDevelopmentKey(ProductionKey, contentRoot: null), Is.False);
    }

    [Test]
    public async Task Token_LivingLongerThanTheMaximum_Returns401()
    {
        var issuer = app.Services.GetRequiredService<TokenIssuer>();
        var tooLong = CreateToken(app, TimeSpan.FromHours(25));
        var dayLong = CreateToken(app, TimeSpan.FromHours(23));

        var refused = await Me(tooLong);
        var accepted = await Me(dayLong);

        await refused.AssertProblem(401, "auth.unauthenticated");
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Throws<InvalidOperationException>(() => issuer.Issue("admin", TimeSpan.FromHours(48)));
    }

    [Test]
    public void Start_WithATokenLifetimeOverTheMaximum_IsRefused()
    {
        using var misconfigured = app.WithWebHostBuilder(b => b.UseSetting("Auth:TokenLifetimeHours", "48"));

        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => misconfigured.CreateClient());
    }

    private async Task<HttpResponseMessage> Me(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/v1/me");
    }

    /// <summary>A token signed with the app's key that lives <paramref name="lifetime"/>, made as a forger would: the issuer refuses such lifetimes.</summary>
    private static string CreateToken(HazardsApp target, TimeSpan lifetime)
    {
        var options = target.Services.GetRequiredService<AuthOptions>();
        var now = target.Clock.GetUtcNow().UtcDateTime;
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "admin")]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(options.SigningKey!)),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
    }

    private static string DevelopmentSettingsKey()
    {
        var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repository.PathOf("src", "Hazards.Api", "appsettings.Development.json")))!;
        return settings["Auth"]!["SigningKey"]!.GetValue<string>();
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
            b.UseEnvironment("Production").UseSetting("Auth:SigningKey", ProductionKey).UseSetting("Email:BaseUrl", "https://hazards.example");
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
