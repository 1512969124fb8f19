using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Features.Supervision.SupervisionDriver;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Supervision;

/// <summary>真查: draws over closed cases, their audit, the task inbox, and what a finding does to a case.</summary>
public sealed class SpotCheckTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Draw_WhenReadBack_RederivesFromItsRecordAndASecondDrawWithTheSeedMatches()
    {
        for (var i = 0; i < 6; i++)
        {
            await app.ClosedByOfficer($"抽查样本{i}");
        }

        var draw = await app.Draw(Today(count: 3, seed: "audit-2026-03"));
        await FindGenuine(draw);
        var again = await app.Draw(Today(count: 3, seed: "audit-2026-03"));
        await FindGenuine(again);
        var record = await (await app.ClientFor("regulator").GetAsync($"/api/v1/spot-checks/{draw.Text("id")}")).Json();

        Assert.That(DrawnIds(draw), Has.Count.EqualTo(3).And.Unique);
        Assert.That(DrawnIds(again), Is.EqualTo(DrawnIds(draw)));
        Assert.That(record.Text("seed"), Is.EqualTo("audit-2026-03"));
        Assert.That(record["populationSize"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(record.Text("drawnBy"), Is.EqualTo("regulator"));
        Assert.That(record["weights"]!.ToJsonString(), Is.EqualTo("""{"base":1,"selfVerified":2,"fixedOnSpot":2}"""));
        Assert.That(record["rederive"]!["matches"]!.GetValue<bool>(), Is.True);
        Assert.That(record["rederive"]!["recomputed"]!.AsArray().Select(i => i!.GetValue<Guid>()), Is.EqualTo(DrawnIds(draw)));
        Assert.That(record.Text("populationHash"), Is.EqualTo(again.Text("populationHash")));
    }

    [Test]
    public async Task Draw_AfterMoreCasesCloseAndOneReopens_StillRederivesFromTheStoredPopulation()
    {
        for (var i = 0; i < 4; i++)
        {
            await app.ClosedByOfficer($"存量样本{i}");
        }

        var draw = await app.Draw(Today(count: 2));
        var first = await app.ClientFor("regulator").Fetch(JsonNode.Parse($$"""{"id":"{{DrawnIds(draw)[0]}}"}""")!);
        await app.ClientFor("regulator").Do(first, "spot-check", new { genuine = false, note = "假整改", attachmentIds = new[] { await app.ClientFor("regulator").Upload() } });
        await app.ClosedByOfficer("抽取后新销号");

        var record = await (await app.ClientFor("regulator").GetAsync($"/api/v1/spot-checks/{draw.Text("id")}")).Json();

        Assert.That(record["populationSize"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(record["rederive"]!["populationHashMatches"]!.GetValue<bool>(), Is.True);
        Assert.That(record["rederive"]!["drawMatches"]!.GetValue<bool>(), Is.True);
        Assert.That(record["seed"]!.GetValue<string>(), Has.Length.EqualTo(32));
    }

    [Test]
    public async Task Draw_OverManySeeds_FavoursSelfVerifiedAndFixedOnSpotCases()
    {
        var heavy = new HashSet<Guid>();
        for (var i = 0; i < 4; i++)
        {
            await app.ClosedByOfficer($"普通{i}");
            await app.ClosedByOfficer($"普通乙{i}");
            heavy.Add(CaseDriver.Id(await app.SelfVerified($"自核{i}")));
            heavy.Add(CaseDriver.Id(await app.FixedOnSpot($"立改{i}")));
        }

        var drawn = new List<Guid>();
        for (var seed = 0; seed < 40; seed++)
        {
            // A drawn case is not drawn again while its task is pending, so each draw's findings are recorded first.
            var draw = await app.Draw(Today(count: 4, seed: $"weights-{seed}"));
            drawn.AddRange(DrawnIds(draw));
            await FindGenuine(draw);
        }

        var weights = (await app.Draw(Today(count: 16)))["cases"]!.AsArray()
            .ToDictionary(c => c!["caseId"]!.GetValue<Guid>(), c => c!["weight"]!.GetValue<int>());
        // Half the 16 cases weigh 3, half 1: drawn at random they would be half of the 160 draws, weighted
        // about 70%; the seeds are fixed, so this count is the same on every run.
        Assert.That(drawn.Count(heavy.Contains), Is.GreaterThan(100));
        Assert.That(heavy.Select(id => weights[id]), Has.All.EqualTo(3));
        Assert.That(weights.Where(w => !heavy.Contains(w.Key)).Select(w => w.Value), Has.All.EqualTo(1));
    }

    [Test]
    public async Task Draw_ByRate_RoundsUp()
    {
        for (var i = 0; i < 5; i++)
        {
            await app.ClosedByOfficer($"比例{i}");
        }

        var draw = await app.Draw(Today(rate: 0.5));

        Assert.That(DrawnIds(draw), Has.Count.EqualTo(3));
        Assert.That(draw["rate"]!.GetValue<decimal>(), Is.EqualTo(0.5m));
    }

    [Test]
    public async Task Draw_WhenNothingClosedInThePeriod_Returns409()
    {
        var response = await app.ClientFor("regulator").PostJson("/api/v1/spot-checks", Today(count: 3));

        await response.AssertProblem(409, "spot_check.population_empty");
        Assert.That(await app.Count("SELECT COUNT(*) FROM spot_check_draws"), Is.Zero);
    }

    [TestCase("""{"orgUnit":"500103001","from":"2026-03-02","to":"2026-03-02","count":3,"rate":0.5}""")]
    [TestCase("""{"orgUnit":"500103001","from":"2026-03-02","to":"2026-03-02"}""")]
    [TestCase("""{"orgUnit":"500103001","from":"2026-03-02","to":"2026-03-02","rate":1.5}""")]
    [TestCase("""{"orgUnit":"500103001","from":"2026-03-05","to":"2026-03-02","count":1}""")]
    [TestCase("""{"orgUnit":"500103001","from":"2026-03-02","to":"2026-03-02","count":1,"seed":"no spaces"}""")]
    public async Task Draw_WhenTheBodyIsInvalid_Returns400(string body)
    {
        var response = await app.ClientFor("regulator").PostRaw("/api/v1/spot-checks", body);

        await response.AssertProblem(400, "validation.failed");
    }

    [TestCase("officer", 403, "spot_check.forbidden")]
    [TestCase("regulator2", 404, "org_unit.not_found")]
    public async Task Draw_OutsideTheRoleOrScope_IsRefused(string login, int status, string code)
    {
        await app.ClosedByOfficer("越权抽查");

        var response = await app.ClientFor(login).PostJson("/api/v1/spot-checks", Today(count: 1));

        await response.AssertProblem(status, code);
    }

    [Test]
    public async Task DrawnCase_WaitsInTheRegulatorsTasksUntilTheFindingIsRecorded()
    {
        var closed = await app.ClosedByOfficer("待抽查");
        await app.Draw(Today(count: 1));

        var before = await app.Tasks("regulator");
        var officerTasks = await app.Tasks("officer");
        var regulator2Tasks = await app.Tasks("regulator2");
        var genuine = await app.ClientFor("regulator").Do(closed, "spot-check",
            new { genuine = true, note = "现场核实整改到位", attachmentIds = new[] { await app.ClientFor("regulator").Upload() } });
        var after = await app.Tasks("regulator");

        Assert.That(Ids(before, "spotChecks"), Is.EqualTo(new[] { CaseDriver.Id(closed) }));
        Assert.That(Ids(officerTasks, "spotChecks"), Is.Empty);
        Assert.That(Ids(regulator2Tasks, "spotChecks"), Is.Empty);
        Assert.That(Ids(after, "spotChecks"), Is.Empty);
        Assert.That(genuine.Text("status"), Is.EqualTo("closed"));
        Assert.That(genuine["fakeRectification"]!.GetValue<bool>(), Is.False);
        var last = genuine["history"]!.AsArray().Last()!;
        Assert.That(last.Text("action"), Is.EqualTo("spotCheckGenuine"));
        Assert.That(last["details"]!.Text("closedBy"), Is.EqualTo("officer"));
        Assert.That(last["evidenceIds"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(await app.Text("SELECT finding FROM spot_check_tasks WHERE case_id = @Id", new { Id = CaseDriver.Id(closed).ToString() }), Is.EqualTo("genuine"));
    }

    [Test]
    public async Task NotGenuine_ReopensAsFakeCountedAgainstUnitVerifierAndDistrict_AndRestartsTheLadder()
    {
        var reported = await app.ClientFor("grid").Report(CaseDriver.Patrol("假整改", extra: new { unitId = CaseDriver.UnitOne }));
        var assigned = await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
        await app.SweepOn("2026-03-09");
        var unit = app.ClientFor("unit");
        var fixedCase = await unit.Do(await unit.Fetch(assigned), "fix", new { attachmentIds = new[] { await unit.Upload() } });
        var closed = await app.ClientFor("officer").Do(fixedCase, "verify", new { passed = true });
        await app.Draw(new { orgUnit = "500103", from = "2026-03-09", to = "2026-03-09", count = 1 });
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero));

        var reopened = await app.ClientFor("regulator").Do(closed, "spot-check",
            new { genuine = false, note = "通道再次被堵，整改不实", attachmentIds = new[] { await app.ClientFor("regulator").Upload() } });
        var sweep = await app.SweepOn("2026-03-16");

        Assert.That(reopened.Text("status"), Is.EqualTo("rectifying"));
        Assert.That(reopened["fakeRectification"]!.GetValue<bool>(), Is.True);
        Assert.That(reopened.Text("penalty"), Is.EqualTo("aggravated"));
        Assert.That(reopened["escalationStep"]!.GetValue<int>(), Is.Zero);
        Assert.That(reopened.Text("deadline"), Is.EqualTo("2026-03-19T15:59:59Z"));
        var last = reopened["history"]!.AsArray().Last()!;
        Assert.That(last.Text("action"), Is.EqualTo("reopen"));
        Assert.That(last["details"]!.Text("closedBy"), Is.EqualTo("officer"));
        Assert.That(last["details"]!.Text("spotCheck"), Is.EqualTo("notGenuine"));
        var id = new { Id = CaseDriver.Id(closed).ToString() };
        Assert.That(await app.Text("SELECT finding || '|' || verified_by || '|' || unit_id || '|' || district_code FROM spot_check_tasks WHERE case_id = @Id", id),
            Is.EqualTo($"notGenuine|officer|{CaseDriver.UnitOne}|500103"));
        Assert.That(sweep.Notices, Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(DISTINCT subject_round) FROM escalation_notices WHERE case_id = @Id AND subject_kind = 'fix' AND step = 0", id),
            Is.EqualTo(2));
        Assert.That(Ids(await app.Tasks("unit"), "toFix"), Does.Contain(CaseDriver.Id(closed)));
    }

    /// <summary>Records a genuine finding on every case of a draw, so that its cases may be drawn again.</summary>
    private async Task FindGenuine(JsonNode draw)
    {
        var regulator = app.ClientFor("regulator");
        foreach (var id in DrawnIds(draw))
        {
            var hazard = await regulator.Fetch(JsonNode.Parse($$"""{"id":"{{id}}"}""")!);
            await regulator.Do(hazard, "spot-check", new { genuine = true, note = "属实", attachmentIds = new[] { await regulator.Upload() } });
        }
    }

    [Test]
    public async Task SecondDraw_LeavesOutACaseStillPending_SaysSo_AndItsFindingCountsOnce()
    {
        using var own = await new HazardsApp().WithDemo();
        var pending = await own.ClosedByOfficer("两次抽查-甲");
        var first = await own.Draw(Today(rate: 1));
        var later = await own.ClosedByOfficer("两次抽查-乙");

        var second = await own.Draw(Today(rate: 1));
        var regulator = own.ClientFor("regulator");
        await regulator.Do(pending, "spot-check",
            new { genuine = false, note = "整改不实", attachmentIds = new[] { await regulator.Upload() } });
        var report = await Hazards.Api.Tests.Features.Reports.ReportCity.Get(own, "regulator", "orgUnit=500103&from=2026-03-02");
        var readBack = await (await regulator.GetAsync($"/api/v1/spot-checks/{second.Text("id")}")).Json();

        Assert.That(DrawnIds(first), Is.EqualTo(new[] { CaseDriver.Id(pending) }));
        Assert.That(DrawnIds(second), Is.EqualTo(new[] { CaseDriver.Id(later) }), "the pending case is not drawn again");
        Assert.That(second["populationSize"]!.GetValue<int>(), Is.EqualTo(1));
        var excluded = second["excluded"]!.AsArray().Single()!;
        Assert.That(excluded["caseId"]!.GetValue<Guid>(), Is.EqualTo(CaseDriver.Id(pending)));
        Assert.That(excluded.Text("code"), Is.EqualTo(pending.Text("code")));
        Assert.That(excluded.Text("pendingDrawId"), Is.EqualTo(first.Text("id")));
        Assert.That(readBack["excluded"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(readBack["rederive"]!["matches"]!.GetValue<bool>(), Is.True);
        Assert.That(await own.Count("SELECT COUNT(*) FROM spot_check_tasks WHERE case_id = @Id", new { Id = CaseDriver.Id(pending).ToString() }), Is.EqualTo(1));
        var summary = report["summary"]!;
        Assert.That(summary["spotChecks"]!["checked"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(summary["spotChecks"]!["fakeFixes"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(summary["activity"]!["reopens"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(report["fakeFixes"]!["byVerifier"]!.AsArray().Single()!["count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(report["fakeFixes"]!["byUnit"]!.AsArray().Single()!["count"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Draw_WhenEveryClosedCaseIsStillPending_Returns409()
    {
        using var own = await new HazardsApp().WithDemo();
        await own.ClosedByOfficer("全部待查");
        await own.Draw(Today(rate: 1));

        var response = await own.ClientFor("regulator").PostJson("/api/v1/spot-checks", Today(rate: 1));

        await response.AssertProblem(409, "spot_check.population_empty");
        Assert.That(await own.Count("SELECT COUNT(*) FROM spot_check_draws"), Is.EqualTo(1));
    }

    [Test]
    public async Task Finding_WhenTheCaseWasNotDrawn_Returns409AndChangesNothing()
    {
        var closed = await app.ClosedByOfficer("未抽中");

        var response = await app.ClientFor("regulator").Act(closed, "spot-check",
            new { genuine = false, note = "自行检查", attachmentIds = new[] { await app.ClientFor("regulator").Upload() } });

        await response.AssertProblem(409, "spot_check.not_drawn");
        Assert.That((await app.ClientFor("regulator").Fetch(closed)).Text("status"), Is.EqualTo("closed"));
    }

    [TestCase("officer", 403, "case.role_forbidden")]
    [TestCase("regulator2", 404, "case.not_found")]
    public async Task Finding_OutsideTheRoleOrScope_IsRefused(string login, int status, string code)
    {
        var closed = await app.ClosedByOfficer("越权核查");
        await app.Draw(Today(count: 1));
        var client = app.ClientFor(login);

        var response = await client.Act(closed, "spot-check", new { genuine = true, attachmentIds = new[] { await client.Upload() } });

        await response.AssertProblem(status, code);
    }

    [Test]
    public async Task DrawRecord_OutsideScope_Returns404_AndBelowTheDistrict_Returns403()
    {
        await app.ClosedByOfficer("记录范围");
        var draw = await app.Draw(Today(count: 1));

        var regulator2 = await app.ClientFor("regulator2").GetAsync($"/api/v1/spot-checks/{draw.Text("id")}");
        var officer2 = await app.ClientFor("officer2").GetAsync($"/api/v1/spot-checks/{draw.Text("id")}");
        var officer = await app.ClientFor("officer").GetAsync($"/api/v1/spot-checks/{draw.Text("id")}");

        await regulator2.AssertProblem(404, "spot_check.not_found");
        await officer2.AssertProblem(404, "spot_check.not_found");
        await officer.AssertProblem(403, "spot_check.forbidden");
    }
}
