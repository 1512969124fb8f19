using System.Diagnostics;
using Hazards.Api.Tests.Support;
using Hazards.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Hazards.Api.Tests.Infrastructure;

/// <summary>
/// Outside Development the service starts only with settings that keep its links and tokens its own, and a start that
/// refuses names every setting to fix at once, as an operator reads it: one line each, no stack trace.
/// </summary>
public sealed class ProductionStartTests
{
    private const string ProductionKey = "a-production-signing-key-from-the-environment-0123456789";
    private const string DevelopmentKey = "hazards-development-signing-key-not-for-production-0123456789";

    [Test]
    public void Start_InProductionWithSeveralSettingsMissingOrInvalid_NamesThemAllAtOnce()
    {
        using var app = new HazardsApp(new Dictionary<string, string?> { ["Writes:PermitsPerMinute"] = "-1", ["Jobs:WorkerCount"] = "0" });
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production"));

        var refused = Assert.Throws<OptionsValidationException>(() => production.CreateClient());

        Assert.That(refused!.Failures, Has.Some.StartsWith("Auth:SigningKey"));
        Assert.That(refused.Failures, Has.Some.StartsWith("Email:BaseUrl"));
        Assert.That(refused.Failures, Has.Some.StartsWith("Mail:LinkKey"));
        Assert.That(refused.Failures, Has.Some.StartsWith("Writes:PermitsPerMinute"));
        Assert.That(refused.Failures, Has.Some.StartsWith("Jobs:WorkerCount"));
    }

    [TestCase("http://hazards.example")]
    [TestCase("http://10.1.2.3:8080/")]
    public void Start_InProductionWithAPublicAddressOverHttp_IsRefusedNamingTheSetting(string address)
    {
        using var app = new HazardsApp();
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production")
            .UseSetting("Auth:SigningKey", ProductionKey).UseSetting("Email:BaseUrl", address));

        var refused = Assert.Throws<OptionsValidationException>(() => production.CreateClient());

        Assert.That(refused!.Failures, Has.One.StartsWith("Email:BaseUrl").And.Contains("https"));
    }

    [Test]
    public void Start_InProductionWithTheDevelopmentKeyAsTheLinkKey_IsRefusedNamingTheSetting()
    {
        using var app = new HazardsApp();
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production")
            .UseSetting("Auth:SigningKey", ProductionKey).UseSetting("Email:BaseUrl", "https://hazards.example").UseSetting("Mail:LinkKey", DevelopmentKey));

        var refused = Assert.Throws<OptionsValidationException>(() => production.CreateClient());

        Assert.That(refused!.Failures, Has.One.StartsWith("Mail:LinkKey").And.Contains("development"));
    }

    [Test]
    public async Task Request_InProductionOverHttps_AnswersWithHstsAndOverHttpWithout()
    {
        using var app = new HazardsApp();
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production")
            .UseSetting("Auth:SigningKey", ProductionKey).UseSetting("Email:BaseUrl", "https://hazards.example"));
        var secure = production.CreateClient();
        secure.BaseAddress = new Uri("https://hazards.example/");
        var plain = production.CreateClient();
        plain.BaseAddress = new Uri("http://hazards.example/");

        var overHttps = await secure.GetAsync("/health/live");
        var overHttp = await plain.GetAsync("/health/live");

        Assert.That(overHttps.Headers.TryGetValues("Strict-Transport-Security", out var hsts), Is.True);
        Assert.That(hsts!.Single(), Does.StartWith("max-age=31536000"));
        Assert.That(overHttp.Headers.Contains("Strict-Transport-Security"), Is.False);
    }

    [Test]
    public async Task Start_AsAProcessWithSettingsMissing_ExitsNonZeroListingEachWithoutAStackTrace()
    {
        var folder = Folder();
        var environment = StandaloneService.Environment(StandaloneService.FreePort(), folder, Path.Combine(folder, "hazards.db"), ProductionKey);
        environment.Remove("Auth__SigningKey");
        environment.Remove("Email__BaseUrl");
        environment["Writes__PermitsPerMinute"] = "-1";

        var (exit, output, errors) = await Run(folder, environment);

        Assert.That(exit, Is.Not.Zero);
        Assert.That(errors, Does.Contain("Auth:SigningKey").And.Contain("Email:BaseUrl").And.Contain("Mail:LinkKey").And.Contain("Writes:PermitsPerMinute"));
        Assert.That(output + errors, Does.Not.Contain(" at ").And.Not.Contain("Unhandled exception").And.Not.Contain("Exception:"));
    }

    [Test]
    public async Task Token_OnAnEmptyDatabase_SaysToRunInitCity()
    {
        var folder = Folder();
        var environment = StandaloneService.Environment(StandaloneService.FreePort(), folder, Path.Combine(folder, "hazards.db"), ProductionKey);

        var (exit, _, errors) = await Run(folder, environment, "token", "--user", "admin");

        Assert.That(exit, Is.EqualTo(1), errors);
        Assert.That(errors, Does.Contain("init-city").And.Not.Contain("seed-demo").And.Not.Contain(" at "));
    }

    private static string Folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hazards-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task<(int Exit, string Output, string Errors)> Run(string folder, Dictionary<string, string> environment, params string[] args)
    {
        var info = StandaloneService.StartInfo(Path.Combine(AppContext.BaseDirectory, "Hazards.Api.dll"), folder, environment, args, redirect: true);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }
}
