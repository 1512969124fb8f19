using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Reliability;

/// <summary>
/// Nothing acknowledged is lost on a crash: writes stream in, the process is killed with SIGKILL in the
/// middle, and after a restart every write that got a 2xx is there with its history.
/// </summary>
[NonParallelizable]
[Category("Slow")]
public sealed class CrashTests
{
    private string folder = null!;

    [SetUp]
    public void Create()
    {
        folder = Path.Combine(Path.GetTempPath(), "hazards-crash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
    }

    [TearDown]
    public void Remove()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's own clean-up.
        }
    }

    [Test]
    public async Task KillDuringWrites_EveryAcknowledgedReportSurvivesWithItsHistory()
    {
        using var service = new ServiceProcess(folder);
        Assert.That(await service.Run("seed-demo"), Is.Zero);
        await service.Start();
        var acknowledged = new ConcurrentDictionary<Guid, string>();
        using var stop = new CancellationTokenSource();

        var writers = Enumerable.Range(0, 4).Select(w => Write(service, w, acknowledged, stop.Token)).ToList();
        await WaitUntil(() => acknowledged.Count >= 40, TimeSpan.FromSeconds(60));
        service.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var beforeRestart = acknowledged.ToArray();
        await service.Start();

        using var reader = Client(service, "admin");
        foreach (var (id, code) in beforeRestart)
        {
            var response = await reader.GetAsync($"/api/v1/cases/{id}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"acknowledged case {code} is gone");
            var hazard = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.That(hazard["code"]!.GetValue<string>(), Is.EqualTo(code));
            Assert.That(hazard["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()), Is.EqualTo(new[] { "report" }));
        }

        TestContext.Progress.WriteLine($"crash test: {beforeRestart.Length} acknowledged reports checked after SIGKILL");
        Assert.That(beforeRestart, Has.Length.GreaterThanOrEqualTo(40));
    }

    [Test]
    public async Task KillDuringWrites_ARetryWithTheSameKeyAfterRestartGetsTheFirstAnswerOrDoesTheWorkOnce()
    {
        using var service = new ServiceProcess(folder);
        Assert.That(await service.Run("seed-demo"), Is.Zero);
        await service.Start();
        using var grid = Client(service, "grid");
        var keys = Enumerable.Range(0, 20).Select(i => $"crash-retry-{i}").ToList();
        var first = new ConcurrentDictionary<string, HttpStatusCode>();

        var sending = keys.Select(async key =>
        {
            try
            {
                var response = await grid.PostAsJsonAsync("/api/v1/cases", Body(key), Http.Options, CancellationToken.None, key);
                first[key] = response.StatusCode;
            }
            catch (HttpRequestException)
            {
            }
        }).ToList();
        await Task.Delay(150);
        service.Kill();
        await Task.WhenAll(sending);
        await service.Start();
        using var retry = Client(service, "grid");
        var retried = new List<(string Key, HttpStatusCode Status, string Code)>();
        foreach (var key in keys)
        {
            var response = await retry.PostAsJsonAsync("/api/v1/cases", Body(key), Http.Options, CancellationToken.None, key);
            retried.Add((key, response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>()));
        }

        using var admin = Client(service, "admin");
        Assert.That(retried.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.Created));
        foreach (var key in keys)
        {
            var page = JsonNode.Parse(await admin.GetStringAsync("/api/v1/cases?limit=200"))!["items"]!.AsArray();
            Assert.That(page.Count(c => c!["title"]!.GetValue<string>() == key), Is.EqualTo(1), $"{key} was done twice or never");
        }
    }

    private static object Body(string title) => new
    {
        title,
        description = "崩溃测试：网格巡查发现的隐患",
        sector = "fire",
        origin = "gridPatrol",
        gridCode = Cases.GridOne,
    };

    private static async Task Write(ServiceProcess service, int writer, ConcurrentDictionary<Guid, string> acknowledged, CancellationToken stop)
    {
        using var client = Client(service, "grid");
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                var response = await client.PostAsJsonAsync("/api/v1/cases", Body($"崩溃-{writer}-{i}"), Http.Options, stop);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var hazard = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop))!;
                    acknowledged[hazard["id"]!.GetValue<Guid>()] = hazard["code"]!.GetValue<string>();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                return;
            }
        }
    }

    private static HttpClient Client(ServiceProcess service, string login)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceProcess.Token(login));
        return client;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }
    }
}

internal static class IdempotentPost
{
    public static Task<HttpResponseMessage> PostAsJsonAsync(this HttpClient client, string url, object body, System.Text.Json.JsonSerializerOptions options, CancellationToken ct, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: options) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, ct);
    }
}
