using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Features.Places;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Features.Inspections;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Places;
using Microsoft.Extensions.DependencyInjection;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Places;

/// <summary>
/// The demo's synthetic boundaries, and everything that is placed by a position alone on them,
/// a grid worker's report, a resident's tip and a hazard found in an inspection, each held to the grid it names.
/// </summary>
public sealed class DemoBoundaryTests
{
    private static readonly LatLng Jiefangbei = new(DemoBoundaries.Jiefangbei.Latitude, DemoBoundaries.Jiefangbei.Longitude);

    private HazardsApp app = null!;
    private int seeded;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await new HazardsApp().WithDemo();
        seeded = await app.Services.GetRequiredService<DemoSeeder>().SeedBoundaries(CancellationToken.None);
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task SeedDemo_GivesEveryOrgUnitASyntheticBoundary_TiledInsideItsParent_AndKeepsThemWhenRunAgain()
    {
        var again = await app.Services.GetRequiredService<DemoSeeder>().SeedBoundaries(CancellationToken.None);
        var grid = await (await app.ClientFor("admin").GetAsync($"/api/v1/org-units/{GridOne}/boundary")).Json();
        var village = DemoBoundaries.Cell(GridOne[..12], DemoSeeder.Districts().Select(d => d.Code).ToList());
        var cell = DemoBoundaries.Cell(GridOne, DemoSeeder.Districts().Select(d => d.Code).ToList());

        Assert.That(seeded, Is.EqualTo(await app.Count("SELECT COUNT(*) FROM org_units WHERE level <> 'city'")));
        Assert.That(again, Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_unit_boundaries WHERE synthetic = 1"), Is.EqualTo(seeded));
        Assert.That(grid["properties"]!["synthetic"]!.GetValue<bool>(), Is.True);
        Assert.That(village.Contains(cell), Is.True);
        Assert.That(cell.Contains(Jiefangbei.Longitude, Jiefangbei.Latitude), Is.True);
    }

    [Test]
    public async Task AReportWithAPhonesPositionAlone_AtJiefangbei_IsInGridOne()
    {
        var created = await app.ClientFor("grid").Report(PositionOnly(Jiefangbei));

        Assert.That(created["gridCode"]!.GetValue<string>(), Is.EqualTo(GridOne));
    }

    [Test]
    public async Task AMapAppsPosition_IsConvertedFromGcj02_AndStoredAsWgs84()
    {
        var gcj = ChinaCoordinates.ToGcj02(Jiefangbei);

        var created = await app.ClientFor("grid").Report(PositionOnly(gcj, crs: "gcj02"));

        Assert.That(created["gridCode"]!.GetValue<string>(), Is.EqualTo(GridOne));
        Assert.That(created["location"]!["latitude"]!.GetValue<double>(), Is.EqualTo(Jiefangbei.Latitude).Within(1e-5));
        Assert.That(created["location"]!["longitude"]!.GetValue<double>(), Is.EqualTo(Jiefangbei.Longitude).Within(1e-5));
    }

    [Test]
    public async Task AReportOnAUnit_WithAPositionFarFromTheUnitsGrid_Returns422AndWritesNothing()
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var response = await app.ClientFor("unit").PostJson("/api/v1/cases", SelfCheck(UnitOne, extra: new { location = new { latitude = 29.70, longitude = 106.70 } }));

        await response.AssertProblem(422, "location.grid_mismatch");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    [Test]
    public async Task ATipWithAPositionAlone_IsPlacedInTheGridThatHoldsIt()
    {
        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", new
        {
            description = "路边燃气管道破损漏气",
            location = new { latitude = Jiefangbei.Latitude, longitude = Jiefangbei.Longitude },
        });
        var receipt = await response.Json();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), receipt.ToJsonString());
        Assert.That(await GridOfTip(receipt), Is.EqualTo(GridOne));
    }

    [Test]
    public async Task ATipAtAPositionNoGridHolds_Returns422_UnlessItNamesItsTownship()
    {
        var before = await app.Count("SELECT COUNT(*) FROM public_tips");
        var nowhere = new { latitude = 10.0, longitude = 10.0 };

        var refused = await app.ClientFor(null).PostJson("/api/v1/public/tips", new { description = "山体裂缝", location = nowhere });
        var kept = await app.ClientFor(null).PostJson("/api/v1/public/tips", new { description = "山体裂缝", location = nowhere, township = GridOne[..9] });
        var keptReceipt = await kept.Json();

        await refused.AssertProblem(422, "location.unresolved");
        Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.Created), keptReceipt.ToJsonString());
        Assert.That(await GridOfTip(keptReceipt), Is.Empty, "placed at the township, with no grid");
        Assert.That(await app.Count("SELECT COUNT(*) FROM public_tips"), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task ATipWhosePositionContradictsItsGrid_Returns422()
    {
        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", new
        {
            description = "消防栓损坏",
            gridCode = GridTwo,
            location = new { latitude = Jiefangbei.Latitude, longitude = Jiefangbei.Longitude },
        });

        await response.AssertProblem(422, "location.grid_mismatch");
    }

    [Test]
    public async Task AHazardFoundOnAPatrol_IsHeldToThePatrolsGrid()
    {
        var inside = InspectionDriver.Hazard("楼道电动车充电", located: true);
        var outside = InspectionDriver.Hazard("河堤护栏缺失");
        outside["location"] = new JsonObject { ["latitude"] = 29.70, ["longitude"] = 106.70 };
        var grid = app.ClientFor("grid");
        var plan = InspectionDriver.PatrolPlan(GridOne);
        var records = await app.Count("SELECT COUNT(*) FROM inspection_records");

        var refused = await grid.PostJson("/api/v1/inspections", InspectionDriver.Record(plan, InspectionDriver.Codes(Domain.Inspections.Cadence.Weekly, patrol: true), hazards: [outside]));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.EqualTo(records), "the refused record is not kept");
        var submitted = await grid.Submit(InspectionDriver.Record(plan, InspectionDriver.Codes(Domain.Inspections.Cadence.Weekly, patrol: true), hazards: [inside]));

        await refused.AssertProblem(422, "location.grid_mismatch");
        var caseId = submitted["caseIds"]![0]!.GetValue<Guid>();
        var found = await (await grid.GetAsync($"/api/v1/cases/{caseId}")).Json();
        Assert.That(found["gridCode"]!.GetValue<string>(), Is.EqualTo(GridOne));
        Assert.That(found["location"]!["latitude"]!.GetValue<double>(), Is.EqualTo(Jiefangbei.Latitude));
    }

    private static object PositionOnly(LatLng position, string? crs = null) => new
    {
        title = "消防通道堵塞",
        description = "商铺门前堆放杂物，堵塞消防通道",
        sector = "fire",
        origin = "gridPatrol",
        location = new { latitude = position.Latitude, longitude = position.Longitude, crs },
    };

    private async Task<string> GridOfTip(JsonNode receipt) =>
        await app.Text("SELECT c.grid_code FROM cases c JOIN public_tips t ON t.case_id = c.id WHERE t.tracking_code = @Code",
            new { Code = receipt["trackingCode"]!.GetValue<string>() });
}
