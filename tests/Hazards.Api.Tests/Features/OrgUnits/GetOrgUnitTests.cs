using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.OrgUnits;

public sealed class GetOrgUnitTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task City_ForAdmin_ListsThe38RealDistricts()
    {
        var city = await (await app.ClientFor("admin").GetAsync("/api/v1/org-units/500000")).Json();

        var children = city["children"]!.AsArray();
        Assert.That(city["level"]!.GetValue<string>(), Is.EqualTo("city"));
        Assert.That(city["parentCode"], Is.Null);
        Assert.That(children, Has.Count.EqualTo(38));
        Assert.That(children.Select(c => (c!["code"]!.GetValue<string>(), c["name"]!.GetValue<string>())),
            Is.EquivalentTo(DemoSeeder.Districts()));
        Assert.That(children.Select(c => c!["level"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "district" }));
        Assert.That(children.Select(c => c!["code"]!.GetValue<string>()), Does.Contain("500103").And.Contain("500243"));
    }

    [Test]
    public async Task District_ForRegulator_ListsItsTownships()
    {
        var district = await (await app.ClientFor("regulator").GetAsync("/api/v1/org-units/500103")).Json();

        Assert.That(district["name"]!.GetValue<string>(), Is.EqualTo("渝中区"));
        Assert.That(district["parentCode"]!.GetValue<string>(), Is.EqualTo("500000"));
        Assert.That(district["children"]!.AsArray().Select(c => c!["code"]!.GetValue<string>()),
            Is.EqualTo(new[] { "500103001", "500103002", "500103003" }));
    }

    [Test]
    public async Task Grid_HasNoChildren()
    {
        var grid = await (await app.ClientFor("grid").GetAsync("/api/v1/org-units/500103001001001")).Json();

        Assert.That(grid["level"]!.GetValue<string>(), Is.EqualTo("grid"));
        Assert.That(grid["parentCode"]!.GetValue<string>(), Is.EqualTo("500103001001"));
        Assert.That(grid["children"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task OrgUnit_WhenUnknown_Returns404()
    {
        var response = await app.ClientFor("admin").GetAsync("/api/v1/org-units/999999");

        await response.AssertProblem(404, "org_unit.not_found");
    }
}
