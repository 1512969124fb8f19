using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hazards.Api.Tests.Support;

public static class Http
{
    public static async Task<JsonNode> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty JSON body.");
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and stable code.</summary>
    public static async Task<JsonNode> AssertProblem(this HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonNode.Parse(text)!;
        Assert.That(problem["code"]?.GetValue<string>(), Is.EqualTo(code), text);
        Assert.That(problem["status"]?.GetValue<int>(), Is.EqualTo(status), text);
        Assert.That(problem["type"]?.GetValue<string>(), Does.StartWith("https://"), $"every problem names its type (RFC 9457 §3.1.1): {text}");
        return problem;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body, string? idempotencyKey = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Options) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string url, string rawJson, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(rawJson, System.Text.Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
