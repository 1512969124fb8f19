using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Cases;

/// <summary>Out of scope answers 404 (never 403); in scope with the wrong role 403; the wrong state 409.</summary>
public sealed class CaseScopeTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Get_WhenCaseIsInAnotherGrid_Returns404()
    {
        var hazard = await app.ClientFor("grid2").Report(CaseDriver.Patrol("范围-他人网格", CaseDriver.GridTwo));

        var response = await app.ClientFor("grid").GetAsync($"/api/v1/cases/{CaseDriver.Id(hazard)}");
        var own = await app.ClientFor("grid2").GetAsync($"/api/v1/cases/{CaseDriver.Id(hazard)}");

        await response.AssertProblem(404, "case.not_found");
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task List_WhenAnotherGridReported_LeavesItsCaseOut()
    {
        await app.ClientFor("grid2").Report(CaseDriver.Patrol("范围-列表-他人", CaseDriver.GridTwo));
        await app.ClientFor("grid").Report(CaseDriver.Patrol("范围-列表-自己"));

        var page = await (await app.ClientFor("grid").GetAsync("/api/v1/cases?limit=200")).Json();

        var titles = Titles(page);
        Assert.That(titles, Does.Contain("范围-列表-自己"));
        Assert.That(titles, Does.Not.Contain("范围-列表-他人"));
    }

    [TestCase("fix")]
    [TestCase("extension")]
    public async Task Act_WhenUnitOfficerActsOnAnotherUnitsCase_Returns404AndChangesNothing(string action)
    {
        var hazard = await app.ClientFor("unit2").Report(CaseDriver.SelfCheck(CaseDriver.UnitTwo, $"范围-他人企业-{action}"));
        hazard = await app.ClientFor("officer2").Do(hazard, "assign");
        var unit = app.ClientFor("unit");
        var evidence = await unit.Upload();
        object body = action == "fix"
            ? new { note = "已整改", attachmentIds = new[] { evidence } }
            : new { until = "2026-06-30", reason = "需要采购配件" };

        var response = await unit.Act(hazard, action, body);

        await response.AssertProblem(404, "case.not_found");
        Assert.That(await StatusOf(hazard), Is.EqualTo(1), "still rectifying");
        Assert.That(await VersionOf(hazard), Is.EqualTo(2));
        Assert.That(await HistoryOf(hazard), Is.EqualTo(2));
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments WHERE id = @Id AND case_id IS NULL", new { Id = evidence }), Is.EqualTo(1));
    }

    [Test]
    public async Task Get_ByAnotherDistrictsRegulator_Returns404()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("范围-外区查看"));

        var response = await app.ClientFor("regulator2").GetAsync($"/api/v1/cases/{CaseDriver.Id(hazard)}");
        var inDistrict = await app.ClientFor("regulator").GetAsync($"/api/v1/cases/{CaseDriver.Id(hazard)}");

        await response.AssertProblem(404, "case.not_found");
        Assert.That(inDistrict.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("assign", """{"level": "general"}""")]
    [TestCase("reject", """{"reason": "不构成隐患"}""")]
    [TestCase("plan", """{"goals": "g", "measures": "m", "funds": "f", "people": "p", "timeLimit": "2026-06-30", "safetyMeasures": "s"}""")]
    [TestCase("plan/approve", "{}")]
    [TestCase("extension", """{"until": "2026-06-30", "reason": "需要采购配件"}""")]
    [TestCase("extension/decide", """{"approved": true}""")]
    [TestCase("fix", """{"note": "已整改", "attachmentIds": ["0190f0a0-0000-7000-8000-000000000001"]}""")]
    [TestCase("verify", """{"passed": true}""")]
    [TestCase("reopen", """{"reason": "假整改"}""")]
    public async Task Act_ByAnotherDistrictsRegulator_Returns404AndChangesNothing(string action, string body)
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol($"范围-外区-{action}"));

        var response = await app.ClientFor("regulator2").Act(hazard, action, JsonNode.Parse(body)!);

        await response.AssertProblem(404, "case.not_found");
        Assert.That(await VersionOf(hazard), Is.EqualTo(1));
        Assert.That(await HistoryOf(hazard), Is.EqualTo(1));
    }

    [Test]
    public async Task GetAttachment_ByAnotherDistrictsRegulator_Returns404()
    {
        var grid = app.ClientFor("grid");
        var evidence = await grid.Upload();
        await grid.Report(CaseDriver.Patrol("范围-外区附件", extra: new { attachmentIds = new[] { evidence } }));

        var response = await app.ClientFor("regulator2").GetAsync($"/api/v1/attachments/{evidence}");
        var inDistrict = await app.ClientFor("regulator").GetAsync($"/api/v1/attachments/{evidence}");

        await response.AssertProblem(404, "attachment.not_found");
        Assert.That(inDistrict.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await inDistrict.Content.ReadAsByteArrayAsync(), Is.EqualTo(CaseDriver.Png));
    }

    [Test]
    public async Task UploadToCase_WhenCaseIsInAnotherGrid_Returns404AndStoresNothing()
    {
        var hazard = await app.ClientFor("grid2").Report(CaseDriver.Patrol("范围-他人网格附件", CaseDriver.GridTwo));
        var before = await app.Count("SELECT COUNT(*) FROM attachments");

        var response = await app.ClientFor("grid").UploadRaw($"/api/v1/cases/{CaseDriver.Id(hazard)}/attachments", CaseDriver.Png, "evidence.png", "image/png");

        await response.AssertProblem(404, "case.not_found");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments"), Is.EqualTo(before));
    }

    [Test]
    public async Task Assign_ByGridWorker_Returns403RoleForbidden()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("范围-网格员交办"));

        var response = await app.ClientFor("grid").Act(hazard, "assign");

        await response.AssertProblem(403, "case.role_forbidden");
        Assert.That(await VersionOf(hazard), Is.EqualTo(1));
        Assert.That(await HistoryOf(hazard), Is.EqualTo(1));
    }

    [Test]
    public async Task ApprovePlan_ByTownshipOfficer_Returns403RoleForbidden()
    {
        var hazard = await ReportMajorWithPlan("范围-街道批方案");

        var response = await app.ClientFor("officer").Act(hazard, "plan/approve");

        await response.AssertProblem(403, "case.role_forbidden");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE id = @Id AND plan_approved = 0", new { Id = CaseDriver.Id(hazard) }), Is.EqualTo(1));
        Assert.That(await HistoryOf(hazard), Is.EqualTo(3));
    }

    [Test]
    public async Task Verify_ByUnitOfficer_Returns403RoleForbidden()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("范围-企业自己核查"));
        hazard = await app.ClientFor("officer").Do(hazard, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
        var unit = app.ClientFor("unit");
        hazard = await unit.Do(hazard, "fix", new { note = "已清理", attachmentIds = new[] { await unit.Upload() } });

        var response = await unit.Act(hazard, "verify", new { passed = true });

        await response.AssertProblem(403, "case.role_forbidden");
        Assert.That(await StatusOf(hazard, "fixSubmitted"), Is.EqualTo(1));
        Assert.That(await HistoryOf(hazard), Is.EqualTo(3));
    }

    [Test]
    public async Task Verify_MajorCaseByTownshipOfficer_Returns403()
    {
        var hazard = await ReportMajorWithPlan("范围-街道核查重大");
        hazard = await app.ClientFor("regulator").Do(hazard, "plan/approve");
        var unit = app.ClientFor("unit");
        hazard = await unit.Do(hazard, "fix", new { note = "已加装", attachmentIds = new[] { await unit.Upload() } });

        var response = await app.ClientFor("officer").Act(hazard, "verify", new { passed = true });

        await response.AssertProblem(403, "case.verify_major_requires_district");
        Assert.That(await StatusOf(hazard, "fixSubmitted"), Is.EqualTo(1));
        Assert.That(await HistoryOf(hazard), Is.EqualTo(5));
    }

    [Test]
    public async Task Verify_WhenCaseIsOnlyReported_Returns409InvalidTransition()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("范围-核查未整改"));

        var response = await app.ClientFor("officer").Act(hazard, "verify", new { passed = true });

        await response.AssertProblem(409, "case.invalid_transition");
        Assert.That(await StatusOf(hazard, "reported"), Is.EqualTo(1));
        Assert.That(await HistoryOf(hazard), Is.EqualTo(1));
    }

    [TestCase("grid")]
    [TestCase("officer")]
    public async Task Report_WhenGridIsOutsideScope_Returns404AndWritesNothing(string login)
    {
        var response = await app.ClientFor(login).PostJson("/api/v1/cases", CaseDriver.Patrol($"范围-越界网格-{login}", CaseDriver.GridTwo));

        await response.AssertProblem(404, "grid.not_found");
        Assert.That(await app.Count($"SELECT COUNT(*) FROM cases WHERE title = '范围-越界网格-{login}'"), Is.Zero);
    }

    [Test]
    public async Task Report_WhenUnitOfficerNamesAnotherUnit_Returns404AndWritesNothing()
    {
        var response = await app.ClientFor("unit").PostJson("/api/v1/cases", CaseDriver.SelfCheck(CaseDriver.UnitTwo, "范围-他人企业自查"));

        await response.AssertProblem(404, "unit.not_found");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE title = '范围-他人企业自查'"), Is.Zero);
    }

    [Test]
    public async Task Assign_WhenResponsibleUnitIsOutsideScope_Returns404AndChangesNothing()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("范围-交办越界企业"));

        var response = await app.ClientFor("officer").Act(hazard, "assign", new { responsibleUnitId = CaseDriver.UnitTwo });

        await response.AssertProblem(404, "unit.not_found");
        Assert.That(await StatusOf(hazard, "reported"), Is.EqualTo(1));
        Assert.That(await VersionOf(hazard), Is.EqualTo(1));
        Assert.That(await HistoryOf(hazard), Is.EqualTo(1));
    }

    [TestCase("officer", "500103002")]
    [TestCase("regulator2", "500103")]
    [TestCase("grid", "500103001001002")]
    public async Task List_WhenOrgUnitFilterIsOutsideScope_Returns404(string login, string orgUnit)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/cases?orgUnit={orgUnit}");

        await response.AssertProblem(404, "org_unit.not_found");
    }

    private async Task<JsonNode> ReportMajorWithPlan(string title)
    {
        var regulator = app.ClientFor("regulator");
        var hazard = await regulator.Report(new
        {
            title,
            description = "液化气储罐区未设置可燃气体报警装置",
            sector = "gas",
            origin = "regulatorInspection",
            unitId = CaseDriver.UnitOne,
            level = "major",
            standardClause = "《城镇燃气经营安全重大隐患判定标准》第四条",
        });
        hazard = await regulator.Do(hazard, "assign");
        return await app.ClientFor("unit").Do(hazard, "plan", new
        {
            goals = "消除隐患",
            measures = "加装报警装置",
            funds = "5万元",
            people = "设备科",
            timeLimit = "2026-06-30",
            safetyMeasures = "停用储罐区，设置警戒",
        });
    }

    private static List<string> Titles(JsonNode page) =>
        page["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToList();

    private Task<long> HistoryOf(JsonNode hazard) =>
        app.Count("SELECT COUNT(*) FROM case_history WHERE case_id = @Id", new { Id = CaseDriver.Id(hazard) });

    private Task<long> VersionOf(JsonNode hazard) =>
        app.Count("SELECT version FROM cases WHERE id = @Id", new { Id = CaseDriver.Id(hazard) });

    private Task<long> StatusOf(JsonNode hazard, string status = "rectifying") =>
        app.Count("SELECT COUNT(*) FROM cases WHERE id = @Id AND status = @Status", new { Id = CaseDriver.Id(hazard), Status = status });
}
