using System.Net;
using System.Net.Http.Headers;
using Hangfire;
using Hangfire.Storage;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hazards.Api.Tests.Infrastructure.Jobs;

/// <summary>Hangfire keeps global state: these tests run one job host at a time.</summary>
[NonParallelizable]
public sealed class JobsTests
{
    private static Dictionary<string, string?> JobsOn => new()
    {
        ["Jobs:Enabled"] = "true",
        ["Jobs:SchedulePollingSeconds"] = "1",
    };

    [Test]
    public async Task Start_WithJobsEnabled_RegistersTheSweepsInShanghaiAndRunsThemOnce()
    {
        using var app = new HazardsApp(JobsOn);
        await app.WithDemo();
        _ = app.CreateClient();

        var recurring = JobStorage.Current.GetConnection().GetRecurringJobs();
        var ran = await Eventually(async () => await app.Count("SELECT COUNT(*) FROM sweep_watermarks WHERE name = 'cadence:sweep'") == 1);

        Assert.That(recurring.Select(j => j.Id), Does.Contain("cadence:sweep"));
        var sweep = recurring.Single(j => j.Id == "cadence:sweep");
        Assert.That(sweep.Cron, Is.EqualTo("*/15 * * * *"));
        Assert.That(sweep.TimeZoneId, Is.EqualTo("Asia/Shanghai"));
        Assert.That(ran, Is.True, "the sweep did not run at start");
    }

    [Test]
    public void Start_WithJobsDisabled_RunsNoJobServer()
    {
        using var app = new HazardsApp();
        _ = app.CreateClient();

        var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        Assert.That(hosted, Has.None.Contains("BackgroundJobServer"));
        Assert.That(hosted, Has.None.EqualTo("RecurringJobsRegistrar"));
    }

    [Test]
    public async Task JobsRun_RunsTheSweepNowWithoutTheServer()
    {
        using var app = new HazardsApp();
        await app.WithDemo();

        var status = await Cli.Run(app.Services, "jobs", ["run", "cadence:sweep"]);
        var unknown = await Cli.Run(app.Services, "jobs", ["run", "nothing:here"]);

        Assert.That(status, Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM sweep_watermarks WHERE name = 'cadence:sweep'"), Is.EqualTo(1));
        Assert.That(unknown, Is.EqualTo(2));
    }

    [Test]
    public async Task Dashboard_IsForCityAdminsOnly()
    {
        using var app = await new HazardsApp().WithDemo();
        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var grid = app.ClientFor("grid");
        var admin = app.ClientFor("admin");

        var none = await anonymous.GetAsync("/hangfire");
        var wrongRole = await grid.GetAsync("/hangfire");
        var allowed = await admin.GetAsync("/hangfire");

        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrongRole.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await allowed.Content.ReadAsStringAsync(), Does.Contain("Hazards jobs"));
    }

    [Test]
    public async Task Dashboard_TokenInQuery_IsKeptInACookieForTheDashboardsOwnRequests()
    {
        using var app = await new HazardsApp().WithDemo();
        var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

        var first = await browser.GetAsync($"/hangfire?access_token={app.TokenFor("admin")}");
        var next = await browser.GetAsync("/hangfire/recurring");
        var otherBrowser = app.CreateClient(new() { HandleCookies = false });
        otherBrowser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        var forged = await otherBrowser.GetAsync("/hangfire/recurring");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hazards_dashboard_token=", StringComparison.Ordinal)), Does.Contain("httponly").IgnoreCase);
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Dashboard_CookiePostWithoutAntiforgery_IsRefusedAndWithItAccepted()
    {
        using var app = await new HazardsApp().WithDemo();
        var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetAsync($"/hangfire/recurring?access_token={app.TokenFor("admin")}");
        var html = await page.Content.ReadAsStringAsync();

        var forged = new HttpRequestMessage(HttpMethod.Post, "/hangfire/stats")
        {
            Content = new FormUrlEncodedContent([new("metrics[]", "enqueued:count")]),
        };
        forged.Headers.Add("Origin", "https://attacker.example");
        var refused = await browser.SendAsync(forged);

        var header = Meta(html, "csrf-header");
        var token = Meta(html, "csrf-token");
        var genuine = new HttpRequestMessage(HttpMethod.Post, "/hangfire/stats")
        {
            Content = new FormUrlEncodedContent([new("metrics[]", "enqueued:count")]),
        };
        genuine.Headers.Add(header, token);
        var accepted = await browser.SendAsync(genuine);

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Dashboard_Stats_AnsweredToGetWithAProblemNotA500()
    {
        using var app = await new HazardsApp().WithDemo();

        var response = await app.ClientFor("admin").GetAsync("/hangfire/stats");

        await response.AssertProblem(405, "route.method_not_allowed");
    }

    [Test]
    public async Task Dashboard_OutsideDevelopment_KeepsItsTokenInASecureCookie()
    {
        using var app = await new HazardsApp().WithDemo();
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production")
            .UseSetting("Auth:SigningKey", "a-production-signing-key-from-the-environment-0123456789").UseSetting("Email:BaseUrl", "https://hazards.example")
            .UseSetting("Jobs:Dashboard", "true"));
        var token = production.Services.GetRequiredService<Hazards.Api.Infrastructure.Auth.TokenIssuer>().Issue("admin");

        var first = await production.CreateClient(new() { HandleCookies = false }).GetAsync($"/hangfire?access_token={token}");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var cookies = first.Headers.GetValues("Set-Cookie").ToList();
        Assert.That(cookies, Is.Not.Empty);
        Assert.That(cookies, Has.All.Contains("secure").IgnoreCase);
    }

    private static string Meta(string html, string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"<meta name=\"{name}\" content=\"([^\"]*)\"");
        Assert.That(match.Success, Is.True, $"the dashboard page carries no {name}");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}
