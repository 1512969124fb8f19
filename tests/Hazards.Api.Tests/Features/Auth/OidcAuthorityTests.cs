using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Hazards.Api.Tests.Features.Users;
using Hazards.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hazards.Api.Tests.Features.Auth;

/// <summary>
/// With <c>Auth:Authority</c> the service takes an OpenID Connect provider's tokens and maps their subject to the
/// person with that external subject. The provider is a real one on 127.0.0.1: discovery and keys over HTTP.
/// </summary>
public sealed class OidcAuthorityTests
{
    private readonly RSA key = RSA.Create(2048);
    private WebApplication authority = null!;
    private string issuer = "";

    [OneTimeSetUp]
    public async Task StartAuthority()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        authority = builder.Build();
        authority.MapGet("/.well-known/openid-configuration", (HttpContext http) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = issuer + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        authority.MapGet("/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(false)) { KeyId = "test" });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await authority.StartAsync();
        issuer = authority.Urls.First();
    }

    [OneTimeTearDown]
    public async Task StopAuthority()
    {
        await authority.DisposeAsync();
        key.Dispose();
    }

    [Test]
    public async Task Token_WhoseSubjectIsAPersonsExternalSubject_SignsInAsThemAndAnUnknownSubjectIs401()
    {
        using var local = await new HazardsApp().WithDemo();
        await local.ClientFor("admin").Create(UserDriver.Person("oidc-grid", subject: "idp|4711"));
        using var federated = new HazardsApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hazards"] = local.ConnectionString,
            ["Auth:Authority"] = issuer,
            ["Auth:Issuer"] = issuer,
            ["Auth:RequireHttpsMetadata"] = "false",
        });

        var known = await Send(federated, Token(federated, "idp|4711"));
        var unknown = await Send(federated, Token(federated, "idp|nobody"));
        var localToken = await Send(federated, local.TokenFor("admin"));

        Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.OK), await known.Content.ReadAsStringAsync());
        Assert.That((await known.Json()).Text("login"), Is.EqualTo("oidc-grid"));
        await unknown.AssertProblem(401, "auth.unknown_user");
        await localToken.AssertProblem(401, "auth.unauthenticated");
        Assert.That(await local.Count("SELECT COUNT(*) FROM users WHERE login LIKE '%nobody%' OR external_subject = 'idp|nobody'"), Is.Zero,
            "no one is provisioned silently");
    }

    [Test]
    public async Task Token_IssuedBeforeItsSubjectMovedToAnotherPerson_Returns401AndANewOneSignsInAsThem()
    {
        using var local = await new HazardsApp().WithDemo();
        var admin = local.ClientFor("admin");
        var first = await admin.Create(UserDriver.Person("oidc-first", subject: "idp|4712"));
        var second = await admin.Create(UserDriver.Person("oidc-second"));
        using var federated = new HazardsApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hazards"] = local.ConnectionString,
            ["Auth:Authority"] = issuer,
            ["Auth:Issuer"] = issuer,
            ["Auth:RequireHttpsMetadata"] = "false",
        });
        var before = Token(federated, "idp|4712");
        local.Clock.Advance(TimeSpan.FromMinutes(1));
        federated.Clock.Advance(TimeSpan.FromMinutes(1));

        var released = await admin.Put($"/api/v1/users/{first.Text("id")}", GridWorker("oidc-first", subject: null), "\"1\"");
        var moved = await admin.Put($"/api/v1/users/{second.Text("id")}", GridWorker("oidc-second", "idp|4712"), "\"1\"");

        Assert.That((released.StatusCode, moved.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)), await moved.Content.ReadAsStringAsync());
        await (await Send(federated, before)).AssertProblem(401, "auth.unauthenticated");
        var after = await Send(federated, Token(federated, "idp|4712"));
        Assert.That((await after.Json()).Text("login"), Is.EqualTo("oidc-second"));
    }

    private static object GridWorker(string login, string? subject) => new
    {
        name = $"测试人员{login}", phone = "13800001111", email = $"{login}@people.example", role = "gridWorker",
        orgUnit = Hazards.Api.Tests.Support.Cases.GridOne, externalSubject = subject,
    };

    private static async Task<HttpResponseMessage> Send(HazardsApp app, string token)
    {
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/v1/me");
    }

    /// <summary>A token of the provider, dated by the service's clock (the tests move it).</summary>
    private string Token(HazardsApp app, string subject)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "hazards-api",
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "test" }, SecurityAlgorithms.RsaSha256),
        });
    }
}
