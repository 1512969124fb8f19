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
        var item = officer["overdue"]!["items"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == CaseDriver.Id(hazard))!;
        Assert.That(item["overdue"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task AssignedCase_OnlyTheResponsibleUnitsOfficersActAndSeeItToFix()
    {
        var (otherUnit, otherOfficer) = await SecondUnitOfGridOne("责任单位-乙");
        var reported = await app.ClientFor("grid").Report(CaseDriver.Patrol("责任单位-交办乙", extra: new { unitId = CaseDriver.UnitOne }));
        var assigned = await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = otherUnit });
        var unit = app.ClientFor("unit");
        var responsible = app.ClientFor(otherOfficer);

        var fix = await unit.Act(assigned, "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });
        var extension = await unit.Act(assigned, "extension", new { until = "2026-06-30", reason = "需要采购配件" });
        var unitInbox = await Tasks("unit");
        var responsibleInbox = await Tasks(otherOfficer);
        var allowed = await responsible.Act(assigned, "extension", new { until = "2026-06-30", reason = "需要采购配件" });

        await fix.AssertProblem(403, "case.not_responsible");
        await extension.AssertProblem(403, "case.not_responsible");
        Assert.That(Ids(unitInbox, "toFix"), Does.Not.Contain(CaseDriver.Id(assigned)));
        Assert.That(Ids(responsibleInbox, "toFix"), Does.Contain(CaseDriver.Id(assigned)));
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await allowed.Content.ReadAsStringAsync());
        Assert.That((await unit.GetAsync($"/api/v1/cases/{CaseDriver.Id(assigned)}")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "the case is still on unit one, whose officer reads it");
    }

    [Test]
    public async Task Inbox_AndPermission_AgreeForEveryUnitOfficerAndCase()
    {
        var (otherUnit, otherOfficer) = await SecondUnitOfGridOne("责任单位-丙");
        var grid = app.ClientFor("grid");
        var officer = app.ClientFor("officer");
        var cases = new List<JsonNode>();
        foreach (var (on, to) in new (Guid On, Guid To)[] { (CaseDriver.UnitOne, CaseDriver.UnitOne), (CaseDriver.UnitOne, otherUnit), (otherUnit, CaseDriver.UnitOne), (otherUnit, otherUnit) })
        {
            var reported = await grid.Report(CaseDriver.Patrol($"一致-{on:N}-{to:N}", extra: new { unitId = on }));
            cases.Add(await officer.Do(reported, "assign", new { responsibleUnitId = to }));
        }

        foreach (var login in new[] { "unit", otherOfficer })
        {
            var inbox = Ids(await Tasks(login), "toFix");
            foreach (var hazard in cases)
            {
                var current = await officer.Fetch(hazard);
                var probe = await app.ClientFor(login).Act(current, "extension", new { until = "2026-06-30", reason = "一致性检查" });
                var acts = probe.StatusCode == HttpStatusCode.OK;
                Assert.That(inbox.Contains(CaseDriver.Id(hazard)), Is.EqualTo(acts), $"{login} on {hazard["title"]}: inbox and permission disagree");
                if (acts)
                {
                    await officer.Do(await officer.Fetch(hazard), "extension/decide", new { approved = false, reason = "复位" });
                }
                else
                {
                    Assert.That((int)probe.StatusCode, Is.AnyOf(403, 404), await probe.Content.ReadAsStringAsync());
                }
            }
        }
    }

    [Test]
    public async Task Tasks_OverTheLimit_GiveATotalAndACursorThatReachesEveryCaseOnce()
    {
        using var own = await new HazardsApp().WithDemo();
        var grid2 = own.ClientFor("grid2");
        var expected = new List<Guid>();
        for (var i = 0; i < 52; i++)
        {
            expected.Add(CaseDriver.Id(await grid2.Report(CaseDriver.Patrol($"分页-{i}", CaseDriver.GridTwo))));
        }

        var tip = await own.ClientFor(null).PostJson("/api/v1/public/tips", new { description = "只选街道的举报", township = "500103002" });
        Assert.That(tip.StatusCode, Is.EqualTo(HttpStatusCode.Created), await tip.Content.ReadAsStringAsync());
        expected.Add(Guid.Parse(await own.Text("SELECT case_id FROM public_tips WHERE tracking_code = @Code", new { Code = (await tip.Json()).Text("trackingCode") })));
        var officer2 = own.ClientFor("officer2");

        var first = await (await officer2.GetAsync("/api/v1/me/tasks?limit=20")).Json();
        var seen = Ids(first, "toTriage");
        var cursor = first["toTriage"]!["nextCursor"]?.GetValue<string>();
        var pages = 1;
        while (cursor is not null)
        {
            var response = await officer2.GetAsync($"/api/v1/me/tasks/toTriage?limit=20&cursor={Uri.EscapeDataString(cursor)}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var page = await response.Json();
            Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(53));
            seen.AddRange(page["items"]!.AsArray().Select(c => c!["id"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }

        Assert.That(first["toTriage"]!["total"]!.GetValue<int>(), Is.EqualTo(53));
        Assert.That(first["toTriage"]!["items"]!.AsArray(), Has.Count.EqualTo(20));
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EquivalentTo(expected), "every case awaiting triage, the township-only tip among them, once each");
    }

    [TestCase("/api/v1/me/tasks?limit=0", 400, "request.invalid_limit")]
    [TestCase("/api/v1/me/tasks?limit=201", 400, "request.invalid_limit")]
    [TestCase("/api/v1/me/tasks/toFix?cursor=bm9wZQ", 400, "request.invalid_cursor")]
    [TestCase("/api/v1/me/tasks/nothing", 404, "task_list.not_found")]
    public async Task Tasks_WithABadLimitCursorOrList_AnswerAProblem(string url, int status, string code)
    {
        var response = await app.ClientFor("officer").GetAsync(url);

        await response.AssertProblem(status, code);
    }

    [Test]
    public async Task Tasks_CursorOfOneList_IsRefusedByAnother()
    {
        using var own = await new HazardsApp().WithDemo();
        for (var i = 0; i < 3; i++)
        {
            await own.ClientFor("grid2").Report(CaseDriver.Patrol($"游标-{i}", CaseDriver.GridTwo));
        }

        var first = await (await own.ClientFor("officer2").GetAsync("/api/v1/me/tasks?limit=1")).Json();
        var cursor = first["toTriage"]!["nextCursor"]!.GetValue<string>();

        var response = await own.ClientFor("officer2").GetAsync($"/api/v1/me/tasks/overdue?cursor={cursor}");

        await response.AssertProblem(400, "request.invalid_cursor");
    }

    /// <summary>
    /// A second unit in grid one, made through the API, and an officer for it. Users have no route of their own yet, so
    /// that one row (and its unit link) is written as the demo seed writes its users.
    /// </summary>
    private async Task<(Guid Unit, string Officer)> SecondUnitOfGridOne(string name)
    {
        var response = await app.ClientFor("officer").PostJson("/api/v1/units", new
        {
            name,
            gridCode = CaseDriver.GridOne,
            sectors = new[] { "fire" },
            riskColour = "blue",
            responsiblePersons = new { enterprise = new { name = "乙老板", phone = "13800000009" } },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var unitId = (await response.Json())["id"]!.GetValue<Guid>();
        var login = "officer-" + unitId.ToString("N")[^12..];
        var userId = Guid.NewGuid();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(app.ConnectionString);
        await Dapper.SqlMapper.ExecuteAsync(connection,
            "INSERT INTO users (id, login, name, email, role, org_code, created_at) VALUES (@Id, @Login, @Name, @Email, 'unitOfficer', @Org, '2026-03-02T00:00:00.0000000Z')",
            new { Id = userId.ToString(), Login = login, Name = name + "安全员", Email = login + "@hazards.example", Org = CaseDriver.GridOne });
        await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO user_units (user_id, unit_id) VALUES (@UserId, @UnitId)",
            new { UserId = userId.ToString(), UnitId = unitId.ToString() });
        return (unitId, login);
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
        tasks[section]!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();
}
