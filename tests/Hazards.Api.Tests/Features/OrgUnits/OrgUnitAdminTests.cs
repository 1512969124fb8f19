using System.Net;
using Hazards.Api.Tests.Features.Users;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.OrgUnits;

using Cases = Hazards.Api.Tests.Support.Cases;

public sealed class OrgUnitAdminTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Create_AVillageUnderTheOfficersTownship_ExtendsTheParentsCode()
    {
        var response = await app.ClientFor("officer").PostJson("/api/v1/org-units", new { code = "500103001009", name = "新建社区", parentCode = "500103001" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var village = await response.Json();
        Assert.That(village.Text("level"), Is.EqualTo("village"));
        var township = await (await app.ClientFor("officer").GetAsync("/api/v1/org-units/500103001")).Json();
        Assert.That(township["children"]!.AsArray().Select(c => c!.Text("code")), Does.Contain("500103001009"));
        Assert.That(await app.Text("SELECT path FROM org_units WHERE code = '500103001009'"), Is.EqualTo("/500000/500103/500103001/500103001009/"));
    }

    [TestCase("50010300109", "500103001", "code")]
    [TestCase("500103002009", "500103001", "parentCode")]
    [TestCase("500103", "500000", "code")]
    public async Task Create_WithAWrongLengthOrPrefix_Returns400AndWritesNothing(string code, string parent, string field)
    {
        var before = await app.Count("SELECT COUNT(*) FROM org_units");

        var response = await app.ClientFor("admin").PostJson("/api/v1/org-units", new { code, name = "错误编码", parentCode = parent });

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }));
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units"), Is.EqualTo(before));
    }

    [Test]
    public async Task Create_OutsideScopeByRoleOrTaken_IsRefused()
    {
        var outside = await app.ClientFor("officer").PostJson("/api/v1/org-units", new { code = "500103002009", name = "越界社区", parentCode = "500103002" });
        var grid = await app.ClientFor("grid").PostJson("/api/v1/org-units", new { code = "500103001001009", name = "网格", parentCode = "500103001001" });
        var taken = await app.ClientFor("officer").PostJson("/api/v1/org-units", new { code = "500103001001", name = "重复", parentCode = "500103001" });
        var orphan = await app.ClientFor("officer").PostJson("/api/v1/org-units", new { code = "500103001077001", name = "无上级", parentCode = "500103001077" });

        await outside.AssertProblem(404, "org_unit.unknown_parent");
        await grid.AssertProblem(404, "org_unit.unknown_parent");
        await taken.AssertProblem(409, "org_unit.code_taken");
        await orphan.AssertProblem(404, "org_unit.unknown_parent");
    }

    [Test]
    public async Task Rename_WithIfMatch_WritesTheHistoryAndAStaleVersionIs412()
    {
        var officer = app.ClientFor("officer");
        var read = await officer.GetAsync("/api/v1/org-units/500103001001");
        var etag = read.Headers.ETag!.Tag;

        var renamed = await officer.Put("/api/v1/org-units/500103001001", new { name = "解放碑社区" }, etag);
        var stale = await officer.Put("/api/v1/org-units/500103001001", new { name = "又改名" }, etag);

        Assert.That((await renamed.Json()).Text("name"), Is.EqualTo("解放碑社区"));
        await stale.AssertProblem(412, "concurrency.stale_version");
        var history = await (await app.ClientFor("admin").GetAsync("/api/v1/admin/history?entity=orgUnit&id=500103001001")).Json();
        Assert.That(history["items"]!.AsArray().Last(h => h!.Text("action") == "rename")!["before"]!.Text("name"), Is.EqualTo("渝中区第1街道第1社区"));
        Assert.That(history["items"]!.AsArray().Last(h => h!.Text("action") == "rename")!["after"]!.Text("name"), Is.EqualTo("解放碑社区"));
    }

    [Test]
    public async Task Retire_WhileUnitsPlansAndPeopleRemain_Returns409WithTheCountsAndAnEmptyGridRetires()
    {
        var officer = app.ClientFor("officer");
        await app.ClientFor("grid").Report(Cases.Patrol("退役前的隐患"));
        var full = await officer.PostJson("/api/v1/org-units/500103001001001/retire", new { }, ifMatch: "\"1\"");
        await officer.PostJson("/api/v1/org-units", new { code = "500103001001009", name = "临时网格", parentCode = "500103001001" });

        var empty = await officer.PostJson("/api/v1/org-units/500103001001009/retire", new { reason = "网格调整" }, ifMatch: "\"1\"");

        var problem = await full.AssertProblem(409, "org_unit.not_empty");
        Assert.That(problem["beneath"]!["openCases"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(problem["beneath"]!["activeUnits"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(problem["beneath"]!["plans"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(problem["beneath"]!["people"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.OK), await empty.Content.ReadAsStringAsync());
        Assert.That((await empty.Json())["retired"]!.GetValue<bool>(), Is.True);
        var again = await officer.PostJson("/api/v1/org-units", new { code = "500103001001009", name = "复用", parentCode = "500103001001" });
        await again.AssertProblem(409, "org_unit.code_taken");
    }

    [Test]
    public async Task Merge_AVillageIntoItsSibling_MovesGridsUnitsPeoplePlansAndCasesAndTheOldCodeAnswersWhereItWent()
    {
        var officer = app.ClientFor("officer");
        var hazard = await app.ClientFor("admin").Report(Cases.Patrol("合并前的隐患", grid: "500103001002001", extra: new { origin = "regulatorInspection" }));
        await officer.Create(UserDriver.Person("grid-v2", orgUnit: "500103001002001"));

        var response = await officer.PostJson("/api/v1/org-units/500103001002/merge", new { into = "500103001001" }, ifMatch: "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var merged = await response.Json();
        Assert.That(merged["children"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(merged["moved"]!["activeUnits"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(merged["moved"]!["openCases"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(merged["moved"]!["people"]!.GetValue<int>(), Is.EqualTo(1));
        var old = await (await officer.GetAsync("/api/v1/org-units/500103001002")).Json();
        Assert.That((old["retired"]!.GetValue<bool>(), old.Text("mergedInto")), Is.EqualTo((true, "500103001001")));
        var into = await (await officer.GetAsync("/api/v1/org-units/500103001001")).Json();
        Assert.That(into["children"]!.AsArray().Select(c => c!.Text("code")), Is.SupersetOf(new[] { "500103001002001", "500103001002002" }));
        var list = await (await officer.GetAsync("/api/v1/cases?orgUnit=500103001001&limit=200")).Json();
        Assert.That(list["items"]!.AsArray().Select(c => c!.Text("id")), Does.Contain(Cases.Id(hazard).ToString()));
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units WHERE path LIKE '/500000/500103/500103001/500103001002/%' AND code <> '500103001002'"), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM units WHERE org_path LIKE '/500000/500103/500103001/500103001002/%'"), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_plans WHERE org_path LIKE '/500000/500103/500103001/500103001002/%'"), Is.Zero);
        var me = await (await app.ClientFor("grid-v2").GetAsync("/api/v1/org-units/500103001002001")).Json();
        Assert.That(me.Text("parentCode"), Is.EqualTo("500103001001"), "a person of a moved grid keeps working there");
    }

    [Test]
    public async Task Merge_IntoANonSibling_Returns409()
    {
        var response = await app.ClientFor("regulator").PostJson("/api/v1/org-units/500103001002/merge", new { into = "500103002001" }, ifMatch: "\"1\"");

        await response.AssertProblem(409, "org_unit.not_a_sibling");
    }
}
