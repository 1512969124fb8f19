using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Cases;

public sealed class CaseListTests
{
    /// <summary>Grids no other test of this fixture reports into, so a list filtered to one holds only its test's cases.</summary>
    private const string PagingGrid = "500103003001001";
    private const string OverdueGrid = "500103003002001";
    private const string OtherDistrictGrid = "500112001001001";

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task List_FilteredByStatus_ReturnsOnlyThatStatus()
    {
        var grid = app.ClientFor("grid");
        var waiting = await grid.Report(CaseDriver.Patrol("列表-状态-待交办"));
        var assigned = await app.ClientFor("officer").Do(await grid.Report(CaseDriver.Patrol("列表-状态-整改中")), "assign");
        var regulator = app.ClientFor("regulator");

        var rectifying = await List(regulator, "status=rectifying");
        var reported = await List(regulator, "status=reported");

        Assert.That(Titles(rectifying), Does.Contain(assigned.Text("title")).And.Not.Contain(waiting.Text("title")));
        Assert.That(Titles(reported), Does.Contain(waiting.Text("title")).And.Not.Contain(assigned.Text("title")));
        Assert.That(Items(rectifying).Select(i => i.Text("status")), Is.All.EqualTo("rectifying"));
        Assert.That(Items(reported).Select(i => i.Text("status")), Is.All.EqualTo("reported"));
    }

    [Test]
    public async Task List_FilteredByLevel_ReturnsOnlyThatLevel()
    {
        var regulator = app.ClientFor("regulator");
        await regulator.Report(Inspection("列表-级别-重大", CaseDriver.GridOne, new { level = "major", standardClause = "《判定标准》第三条" }));
        await regulator.Report(Inspection("列表-级别-一般", CaseDriver.GridOne));

        var major = await List(regulator, "level=major");
        var general = await List(regulator, "level=general");

        Assert.That(Titles(major), Does.Contain("列表-级别-重大").And.Not.Contain("列表-级别-一般"));
        Assert.That(Titles(general), Does.Contain("列表-级别-一般").And.Not.Contain("列表-级别-重大"));
        Assert.That(Items(major).Select(i => i.Text("level")), Is.All.EqualTo("major"));
    }

    [Test]
    public async Task List_FilteredBySector_ReturnsOnlyThatSector()
    {
        var grid = app.ClientFor("grid");
        await grid.Report(CaseDriver.Patrol("列表-行业-燃气", extra: new { sector = "gas" }));
        await grid.Report(CaseDriver.Patrol("列表-行业-消防"));

        var gas = await List(app.ClientFor("officer"), "sector=gas");

        Assert.That(Titles(gas), Does.Contain("列表-行业-燃气").And.Not.Contain("列表-行业-消防"));
        Assert.That(Items(gas).Select(i => i.Text("sector")), Is.All.EqualTo("gas"));
    }

    [Test]
    public async Task List_FilteredByOrgUnit_ReturnsThatSubtreeOnly()
    {
        await app.ClientFor("grid").Report(CaseDriver.Patrol("列表-区划-一街道"));
        await app.ClientFor("grid2").Report(CaseDriver.Patrol("列表-区划-二街道", CaseDriver.GridTwo));
        var regulator = app.ClientFor("regulator");

        var township = await List(regulator, "orgUnit=500103001");
        var district = await List(regulator, "orgUnit=500103");
        var grid = await List(regulator, $"orgUnit={CaseDriver.GridTwo}");

        Assert.That(Titles(township), Does.Contain("列表-区划-一街道").And.Not.Contain("列表-区划-二街道"));
        Assert.That(Titles(district), Does.Contain("列表-区划-一街道").And.Contain("列表-区划-二街道"));
        Assert.That(Titles(grid), Does.Contain("列表-区划-二街道").And.Not.Contain("列表-区划-一街道"));
    }

    [Test]
    public async Task List_FilteredByListed_SplitsOnTheFlag()
    {
        await app.ClientFor("grid").Report(CaseDriver.Patrol("列表-挂牌-未挂牌"));
        var regulator = app.ClientFor("regulator");

        var notListed = await List(regulator, "listed=false");
        var listed = await List(regulator, "listed=true");

        Assert.That(Titles(notListed), Does.Contain("列表-挂牌-未挂牌"));
        Assert.That(Items(notListed).Select(i => i["listed"]!.GetValue<bool>()), Is.All.False);
        Assert.That(Titles(listed), Does.Not.Contain("列表-挂牌-未挂牌"));
    }

    [Test]
    public async Task List_FilteredByOverdue_SplitsOnTriageMissed()
    {
        await app.ClientFor("regulator").Report(Inspection("列表-超期-旧", OverdueGrid));
        app.Clock.Advance(TimeSpan.FromDays(3));
        var regulator = app.ClientFor("regulator");
        await regulator.Report(Inspection("列表-超期-新", OverdueGrid));

        var overdue = await List(regulator, $"orgUnit={OverdueGrid}&overdue=true");
        var onTime = await List(regulator, $"orgUnit={OverdueGrid}&overdue=false");

        Assert.That(Titles(overdue), Is.EqualTo(new[] { "列表-超期-旧" }));
        Assert.That(Titles(onTime), Is.EqualTo(new[] { "列表-超期-新" }));
        Assert.That(Items(overdue).Single()["overdue"]!.GetValue<bool>(), Is.True);
        Assert.That(Items(onTime).Single()["overdue"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task List_PagedByTwo_WalksEveryCaseOnceNewestFirst()
    {
        var regulator = app.ClientFor("regulator");
        var reported = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            reported.Add(CaseDriver.Id(await regulator.Report(Inspection($"列表-分页-{i}", PagingGrid))).ToString());
        }

        var pages = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await List(regulator, $"orgUnit={PagingGrid}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.Add(page);
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && pages.Count < 10);

        Assert.That(pages.Select(p => Items(p).Count), Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(pages.SelectMany(Titles), Is.EqualTo(new[] { "列表-分页-5", "列表-分页-4", "列表-分页-3", "列表-分页-2", "列表-分页-1" }));
        Assert.That(pages.SelectMany(p => Items(p).Select(i => i.Text("id"))), Is.EquivalentTo(reported));
        Assert.That(pages[^1]["nextCursor"], Is.Null);
        Assert.That(pages[0]["nextCursor"], Is.Not.Null);
    }

    [Test]
    public async Task List_ContinuedAfterANewReport_KeepsTheCursorsPlace()
    {
        const string grid = "500103003001002";
        var regulator = app.ClientFor("regulator");
        for (var i = 1; i <= 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await regulator.Report(Inspection($"列表-游标-{i}", grid));
        }

        var first = await List(regulator, $"orgUnit={grid}&limit=2");
        var again = await List(regulator, $"orgUnit={grid}&limit=2");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await regulator.Report(Inspection("列表-游标-新", grid));

        var second = await List(regulator, $"orgUnit={grid}&limit=2&cursor={first.Text("nextCursor")}");

        Assert.That(again.Text("nextCursor"), Is.EqualTo(first.Text("nextCursor")));
        Assert.That(Titles(first), Is.EqualTo(new[] { "列表-游标-3", "列表-游标-2" }));
        Assert.That(Titles(second), Is.EqualTo(new[] { "列表-游标-1" }));
        Assert.That(second["nextCursor"], Is.Null);
    }

    [Test]
    public async Task List_AnswersItemsAndNextCursorWithTheCaseFields()
    {
        var grid = app.ClientFor("grid");
        var hazard = await grid.Report(CaseDriver.Patrol("列表-形状"));

        var page = await List(grid, "limit=200");
        var one = await grid.Fetch(hazard);

        Assert.That(page.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "items", "nextCursor" }));
        var item = Items(page).Single(i => i.Text("title") == "列表-形状").AsObject();
        Assert.That(item.Select(p => p.Key), Is.SupersetOf(new[]
        {
            "id", "code", "status", "level", "sector", "origin", "deadline", "overdue", "escalationStep", "listed", "penalty", "version",
        }));
        Assert.That(item["id"]!.GetValue<Guid>(), Is.EqualTo(CaseDriver.Id(hazard)));
        Assert.That(item.Text("code"), Does.Match(@"^YH-500103-2026-\d{6}$"));
        Assert.That(item.Text("status"), Is.EqualTo("reported"));
        Assert.That(item.Text("level"), Is.EqualTo("general"));
        Assert.That(item.Text("sector"), Is.EqualTo("fire"));
        Assert.That(item.Text("origin"), Is.EqualTo("gridPatrol"));
        Assert.That(item["deadline"], Is.Null);
        Assert.That(item["overdue"]!.GetValue<bool>(), Is.False);
        Assert.That(item["escalationStep"]!.GetValue<int>(), Is.Zero);
        Assert.That(item["listed"]!.GetValue<bool>(), Is.False);
        Assert.That(item.Text("penalty"), Is.EqualTo("none"));
        Assert.That(item["version"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(item["history"], Is.Null);
        Assert.That(one["history"], Is.InstanceOf<JsonArray>());
        Assert.That(one["history"]!.AsArray().Select(h => h!.Text("action")), Is.EqualTo(new[] { "report" }));
    }

    [Test]
    public async Task Report_InOneDistrict_TakesConsecutiveCodesAndFailuresConsumeNone()
    {
        var regulator = app.ClientFor("regulator");
        var first = Number(await regulator.Report(Inspection("列表-编号-1", CaseDriver.GridOne)));
        var second = Number(await regulator.Report(Inspection("列表-编号-2", CaseDriver.GridOne)));

        var invalid = await regulator.PostJson("/api/v1/cases", new { title = "列表-编号-无描述", sector = "fire", origin = "spotCheck", gridCode = CaseDriver.GridOne });
        var badEvidence = await regulator.PostJson("/api/v1/cases", Inspection("列表-编号-坏证据", CaseDriver.GridOne, new { attachmentIds = new[] { Guid.NewGuid() } }));
        var third = Number(await regulator.Report(Inspection("列表-编号-3", CaseDriver.GridOne)));

        await invalid.AssertProblem(400, "validation.failed");
        await badEvidence.AssertProblem(400, "case.evidence_invalid");
        Assert.That(second, Is.EqualTo(first + 1));
        Assert.That(third, Is.EqualTo(second + 1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE title IN ('列表-编号-无描述', '列表-编号-坏证据')"), Is.Zero);
    }

    [Test]
    public async Task Report_InAnotherDistrict_NumbersFromThatDistrictsOwnSequence()
    {
        var regulator2 = app.ClientFor("regulator2");

        var first = await regulator2.Report(Inspection("列表-编号-渝北-1", OtherDistrictGrid));
        var second = await regulator2.Report(Inspection("列表-编号-渝北-2", OtherDistrictGrid));

        Assert.That(first.Text("code"), Is.EqualTo("YH-500112-2026-000001"));
        Assert.That(second.Text("code"), Is.EqualTo("YH-500112-2026-000002"));
    }

    private static object Inspection(string title, string grid, object? extra = null) =>
        CaseDriver.Patrol(title, grid, extra is null ? new { origin = "regulatorInspection" } : Merge(new { origin = "regulatorInspection" }, extra));

    private static JsonObject Merge(object first, object second)
    {
        var merged = System.Text.Json.JsonSerializer.SerializeToNode(first, Http.Options)!.AsObject();
        foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(second, Http.Options)!.AsObject())
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private static int Number(JsonNode hazard) =>
        int.Parse(hazard.Text("code")[^6..], CultureInfo.InvariantCulture);

    private static async Task<JsonNode> List(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/cases?{query}" + (query.Contains("limit=", StringComparison.Ordinal) ? "" : "&limit=200"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static List<JsonNode> Items(JsonNode page) => page["items"]!.AsArray().Select(i => i!).ToList();

    private static List<string> Titles(JsonNode page) => Items(page).Select(i => i.Text("title")).ToList();
}
