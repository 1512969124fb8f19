using System.Net;
using Hangfire;
using Hangfire.Storage;
using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hazards.Api.Tests.Infrastructure.Deployment;

/// <summary>One binary, roles by configuration: API instances run no job server; job instances serve only health.</summary>
[NonParallelizable]
public sealed class RolesTests
{
    [Test]
    public async Task ApiRole_RunsNoJobServerAndServesTheApi()
    {
        using var app = await new HazardsApp(new Dictionary<string, string?> { ["Roles"] = "api", ["Jobs:Enabled"] = "true" }).WithDemo();

        var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
        var me = await app.ClientFor("admin").GetAsync("/api/v1/me");

        Assert.That(hosted, Has.None.Contains("BackgroundJobServer").And.None.EqualTo("RecurringJobsRegistrar"));
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task JobsRole_RegistersTheRecurringSweepsAndServesOnlyHealth()
    {
        using var app = await new HazardsApp(new Dictionary<string, string?>
        {
            ["Roles"] = "jobs",
            ["Jobs:Enabled"] = "true",
            ["Jobs:RunAtStart"] = "false",
        }).WithDemo();
        var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var me = await client.GetAsync("/api/v1/me");
        var recurring = JobStorage.Current.GetConnection().GetRecurringJobs().Select(j => j.Id);

        Assert.That(recurring, Is.SupersetOf(new[] { "cadence:sweep", "cases:escalate", "mail:dispatch" }));
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ready.Content.ReadAsStringAsync());
        Assert.That((await ready.Json())["checks"]!["jobs"]!["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
    }

    [Test]
    public void UnknownRole_StopsTheServiceFromStarting()
    {
        using var app = new HazardsApp(new Dictionary<string, string?> { ["Roles"] = "api,reports" });

        Assert.That(() => app.CreateClient(), Throws.InstanceOf<InvalidOperationException>().With.Message.Contains("Roles"));
    }
}
