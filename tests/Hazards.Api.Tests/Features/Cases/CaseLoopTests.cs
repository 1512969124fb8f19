using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Cases;

/// <summary>The closed loop of design §4 walked end to end through the HTTP surface by the demo users.</summary>
public sealed class CaseLoopTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task GeneralHazard_ReportAssignFixVerify_ClosesWithFullHistory()
    {
        var grid = app.ClientFor("grid");
        var officer = app.ClientFor("officer");
        var unit = app.ClientFor("unit");

        var reported = await grid.Report(Patrol("一般隐患闭环", extra: new { unitId = UnitOne }));
        var assigned = await officer.Do(reported, "assign", new { responsibleUnitId = UnitOne });
        var evidence = await unit.Upload();
        var fixedCase = await unit.Do(assigned, "fix", new { note = "已清理杂物", attachmentIds = new[] { evidence } });
        var closed = await officer.Do(fixedCase, "verify", new { passed = true, note = "现场核查通过" });

        Assert.That(reported.Text("status"), Is.EqualTo("reported"));
        Assert.That(reported.Text("code"), Does.Match(@"^YH-500103-2026-\d{6}$"));
        Assert.That(reported["triageDeadline"], Is.Not.Null);
        Assert.That(assigned.Text("status"), Is.EqualTo("rectifying"));
        Assert.That(assigned["deadline"], Is.Not.Null);
        Assert.That(fixedCase.Text("status"), Is.EqualTo("fixSubmitted"));
        Assert.That(closed.Text("status"), Is.EqualTo("closed"));
        Assert.That(closed["version"]!.GetValue<int>(), Is.EqualTo(4));
        var history = closed["history"]!.AsArray();
        Assert.That(history.Select(h => h!.Text("action")), Is.EqualTo(new[] { "report", "assign", "submitFix", "verifyPass" }));
        Assert.That(history.Select(h => h!.Text("actor")), Is.EqualTo(new[] { "grid", "officer", "unit", "officer" }));
        Assert.That(history.Select(h => h!["from"]?.GetValue<string>()), Is.EqualTo(new[] { null, "reported", "rectifying", "fixSubmitted" }));
        Assert.That(history[2]!["evidenceIds"]!.AsArray().Select(e => e!.GetValue<Guid>()), Is.EqualTo(new[] { evidence }));
        Assert.That(history[3]!.Text("reason"), Is.EqualTo("现场核查通过"));
        Assert.That(await app.Count("SELECT COUNT(*) FROM case_history WHERE case_id = @Id", new { Id = Id(closed).ToString() }), Is.EqualTo(4));
    }

    [Test]
    public async Task MajorHazard_PlanApprovalFixAndDistrictVerification_Closes()
    {
        var regulator = app.ClientFor("regulator");
        var unit = app.ClientFor("unit");

        var reported = await regulator.Report(new
        {
            title = "液化气储罐安全阀失效",
            description = "检查发现储罐安全阀锈死",
            sector = "gas",
            origin = "regulatorInspection",
            unitId = UnitOne,
            level = "major",
            standardClause = "建城规〔2023〕4号 第三条",
        });
        var assigned = await regulator.Do(reported, "assign", new { responsibleUnitId = UnitOne });
        var planned = await unit.Do(assigned, "plan", new
        {
            goals = "更换安全阀并检测",
            measures = "停用储罐，更换安全阀",
            funds = "5万元",
            people = "企业负责人张三",
            timeLimit = "2026-04-30",
            safetyMeasures = "设置警戒区，制定应急预案",
        });
        var approved = await regulator.Do(planned, "plan/approve");
        var evidence = await unit.Upload();
        var fixedCase = await unit.Do(approved, "fix", new { note = "已更换", attachmentIds = new[] { evidence } });
        var closed = await regulator.Do(fixedCase, "verify", new { passed = true });

        Assert.That(reported.Text("level"), Is.EqualTo("major"));
        Assert.That(reported.Text("penalty"), Is.EqualTo("aggravated"));
        Assert.That(planned["plan"]!["approved"]!.GetValue<bool>(), Is.False);
        Assert.That(approved["plan"]!["approved"]!.GetValue<bool>(), Is.True);
        Assert.That(approved.Text("deadline"), Is.EqualTo("2026-04-30T15:59:59Z"));
        Assert.That(closed.Text("status"), Is.EqualTo("closed"));
        Assert.That(closed.Text("penalty"), Is.EqualTo("aggravated"));
    }

    [Test]
    public async Task MajorHazard_FixBeforePlanApproval_Returns409()
    {
        var regulator = app.ClientFor("regulator");
        var unit = app.ClientFor("unit");
        var reported = await regulator.Report(new
        {
            title = "未批方案先整改", description = "测试", sector = "gas", origin = "regulatorInspection",
            unitId = UnitOne, level = "major", standardClause = "建城规〔2023〕4号",
        });
        var assigned = await regulator.Do(reported, "assign", new { });
        var evidence = await unit.Upload();

        var response = await unit.Act(assigned, "fix", new { attachmentIds = new[] { evidence } });

        await response.AssertProblem(409, "case.plan_not_approved");
        Assert.That((await unit.Fetch(assigned)).Text("status"), Is.EqualTo("rectifying"));
    }

    [Test]
    public async Task SelfCheckFixedOnTime_IsExemptFromPenalty()
    {
        var unit = app.ClientFor("unit");
        var officer = app.ClientFor("officer");

        var reported = await unit.Report(SelfCheck(UnitOne, "自查自报自改"));
        var assigned = await officer.Do(reported, "assign", new { });
        var fixedCase = await unit.Do(assigned, "fix", new { attachmentIds = new[] { await unit.Upload() } });
        var closed = await officer.Do(fixedCase, "verify", new { passed = true });

        Assert.That(reported["selfReported"]!.GetValue<bool>(), Is.True);
        Assert.That(reported.Text("penalty"), Is.EqualTo("none"));
        Assert.That(closed.Text("penalty"), Is.EqualTo("exempt"));
    }

    [Test]
    public async Task FixedOnSpot_StartsAtFixSubmittedAndTheReporterCannotVerifyIt()
    {
        var grid = app.ClientFor("grid");
        var officer = app.ClientFor("officer");
        var evidence = await grid.Upload();

        var reported = await grid.Report(Patrol("立查立改", extra: new { fixedOnSpot = true, attachmentIds = new[] { evidence } }));
        var ownVerify = await grid.Act(reported, "verify", new { passed = true });
        var closed = await officer.Do(reported, "verify", new { passed = true });

        Assert.That(reported.Text("status"), Is.EqualTo("fixSubmitted"));
        Assert.That(reported["fixedOnSpot"]!.GetValue<bool>(), Is.True);
        await ownVerify.AssertProblem(409, "case.verifier_submitted_fix");
        Assert.That(closed.Text("status"), Is.EqualTo("closed"));
    }

    [Test]
    public async Task FixedOnSpot_WithoutEvidence_Returns409AndCreatesNothing()
    {
        var response = await app.ClientFor("grid").PostJson("/api/v1/cases", Patrol("无证据立改", extra: new { fixedOnSpot = true }));

        await response.AssertProblem(409, "case.evidence_required");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE title = '无证据立改'"), Is.Zero);
    }

    [Test]
    public async Task GridWorker_RechecksTheGeneralCaseTheyReported()
    {
        var grid = app.ClientFor("grid");
        var officer = app.ClientFor("officer");
        var reported = await grid.Report(Patrol("网格员复核"));
        var assigned = await officer.Do(reported, "assign", new { responsibleUnitId = UnitOne });
        var unit = app.ClientFor("unit");
        var fixedCase = await unit.Do(assigned, "fix", new { attachmentIds = new[] { await unit.Upload() } });

        var closed = await grid.Do(fixedCase, "verify", new { passed = true, note = "复核通过" });

        Assert.That(closed.Text("status"), Is.EqualTo("closed"));
    }

    [Test]
    public async Task FailedVerification_SendsBackForReworkAndCountsIt()
    {
        var grid = app.ClientFor("grid");
        var officer = app.ClientFor("officer");
        var unit = app.ClientFor("unit");
        var assigned = await officer.Do(await grid.Report(Patrol("返工")), "assign", new { responsibleUnitId = UnitOne });
        var fixedCase = await unit.Do(assigned, "fix", new { attachmentIds = new[] { await unit.Upload() } });

        var failed = await officer.Do(fixedCase, "verify", new { passed = false, note = "杂物仍未清理" });

        Assert.That(failed.Text("status"), Is.EqualTo("rectifying"));
        Assert.That(failed["reworkCount"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(failed.Text("deadline"), Is.EqualTo(assigned.Text("deadline")));
    }

    [Test]
    public async Task Reject_AsDuplicate_IsFinalAndNamesTheOriginal()
    {
        var grid = app.ClientFor("grid");
        var officer = app.ClientFor("officer");
        var original = await grid.Report(Patrol("原始报告"));
        var duplicate = await grid.Report(Patrol("重复报告"));

        var rejected = await officer.Do(duplicate, "reject", new { reason = "重复上报", duplicateOf = Id(original) });
        var assignAfter = await officer.Act(rejected, "assign", new { });

        Assert.That(rejected.Text("status"), Is.EqualTo("rejected"));
        Assert.That(rejected["duplicateOf"]!.GetValue<Guid>(), Is.EqualTo(Id(original)));
        Assert.That(rejected.Text("rejectReason"), Is.EqualTo("重复上报"));
        await assignAfter.AssertProblem(409, "case.invalid_transition");
    }

    [Test]
    public async Task Extension_RequestedAndApproved_MovesTheDeadlineAndCounts()
    {
        var officer = app.ClientFor("officer");
        var unit = app.ClientFor("unit");
        var assigned = await officer.Do(await unit.Report(SelfCheck(UnitOne, "延期")), "assign", new { });

        var requested = await unit.Do(assigned, "extension", new { until = "2026-04-30", reason = "设备需订购" });
        var decided = await officer.Do(requested, "extension/decide", new { approved = true, reason = "同意" });

        Assert.That(requested["pendingExtension"]!.Text("until"), Is.EqualTo("2026-04-30"));
        Assert.That(decided["pendingExtension"], Is.Null);
        Assert.That(decided["extensionCount"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(decided.Text("deadline"), Is.EqualTo("2026-04-30T15:59:59Z"));
    }

    [Test]
    public async Task Reopen_AfterSpotCheckFindsFakeFix_MarksTheCase()
    {
        var grid = app.ClientFor("grid");
        var officer = app.ClientFor("officer");
        var unit = app.ClientFor("unit");
        var regulator = app.ClientFor("regulator");
        var assigned = await officer.Do(await grid.Report(Patrol("假整改")), "assign", new { responsibleUnitId = UnitOne });
        var fixedCase = await unit.Do(assigned, "fix", new { attachmentIds = new[] { await unit.Upload() } });
        var closed = await officer.Do(fixedCase, "verify", new { passed = true });

        var byOfficer = await officer.Act(closed, "reopen", new { reason = "抽查" });
        var reopened = await regulator.Do(closed, "reopen", new { reason = "抽查发现杂物复堆" });

        await byOfficer.AssertProblem(403, "case.role_forbidden");
        Assert.That(reopened.Text("status"), Is.EqualTo("rectifying"));
        Assert.That(reopened["fakeRectification"]!.GetValue<bool>(), Is.True);
        Assert.That(reopened.Text("penalty"), Is.EqualTo("aggravated"));
        Assert.That(reopened["closedAt"], Is.Null);
    }

    [TestCase("officer", 403, "case.major_requires_district")]
    [TestCase("regulator", 409, "case.major_requires_clause")]
    public async Task Assign_AsMajor_NeedsADistrictRegulatorCitingAClause(string login, int status, string code)
    {
        var reported = await app.ClientFor("grid").Report(Patrol($"升级为重大{login}"));

        var response = await app.ClientFor(login).Act(reported, "assign", new { level = "major" });

        await response.AssertProblem(status, code);
        Assert.That((await app.ClientFor("grid").Fetch(reported)).Text("status"), Is.EqualTo("reported"));
    }

    [Test]
    public async Task Verify_MajorCaseByTownshipOfficer_Returns403()
    {
        var regulator = app.ClientFor("regulator");
        var unit = app.ClientFor("unit");
        var reported = await regulator.Report(new
        {
            title = "乡镇核查重大", description = "测试", sector = "fire", origin = "regulatorInspection",
            unitId = UnitOne, level = "major", standardClause = "GB 35181-2017 5.1",
        });
        var planned = await unit.Do(await regulator.Do(reported, "assign", new { }), "plan", new
        {
            goals = "g", measures = "m", funds = "f", people = "p", timeLimit = "2026-05-01", safetyMeasures = "s",
        });
        var fixedCase = await unit.Do(await regulator.Do(planned, "plan/approve"), "fix", new { attachmentIds = new[] { await unit.Upload() } });

        var response = await app.ClientFor("officer").Act(fixedCase, "verify", new { passed = true });

        await response.AssertProblem(403, "case.verify_major_requires_district");
    }

    [Test]
    public async Task Response_OfEveryAction_HasTheShapeOfGetCase()
    {
        var grid = app.ClientFor("grid");
        var reported = await grid.Report(Patrol("形状"));

        var assigned = await app.ClientFor("officer").Do(reported, "assign", new { });
        var fetched = await grid.Fetch(assigned);

        Assert.That(((JsonObject)assigned).Select(p => p.Key), Is.EqualTo(((JsonObject)fetched).Select(p => p.Key)));
        Assert.That(assigned.ToJsonString(), Is.EqualTo(fetched.ToJsonString()));
        Assert.That(fetched["history"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(new[] { "id", "code", "status", "level", "sector", "origin", "deadline", "overdue", "escalationStep", "listed", "penalty", "version" },
            Is.SubsetOf(((JsonObject)fetched).Select(p => p.Key)));
        var get = await grid.GetAsync($"/api/v1/cases/{Id(reported)}");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(get.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
    }
}
