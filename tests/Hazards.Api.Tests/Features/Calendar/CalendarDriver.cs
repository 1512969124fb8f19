using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.Calendar;

public static class CalendarDriver
{
    public static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Day(string date, string kind, string name) => new() { ["date"] = date, ["kind"] = kind, ["name"] = name };

    public static JsonObject Body(params JsonObject[] days) => new() { ["days"] = new JsonArray(days) };

    public static Task<HttpResponseMessage> Put(this HttpClient client, int year, JsonNode body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/calendar/{year}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonNode> Year(this HttpClient client, int year)
    {
        var response = await client.GetAsync($"/api/v1/calendar/{year}");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    public static async Task<object?> Send(HazardsApp app, IMessage message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(message);
    }
}

/// <summary>Apps of a test class started each with its own clock and settings, disposed after each test.</summary>
public sealed class OwnApps : IDisposable
{
    private readonly List<HazardsApp> apps = [];

    /// <summary>A fresh app with the demo loaded.</summary>
    public async Task<HazardsApp> Start(DateTimeOffset start, IDictionary<string, string?>? settings = null) => await Add(new HazardsApp(settings, start)).WithDemo();

    /// <summary>An app on the same database as another (a second instance, or a restart): no second demo.</summary>
    public HazardsApp Beside(HazardsApp other, DateTimeOffset start, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["ConnectionStrings:Hazards"] = other.ConnectionString };
        return Add(new HazardsApp(all, start));
    }

    public void Dispose()
    {
        foreach (var app in apps)
        {
            app.Dispose();
        }

        apps.Clear();
    }

    private HazardsApp Add(HazardsApp app)
    {
        apps.Add(app);
        return app;
    }
}
