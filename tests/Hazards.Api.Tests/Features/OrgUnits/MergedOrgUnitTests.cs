using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Features.Imports;
using Hazards.Api.Tests.Features.Users;
using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.OrgUnits;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>After a merge or a retirement: where new work naming the old code goes, where a position lies, and what the history keeps.</summary>
public sealed class MergedOrgUnitTests
{
    private const string Village = "500103001001";
    private const string SecondGrid = "500103001001002";
    private const string SecondVillage = "500103001002";
    private const string GridOfSecondVillage = "500103001002001";

    private HazardsApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await new HazardsApp().WithDemo();
        await app.Services.GetRequiredService<DemoSeeder>().SeedBoundaries(CancellationToken.None);
    }

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Report_WhenItNamesAMergedGrid_LandsInTheGridItWasMergedIntoAndItsHistoryNotesTheCodeGiven()
    {
        await Merge(SecondGrid, Cases.GridOne);

        var created = await app.ClientFor("grid").Report(Cases.Patrol("合并后按旧网格上报", grid: SecondGrid));

        Assert.That(created.Text("gridCode"), Is.EqualTo(Cases.GridOne));
        Assert.That(created["history"]![0]!["details"]!.Text("placeGiven"), Is.EqualTo(SecondGrid));
        Assert.That(await app.Text("SELECT org_path FROM cases WHERE id = @Id", new { Id = Cases.Id(created).ToString() }),
            Is.EqualTo(await app.Text($"SELECT path FROM org_units WHERE code = '{Cases.GridOne}'")));
    }

    [Test]
    public async Task Tip_WhenItNamesAMergedGrid_LandsInTheGridItWasMergedInto()
    {
        await Merge(SecondGrid, Cases.GridOne);

        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", new { description = "旧网格牌上的编码", gridCode = SecondGrid });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(await app.Text("SELECT grid_code FROM cases WHERE origin = 'publicTip'"), Is.EqualTo(Cases.GridOne));
        Assert.That(await app.Text("SELECT details FROM case_history WHERE action = 'reportTip'"), Does.Contain(SecondGrid));
    }

    [Test]
    public async Task PatrolPlan_WhenItNamesAMergedGrid_Returns409WithTheSuccessorAndWritesNothing()
    {
        await Merge(SecondGrid, Cases.GridOne);
        var before = await app.Count("SELECT COUNT(*) FROM inspection_plans");

        var response = await app.ClientFor("officer").PostJson($"/api/v1/org-units/{SecondGrid}/plans", new
        {
            name = "旧网格巡查", cadence = "weekly", level = "gridPatrol", checklist = new[] { new { code = "G1", text = "消防通道畅通" } },
        });

        var problem = await response.AssertProblem(409, "org_unit.retired");
        Assert.That(problem.Text("successor"), Is.EqualTo(Cases.GridOne));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_plans"), Is.EqualTo(before));
    }

    [Test]
    public async Task UpdateUnit_WhenItMovesTheUnitToAMergedGrid_Returns409WithTheSuccessorAndWritesNothing()
    {
        await Merge(SecondGrid, Cases.GridOne);
        var officer = app.ClientFor("officer");
        var etag = (await officer.GetAsync($"/api/v1/units/{Cases.UnitOne}")).Headers.ETag!.Tag;

        var response = await officer.Put($"/api/v1/units/{Cases.UnitOne}", new { name = "搬到旧网格", gridCode = SecondGrid, sectors = new[] { "fire" }, riskColour = "red" }, etag);

        var problem = await response.AssertProblem(409, "org_unit.retired");
        Assert.That(problem.Text("successor"), Is.EqualTo(Cases.GridOne));
        Assert.That(await app.Text("SELECT grid_code FROM units WHERE id = @Id", new { Id = Cases.UnitOne.ToString() }), Is.EqualTo(Cases.GridOne));
    }

    [Test]
    public async Task CreateUser_WhenTheOrgUnitIsMergedOrRetired_Returns409WithTheSuccessorIfAnyAndWritesNothing()
    {
        await Merge(SecondGrid, Cases.GridOne);
        var regulator = app.ClientFor("regulator");
        await regulator.PostJson("/api/v1/org-units", new { code = "500103009", name = "撤并街道", parentCode = "500103" });
        var retired = await regulator.PostJson("/api/v1/org-units/500103009/retire", new { }, ifMatch: "\"1\"");
        Assert.That(retired.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retired.Content.ReadAsStringAsync());

        var merged = await app.ClientFor("officer").PostJson("/api/v1/users", UserDriver.Person("old-grid", orgUnit: SecondGrid));
        var gone = await regulator.PostJson("/api/v1/users", UserDriver.Person("old-town", "townshipOfficer", "500103009"));

        Assert.That((await merged.AssertProblem(409, "org_unit.retired")).Text("successor"), Is.EqualTo(Cases.GridOne));
        Assert.That((await gone.AssertProblem(409, "org_unit.retired"))["successor"], Is.Null);
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE login IN ('old-grid', 'old-town')"), Is.Zero);
    }

    [Test]
    public async Task UpdateUser_WhenItMovesThePersonToAMergedGrid_Returns409WithTheSuccessor()
    {
        await Merge(SecondGrid, Cases.GridOne);
        var officer = app.ClientFor("officer");
        var created = await officer.Create(UserDriver.Person("mover"));

        var response = await officer.Put($"/api/v1/users/{created.Text("id")}", new { name = "调往旧网格", phone = "13800001111", email = "mover@people.example", role = "gridWorker", orgUnit = SecondGrid }, "\"1\"");

        Assert.That((await response.AssertProblem(409, "org_unit.retired")).Text("successor"), Is.EqualTo(Cases.GridOne));
        Assert.That(await app.Text("SELECT org_code FROM users WHERE login = 'mover'"), Is.EqualTo(Cases.GridOne));
    }

    [Test]
    public async Task CreateOrgUnit_WhenTheParentIsMerged_Returns409WithTheSuccessorAndWritesNothing()
    {
        await Merge(SecondVillage, Village);

        var response = await app.ClientFor("officer").PostJson("/api/v1/org-units", new { code = "500103001002009", name = "旧社区新网格", parentCode = SecondVillage });

        Assert.That((await response.AssertProblem(409, "org_unit.retired")).Text("successor"), Is.EqualTo(Village));
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units WHERE code = '500103001002009'"), Is.Zero);
    }

    [Test]
    public async Task Imports_WhenARowNamesAMergedOrgUnit_RefuseTheRowWithTheSuccessor()
    {
        await Merge(SecondGrid, Cases.GridOne);
        await Merge(SecondVillage, Village);
        var officer = app.ClientFor("officer");

        var units = await officer.Import("units", ImportDriver.Csv("单位编码,单位名称,所在网格编码,行业领域,风险等级", $"OLD-GRID-1,旧网格餐馆,{SecondGrid},fire,blue"), "apply");
        var users = await officer.Import("users", ImportDriver.Csv(ImportDriver.UsersHeader, $"old-grid,旧网格员,13800001111,old@people.example,gridWorker,{SecondGrid},,"), "apply");
        var orgUnits = await officer.Import("orgUnits", ImportDriver.Csv("编码,名称,上级编码", $"500103001002009,旧社区新网格,{SecondVillage}"), "apply");

        Assert.That(units.Errors(), Is.EqualTo(new[] { (2, "gridCode", "org_unit.retired") }));
        Assert.That(users.Errors(), Is.EqualTo(new[] { (2, "orgUnit", "org_unit.retired") }));
        Assert.That(orgUnits.Errors(), Is.EqualTo(new[] { (2, "parentCode", "org_unit.retired") }));
        Assert.That(units["errors"]![0]!.Text("message"), Does.Contain(Cases.GridOne));
        Assert.That(users["errors"]![0]!.Text("message"), Does.Contain(Cases.GridOne));
        Assert.That(orgUnits["errors"]![0]!.Text("message"), Does.Contain(Village));
        Assert.That(await app.Count("SELECT COUNT(*) FROM units WHERE name = '旧网格餐馆'") + await app.Count("SELECT COUNT(*) FROM users WHERE login = 'old-grid'")
            + await app.Count("SELECT COUNT(*) FROM org_units WHERE code = '500103001002009'"), Is.Zero);
    }

    [Test]
    public async Task Places_WhenATownshipIsRetired_ListOnlyLiveOnesAndATipNamingItReturns409()
    {
        var regulator = app.ClientFor("regulator");
        var created = await regulator.PostJson("/api/v1/org-units", new { code = "500103009", name = "撤并街道", parentCode = "500103" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var retired = await regulator.PostJson("/api/v1/org-units/500103009/retire", new { }, ifMatch: "\"1\"");
        Assert.That(retired.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retired.Content.ReadAsStringAsync());
        var cases = await app.Count("SELECT COUNT(*) FROM cases");

        var places = await (await app.ClientFor(null).GetAsync("/api/v1/public/places?district=500103")).Json();
        var tip = await app.ClientFor(null).PostJson("/api/v1/public/tips", new { description = "撤并街道的隐患", township = "500103009" });

        Assert.That(places["items"]!.AsArray().Select(p => p!.Text("code")), Does.Not.Contain("500103009").And.Contain("500103001"));
        var problem = await tip.AssertProblem(409, "org_unit.retired");
        Assert.That(problem["successor"], Is.Null);
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(cases));
    }

    [Test]
    public async Task Locate_WhenTheGridWasMerged_AnswersTheGridItWasMergedIntoWhoseBoundaryHoldsBoth()
    {
        var inMerged = Cases.Centre(SecondGrid);
        Assert.That((await Locate(app.ClientFor("admin"), inMerged)).Text("code"), Is.EqualTo(SecondGrid), "arranged: the point lies in the grid to merge");

        await Merge(SecondGrid, Cases.GridOne);

        using var restarted = app.WithWebHostBuilder(_ => { });
        var client = restarted.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", app.TokenFor("admin"));

        Assert.That((await Locate(app.ClientFor("admin"), inMerged)).Text("code"), Is.EqualTo(Cases.GridOne));
        Assert.That((await Locate(client, inMerged)).Text("code"), Is.EqualTo(Cases.GridOne), "after a restart, from the stored boundary");
        Assert.That((await Locate(client, Cases.Centre(Cases.GridOne))).Text("code"), Is.EqualTo(Cases.GridOne));
    }

    [Test]
    public async Task Locate_WhenTheVillageWasMerged_NamesTheVillageItWasMergedIntoFromTheStoredHierarchy()
    {
        var inMoved = Cases.Centre(GridOfSecondVillage);

        await Merge(SecondVillage, Village);

        var located = await (await app.ClientFor("admin").GetAsync($"/api/v1/locate?lat={inMoved.Y}&lng={inMoved.X}")).Json();
        Assert.That(located["grid"]!.Text("code"), Is.EqualTo(GridOfSecondVillage));
        Assert.That(located["village"]!.Text("code"), Is.EqualTo(Village));
        Assert.That(located["township"]!.Text("code"), Is.EqualTo("500103001"));
    }

    [Test]
    public async Task Merge_WritesAHistoryRowForEveryMovedOrgUnitUnitAndPerson()
    {
        var officer = app.ClientFor("officer");
        var person = await officer.Create(UserDriver.Person("grid-v2", orgUnit: GridOfSecondVillage));
        var unit = await app.Text($"SELECT id FROM units WHERE grid_code = '{GridOfSecondVillage}'");

        await Merge(SecondVillage, Village);

        var admin = app.ClientFor("admin");
        var grid = await History(admin, "orgUnit", GridOfSecondVillage);
        var moved = await History(admin, "user", person.Text("id"));
        var movedUnit = await History(admin, "unit", unit);
        var gridRow = Moved(grid);
        Assert.That((gridRow["before"]!.Text("parentCode"), gridRow["after"]!.Text("parentCode")), Is.EqualTo((SecondVillage, Village)));
        Assert.That(Moved(moved)["after"]!.Text("orgPath"), Does.StartWith($"/500000/500103/500103001/{Village}/"));
        Assert.That(Moved(moved)["after"]!.Text("orgUnit"), Is.EqualTo(GridOfSecondVillage));
        Assert.That(Moved(movedUnit)["before"]!.Text("orgPath"), Does.Contain($"/{SecondVillage}/"));
        Assert.That(Moved(movedUnit)["after"]!.Text("orgPath"), Does.StartWith($"/500000/500103/500103001/{Village}/{GridOfSecondVillage}/"));
    }

    [Test]
    public async Task Deactivate_WhenASuccessorInheritsUnits_WritesTheSuccessorsHistoryRow()
    {
        var officer = app.ClientFor("officer");
        var newUnit = await (await officer.PostJson("/api/v1/units", new { name = "新开餐馆", gridCode = Cases.GridOne, sectors = new[] { "fire" }, riskColour = "blue" })).Json();
        var successor = await officer.Create(UserDriver.Person("unit-next", "unitOfficer", Cases.GridOne, new[] { newUnit.Text("id") }));
        var id = await app.IdOf("unit");
        var version = (await officer.Read(id))["version"]!.GetValue<int>();

        var done = await officer.PostJson($"/api/v1/users/{id}/deactivate", new { successorId = successor.Text("id"), reason = "离职" }, ifMatch: $"\"{version}\"");

        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        var row = (await History(app.ClientFor("admin"), "user", successor.Text("id"))).SingleOrDefault(h => h!.Text("action") == "inheritUnits");
        Assert.That(row, Is.Not.Null, "the successor's history row");
        Assert.That(row!["after"]!["unitIds"]!.AsArray().Select(u => u!.GetValue<Guid>()), Does.Contain(Cases.UnitOne));
        Assert.That(row["before"]!["unitIds"]!.AsArray().Select(u => u!.GetValue<Guid>()), Is.EqualTo(new[] { newUnit["id"]!.GetValue<Guid>() }));
        Assert.That(row["after"]!.Text("from"), Is.EqualTo("unit"));
    }

    [Test]
    public async Task ClearanceReport_WhenAChildIsRetired_DoesNotListIt()
    {
        var officer = app.ClientFor("officer");
        await officer.PostJson("/api/v1/org-units", new { code = "500103001001009", name = "临时网格", parentCode = Village });
        var retired = await officer.PostJson("/api/v1/org-units/500103001001009/retire", new { }, ifMatch: "\"1\"");
        Assert.That(retired.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retired.Content.ReadAsStringAsync());

        var report = await (await officer.GetAsync($"/api/v1/reports/clearance?orgUnit={Village}")).Json();

        Assert.That(report["children"]!.AsArray().Select(c => c!.Text("code")), Does.Not.Contain("500103001001009").And.Contain(Cases.GridOne));
    }

    private async Task Merge(string code, string into)
    {
        var officer = app.ClientFor("officer");
        var etag = (await officer.GetAsync($"/api/v1/org-units/{code}")).Headers.ETag!.Tag;
        var response = await officer.PostJson($"/api/v1/org-units/{code}/merge", new { into }, ifMatch: etag);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonNode> Locate(HttpClient client, NetTopologySuite.Geometries.Coordinate at)
    {
        var response = await client.GetAsync($"/api/v1/locate?lat={at.Y}&lng={at.X}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Json())["grid"]!;
    }

    private static JsonNode Moved(JsonArray history)
    {
        var moves = history.Where(h => h!.Text("action") == "move").ToList();
        Assert.That(moves, Has.Count.EqualTo(1), history.ToJsonString());
        return moves[0]!;
    }

    private static async Task<JsonArray> History(HttpClient admin, string entity, string id) =>
        (await (await admin.GetAsync($"/api/v1/admin/history?entity={entity}&id={id}")).Json())["items"]!.AsArray();
}
