using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Cases;

/// <summary>GET /api/v1/me/tasks: each case waits in the inbox of whoever must act on it next, and nobody else's.</summary>
public sealed class MyTasksTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Tasks_WhenGridReports_ShowsInTheTownshipsToTriageOnly()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("待办-待交办"));

        var officer = await Tasks("officer");
        var officer2 = await Tasks("officer2");
        var grid = await Tasks("grid");

        Assert.That(Ids(officer, "toTriage"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(officer2, "toTriage"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(grid, "toTriage"), Is.Empty);
    }

    [Test]
    public async Task Tasks_WhenAssignedToUnit_ShowsInTheUnitsToFixAndLeavesTriage()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("待办-待整改"));

        await app.ClientFor("officer").Do(hazard, "assign", new { responsibleUnitId = CaseDriver.UnitOne });

        var unit = await Tasks("unit");
        var unit2 = await Tasks("unit2");
        var officer = await Tasks("officer");
        Assert.That(Ids(unit, "toFix"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(unit2, "toFix"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(officer, "toTriage"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(officer, "toFix"), Is.Empty);
    }

    [Test]
    public async Task Tasks_WhenUnitSubmitsFix_ShowsInVerifiersToVerifyNotTheFixers()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("待办-待核查-网格员上报"));
        var fixedCase = await AssignAndFix(hazard);

        var officer = await Tasks("officer");
        var unit = await Tasks("unit");
        var grid = await Tasks("grid");
        var grid2 = await Tasks("grid2");

        Assert.That(fixedCase.Text("status"), Is.EqualTo("fixSubmitted"));
        Assert.That(Ids(officer, "toVerify"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(unit, "toVerify"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(unit, "toFix"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(grid, "toVerify"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(grid2, "toVerify"), Does.Not.Contain(CaseDriver.Id(hazard)));
    }

    [Test]
    public async Task Tasks_WhenGridDidNotReportTheFixedCase_LeavesItOutOfGridsToVerify()
    {
        var hazard = await app.ClientFor("officer").Report(CaseDriver.Patrol("待办-待核查-街道上报"));
        await AssignAndFix(hazard);

        var officer = await Tasks("officer");
        var grid = await Tasks("grid");

        Assert.That(Ids(officer, "toVerify"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(grid, "toVerify"), Does.Not.Contain(CaseDriver.Id(hazard)));
    }

    [Test]
    public async Task Tasks_WhenMajorPlanIsSubmitted_ShowsInTheDistrictsPlansToApproveOnly()
    {
        var regulator = app.ClientFor("regulator");
        var hazard = await regulator.Report(new
        {
            title = "待办-重大方案",
            description = "液化气储罐区未设置可燃气体报警装置",
            sector = "gas",
            origin = "regulatorInspection",
            unitId = CaseDriver.UnitOne,
            level = "major",
            standardClause = "《城镇燃气经营安全重大隐患判定标准》第四条",
        });
        hazard = await regulator.Do(hazard, "assign");
        var before = await Tasks("regulator");

        await app.ClientFor("unit").Do(hazard, "plan", new
        {
            goals = "消除隐患",
            measures = "加装报警装置",
            funds = "5万元",
            people = "设备科",
            timeLimit = "2026-06-30",
            safetyMeasures = "停用储罐区，设置警戒",
        });

        var after = await Tasks("regulator");
        var officer = await Tasks("officer");
        var regulator2 = await Tasks("regulator2");
        Assert.That(Ids(before, "plansToApprove"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(after, "plansToApprove"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(officer, "plansToApprove"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(regulator2, "plansToApprove"), Does.Not.Contain(CaseDriver.Id(hazard)));
    }

    [Test]
    public async Task Tasks_WhenExtensionIsRequested_ShowsInTheAssigningOfficersExtensionsToDecide()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("待办-延期"));
        hazard = await app.ClientFor("officer").Do(hazard, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
        var until = DateOnly.FromDateTime(hazard["deadline"]!.GetValue<DateTimeOffset>().UtcDateTime).AddDays(10);

        await app.ClientFor("unit").Do(hazard, "extension", new
        {
            until = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            reason = "配件需要从外地采购",
        });

        var officer = await Tasks("officer");
        var officer2 = await Tasks("officer2");
        var unit = await Tasks("unit");
        Assert.That(Ids(officer, "extensionsToDecide"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(officer2, "extensionsToDecide"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(unit, "extensionsToDecide"), Is.Empty);
    }

    [Test]
    public async Task Tasks_WhenExtensionIsDecided_LeavesExtensionsToDecide()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("待办-延期已批"));
        var officer = app.ClientFor("officer");
        hazard = await officer.Do(hazard, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
        var until = DateOnly.FromDateTime(hazard["deadline"]!.GetValue<DateTimeOffset>().UtcDateTime).AddDays(10);
        hazard = await app.ClientFor("unit").Do(hazard, "extension", new
        {
            until = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            reason = "配件需要从外地采购",
        });

        await officer.Do(hazard, "extension/decide", new { approved = true });

        Assert.That(Ids(await Tasks("officer"), "extensionsToDecide"), Does.Not.Contain(CaseDriver.Id(hazard)));
    }

    [Test]
    public async Task Tasks_WhenTriageDeadlinePasses_ShowsInOverdue()
    {
        var hazard = await app.ClientFor("grid").Report(CaseDriver.Patrol("待办-超期"));
        var before = await Tasks("officer");

        app.Clock.Advance(TimeSpan.FromDays(3));

        var officer = await Tasks("officer");
        var grid = await Tasks("grid");
        var officer2 = await Tasks("officer2");
        Assert.That(Ids(before, "overdue"), Does.Not.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(officer, "overdue"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(grid, "overdue"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(officer2, "overdue"), Does.Not.Contain(CaseDriver.Id(hazard)));
        var item = officer["overdue"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == CaseDriver.Id(hazard))!;
        Assert.That(item["overdue"]!.GetValue<bool>(), Is.True);
    }

    private async Task<JsonNode> AssignAndFix(JsonNode hazard)
    {
        hazard = await app.ClientFor("officer").Do(hazard, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
        var unit = app.ClientFor("unit");
        var evidence = await unit.Upload();
        return await unit.Do(hazard, "fix", new { note = "已清理", attachmentIds = new[] { evidence } });
    }

    /// <summary>Each client is made now, so its token is fresh after the clock has moved.</summary>
    private async Task<JsonNode> Tasks(string login)
    {
        var response = await app.ClientFor(login).GetAsync("/api/v1/me/tasks");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static List<Guid> Ids(JsonNode tasks, string section) =>
        tasks[section]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();
}
