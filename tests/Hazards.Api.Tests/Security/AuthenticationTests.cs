using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Security;

/// <summary>OWASP API2: every token that is not a valid one of a known user is a 401 problem.</summary>
public sealed class AuthenticationTests
{
    private const string DevelopmentKey = "hazards-development-signing-key-not-for-production-0123456789";

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Me_WithAHandMadeValidToken_Returns200()
    {
        var response = await Me(Jwt(Header("HS256"), Claims("grid"), DevelopmentKey));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await response.Json())["login"]!.GetValue<string>(), Is.EqualTo("grid"));
    }

    [Test]
    public async Task Me_WithoutToken_Returns401Problem()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/me");

        await response.AssertProblem(401, "auth.unauthenticated");
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [TestCase("expired, wrong signature")]
    [TestCase("not yet valid")]
    [TestCase("wrong signature")]
    [TestCase("wrong audience")]
    [TestCase("wrong issuer")]
    [TestCase("alg none")]
    [TestCase("alg none, signature kept")]
    [TestCase("alg HS512")]
    [TestCase("unknown user")]
    [TestCase("no subject")]
    [TestCase("garbage")]
    public async Task Me_WithABadToken_Returns401Problem(string kind)
    {
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var token = kind switch
        {
            "expired, wrong signature" => Jwt(Header("HS256"), Claims("grid", exp: now - 3600, nbf: now - 7200), "another-key-of-at-least-thirty-two-bytes-0123456789"),
            "not yet valid" => Jwt(Header("HS256"), Claims("grid", nbf: now + 3600, exp: now + 7200), DevelopmentKey),
            "wrong signature" => Jwt(Header("HS256"), Claims("grid"), "another-key-of-at-least-thirty-two-bytes-0123456789"),
            "wrong audience" => Jwt(Header("HS256"), Claims("grid", aud: "another-api"), DevelopmentKey),
            "wrong issuer" => Jwt(Header("HS256"), Claims("grid", iss: "someone-else"), DevelopmentKey),
            "alg none" => $"{B64(Header("none"))}.{B64(Claims("admin"))}.",
            "alg none, signature kept" => NoneWithSignature(),
            "alg HS512" => Jwt(Header("HS512"), Claims("admin"), DevelopmentKey),
            "unknown user" => Jwt(Header("HS256"), Claims("ghost"), DevelopmentKey),
            "no subject" => Jwt(Header("HS256"), Claims(null), DevelopmentKey),
            _ => "not.a.token",
        };

        var response = await Me(token);

        await response.AssertProblem(401, "auth.unauthenticated");
    }

    [Test]
    public async Task Me_WithAnExpiredToken_Returns401SayingItExpired()
    {
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();

        var response = await Me(Jwt(Header("HS256"), Claims("grid", exp: now - 3600, nbf: now - 7200), DevelopmentKey));

        await response.AssertProblem(401, "auth.token_expired");
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.That(challenge.Scheme, Is.EqualTo("Bearer"));
        Assert.That(challenge.Parameter, Does.StartWith("error=\"invalid_token\", error_description=\""));
        Assert.That(challenge.Parameter, Does.Contain("expired"));
    }

    [Test]
    public async Task Me_WithAForgedToken_NamesTheTokenInvalidButNotExpired()
    {
        var response = await Me(Jwt(Header("HS256"), Claims("grid"), "another-key-of-at-least-thirty-two-bytes-0123456789"));

        await response.AssertProblem(401, "auth.unauthenticated");
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.That(challenge.Parameter, Does.StartWith("error=\"invalid_token\""));
        Assert.That(challenge.Parameter, Does.Not.Contain("expired"));
    }

    [Test]
    public async Task Me_WhenTheTokensUserWasRemoved_Returns401Problem()
    {
        using var own = await new HazardsApp().WithDemo();
        var token = own.TokenFor("grid2");
        var before = await Get(own, token);
        await using (var connection = new SqliteConnection(own.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM user_units WHERE user_id = (SELECT id FROM users WHERE login = 'grid2')");
            await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM users WHERE login = 'grid2'");
        }

        var after = await Get(own, token);

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await after.AssertProblem(401, "auth.unauthenticated");
    }

    private static async Task<HttpResponseMessage> Get(HazardsApp target, string token)
    {
        var client = target.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/v1/me");
    }

    private Task<HttpResponseMessage> Me(string token) => Get(app, token);

    private string NoneWithSignature()
    {
        var signed = Jwt(Header("HS256"), Claims("admin"), DevelopmentKey).Split('.');
        return $"{B64(Header("none"))}.{signed[1]}.{signed[2]}";
    }

    private JsonObject Claims(string? sub, long? exp = null, long? nbf = null, string aud = "hazards-api", string iss = "hazards")
    {
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject { ["iss"] = iss, ["aud"] = aud, ["iat"] = now, ["nbf"] = nbf ?? now, ["exp"] = exp ?? now + 3600 };
        if (sub is not null)
        {
            claims["sub"] = sub;
        }

        return claims;
    }

    private static JsonObject Header(string alg) => new() { ["alg"] = alg, ["typ"] = "JWT" };

    private static string Jwt(JsonObject header, JsonObject claims, string key)
    {
        var input = $"{B64(header)}.{B64(claims)}";
        var bytes = Encoding.UTF8.GetBytes(key);
        var signature = header["alg"]!.GetValue<string>() == "HS512"
            ? HMACSHA512.HashData(bytes, Encoding.UTF8.GetBytes(input))
            : HMACSHA256.HashData(bytes, Encoding.UTF8.GetBytes(input));
        return $"{input}.{B64(signature)}";
    }

    private static string B64(JsonNode node) => B64(Encoding.UTF8.GetBytes(node.ToJsonString()));

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
