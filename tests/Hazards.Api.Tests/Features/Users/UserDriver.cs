using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Users;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>People through the user routes, as an administrator would manage them.</summary>
public static class UserDriver
{
    public static object Person(string login, string role = "gridWorker", string orgUnit = Cases.GridOne, object? unitIds = null, string? subject = null) => new
    {
        login,
        name = $"测试人员{login}",
        phone = "13800001111",
        email = $"{login}@people.example",
        role,
        orgUnit,
        externalSubject = subject,
        unitIds,
    };

    public static async Task<JsonNode> Create(this HttpClient client, object body)
    {
        var response = await client.PostJson("/api/v1/users", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    public static Task<HttpResponseMessage> Put(this HttpClient client, string url, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body, options: Http.Options) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static async Task<Guid> IdOf(this HazardsApp app, string login) =>
        Guid.Parse(await app.Text("SELECT id FROM users WHERE login = @Login", new { Login = login }));

    public static async Task<JsonNode> Read(this HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/users/{id}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{(await response.Json())["version"]}\""));
        return await response.Json();
    }
}
