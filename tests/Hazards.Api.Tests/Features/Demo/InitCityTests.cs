using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Demo;

public sealed class InitCityTests
{
    [Test]
    public async Task InitCity_OnAnEmptyStore_AddsTheDistrictsAndAFirstAdminWhoCanSignInAndTwiceAddsNothing()
    {
        using var app = new HazardsApp();
        string[] args = ["--admin", "cityadmin", "--name", "市安委办管理员", "--email", "cityadmin@hazards.example"];

        var first = await Cli.Run(app.Services, "init-city", args);
        var second = await Cli.Run(app.Services, "init-city", args);

        Assert.That((first, second), Is.EqualTo((0, 0)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units"), Is.EqualTo(39));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE login = 'cityadmin' AND role = 'cityAdmin'"), Is.EqualTo(1));
        var city = await (await app.ClientFor("cityadmin").GetAsync("/api/v1/org-units/500000")).Json();
        Assert.That(city["children"]!.AsArray(), Has.Count.EqualTo(38));
    }
}
