using System.Globalization;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Cases;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// Design §5: deadlines end at 23:59:59 Asia/Shanghai (15:59:59Z) of the Nth working day counted from the day
/// after the event. The shared app stands still at <see cref="HazardsApp.DefaultStart"/>, Monday 2026-03-02
/// 09:00 local, a plain working week with no holiday in March; tests that move or set the clock start their own.
/// </summary>
public sealed class CaseDeadlineTests
{
    private readonly List<HazardsApp> ownApps = [];

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TearDown]
    public void DisposeOwnApps()
    {
        foreach (var own in ownApps)
        {
            own.Dispose();
        }

        ownApps.Clear();
    }

    [Test]
    public async Task Assign_GeneralOnThursdayBeforeSpringFestival_CountsSevenWorkingDaysAcrossHolidaysAndMakeUpDays()
    {
        // Assigned Thu 2026-02-12 10:00 local. From cn-workday-calendar.csv: 02-14 (Sat) and 02-28 (Sat) are make-up
        // workdays, 02-15..02-23 are the Spring Festival holiday. Counting from the next day:
        // 02-13 Fri (1), 02-14 Sat make-up (2), 02-15..02-23 holiday, 02-24 Tue (3), 02-25 (4), 02-26 (5),
        // 02-27 Fri (6), 02-28 Sat make-up (7) → 2026-02-28 23:59:59 local = 2026-02-28T15:59:59Z.
        var own = await Own(At("2026-02-12T02:00:00Z"));
        var reported = await own.ClientFor("grid").Report(Cases.Patrol());

        var assigned = await own.ClientFor("officer").Do(reported, "assign");

        Assert.That(assigned.Text("deadline"), Is.EqualTo("2026-02-28T15:59:59Z"));
        Assert.That(assigned.Text("assignedAt"), Is.EqualTo("2026-02-12T02:00:00Z"));
    }

    // 15:59:59Z is Thursday 03-05 23:59:59 local: counting starts Fri 03-06 → 06, 09, 10, 11, 12, 13, 16 (7th).
    // 16:00:00Z is Friday 03-06 00:00:00 local: counting starts Sat 03-07 → 09, 10, 11, 12, 13, 16, 17 (7th).
    [TestCase("2026-03-05T15:59:59Z", "2026-03-16T15:59:59Z")]
    [TestCase("2026-03-05T16:00:00Z", "2026-03-17T15:59:59Z")]
    public async Task Assign_AroundLocalMidnight_CountsFromTheLocalDay(string assignedAt, string expectedDeadline)
    {
        var own = await Own(At(assignedAt));
        var reported = await own.ClientFor("grid").Report(Cases.Patrol());

        var assigned = await own.ClientFor("officer").Do(reported, "assign");

        Assert.That(assigned.Text("deadline"), Is.EqualTo(expectedDeadline));
    }

    // Mon → Tue; Fri → Mon; Fri 02-13 → make-up Sat 02-14; make-up Sat 02-14 → 02-24, after the Spring Festival.
    [TestCase("2026-03-02T01:00:00Z", "2026-03-03T15:59:59Z")]
    [TestCase("2026-03-06T01:00:00Z", "2026-03-09T15:59:59Z")]
    [TestCase("2026-02-13T02:00:00Z", "2026-02-14T15:59:59Z")]
    [TestCase("2026-02-14T02:00:00Z", "2026-02-24T15:59:59Z")]
    public async Task Report_Always_SetsTriageDeadlineOneWorkingDayLater(string reportedAt, string expectedTriageDeadline)
    {
        var own = await Own(At(reportedAt));

        var reported = await own.ClientFor("grid").Report(Cases.Patrol());

        Assert.That(reported.Text("triageDeadline"), Is.EqualTo(expectedTriageDeadline));
        Assert.That(reported["deadline"], Is.Null);
    }

    [Test]
    public async Task Fix_OnGeneralCase_SetsVerificationDeadlineThreeWorkingDaysLater()
    {
        // Fix on Mon 03-02: Tue 03 (1), Wed 04 (2), Thu 05 (3).
        var unit = app.ClientFor("unit");
        var hazard = await AssignedGeneral(app);

        var fixedCase = await unit.Do(hazard, "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });

        Assert.That(fixedCase.Text("verificationDeadline"), Is.EqualTo("2026-03-05T15:59:59Z"));
    }

    [Test]
    public async Task Fix_OnMajorCase_SetsVerificationDeadlineTenWorkingDaysLater()
    {
        // Fix on Mon 03-02: 03, 04, 05, 06 (4), 09, 10, 11, 12, 13 (9), 16 (10).
        var unit = app.ClientFor("unit");
        var hazard = await AssignedMajor(app);
        hazard = await unit.Do(hazard, "plan", Plan("2026-06-30"));
        hazard = await app.ClientFor("regulator").Do(hazard, "plan/approve");

        var fixedCase = await unit.Do(hazard, "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });

        Assert.That(fixedCase.Text("verificationDeadline"), Is.EqualTo("2026-03-16T15:59:59Z"));
    }

    [Test]
    public async Task Assign_WithoutDeadline_UsesSevenWorkingDays()
    {
        // Mon 03-02: 03, 04, 05, 06 (4), 09, 10, 11 (7).
        var reported = await app.ClientFor("unit").Report(Cases.SelfCheck(Cases.UnitOne));

        var assigned = await app.ClientFor("officer").Do(reported, "assign");

        Assert.That(assigned.Text("deadline"), Is.EqualTo("2026-03-11T15:59:59Z"));
    }

    [TestCase("2026-03-06T08:00:00Z")]
    [TestCase("2026-03-11T15:59:59Z")]
    public async Task Assign_WithDeadlineWithinPolicy_UsesIt(string deadline)
    {
        var reported = await app.ClientFor("unit").Report(Cases.SelfCheck(Cases.UnitOne));

        var assigned = await app.ClientFor("officer").Do(reported, "assign", new { deadline });

        Assert.That(assigned.Text("deadline"), Is.EqualTo(deadline));
    }

    [Test]
    public async Task Assign_WithDeadlineInLocalTime_StoresItInUtc()
    {
        var reported = await app.ClientFor("unit").Report(Cases.SelfCheck(Cases.UnitOne));

        var assigned = await app.ClientFor("officer").Do(reported, "assign", new { deadline = "2026-03-06T18:00:00+08:00" });

        Assert.That(assigned.Text("deadline"), Is.EqualTo("2026-03-06T10:00:00Z"));
    }

    [Test]
    public async Task Assign_WithDeadlineBeyondPolicy_Returns409AndWritesNothing()
    {
        var officer = app.ClientFor("officer");
        var reported = await app.ClientFor("unit").Report(Cases.SelfCheck(Cases.UnitOne));

        var response = await officer.Act(reported, "assign", new { deadline = "2026-03-11T16:00:00Z" });

        await response.AssertProblem(409, "case.deadline_beyond_policy");
        var after = await officer.Fetch(reported);
        Assert.That(after.Text("status"), Is.EqualTo("reported"));
        Assert.That(Cases.Version(after), Is.EqualTo(Cases.Version(reported)));
    }

    [Test]
    public async Task Assign_WithDeadlineInThePast_Returns409AndWritesNothing()
    {
        var officer = app.ClientFor("officer");
        var reported = await app.ClientFor("unit").Report(Cases.SelfCheck(Cases.UnitOne));

        var response = await officer.Act(reported, "assign", new { deadline = "2026-03-02T00:59:59Z" });

        await response.AssertProblem(409, "case.deadline_in_past");
        var after = await officer.Fetch(reported);
        Assert.That(after.Text("status"), Is.EqualTo("reported"));
        Assert.That(after["deadline"], Is.Null);
    }

    [Test]
    public async Task Overdue_AroundTheDeadline_FlipsOnlyAfterIt()
    {
        var own = await Own(HazardsApp.DefaultStart);
        var hazard = await AssignedGeneral(own);
        var deadline = At(hazard.Text("deadline"));

        own.Clock.SetUtcNow(deadline.AddSeconds(-1));
        var before = await own.ClientFor("officer").Fetch(hazard);
        own.Clock.SetUtcNow(deadline);
        var at = await own.ClientFor("officer").Fetch(hazard);
        own.Clock.SetUtcNow(deadline.AddSeconds(1));
        var after = await own.ClientFor("officer").Fetch(hazard);

        Assert.That(deadline, Is.EqualTo(At("2026-03-11T15:59:59Z")));
        Assert.That(hazard["overdue"]!.GetValue<bool>(), Is.False);
        Assert.That(before["overdue"]!.GetValue<bool>(), Is.False);
        Assert.That(at["overdue"]!.GetValue<bool>(), Is.False);
        Assert.That(after["overdue"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Verify_WhenFailed_KeepsTheOriginalDeadline()
    {
        var own = await Own(HazardsApp.DefaultStart);
        var hazard = await AssignedGeneral(own);
        own.Clock.Advance(TimeSpan.FromDays(2));
        var unit = own.ClientFor("unit");
        hazard = await unit.Do(hazard, "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });

        var failed = await own.ClientFor("officer").Do(hazard, "verify", new { passed = false, note = "仍未接地" });

        Assert.That(failed.Text("status"), Is.EqualTo("rectifying"));
        Assert.That(failed["reworkCount"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(failed.Text("deadline"), Is.EqualTo("2026-03-11T15:59:59Z"));
        Assert.That(failed["verificationDeadline"], Is.Null);
    }

    [Test]
    public async Task DecideExtension_WhenApproved_MovesTheDeadlineToTheEndOfTheDayUntil()
    {
        var hazard = await AssignedGeneral(app);
        hazard = await app.ClientFor("unit").Do(hazard, "extension", new { until = "2026-03-20", reason = "设备到货延迟" });

        var decided = await app.ClientFor("officer").Do(hazard, "extension/decide", new { approved = true });

        Assert.That(decided.Text("deadline"), Is.EqualTo("2026-03-20T15:59:59Z"));
        Assert.That(decided["extensionCount"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(decided["pendingExtension"], Is.Null);
    }

    [Test]
    public async Task DecideExtension_WhenRefused_KeepsTheDeadline()
    {
        var hazard = await AssignedGeneral(app);
        hazard = await app.ClientFor("unit").Do(hazard, "extension", new { until = "2026-03-20", reason = "设备到货延迟" });

        var decided = await app.ClientFor("officer").Do(hazard, "extension/decide", new { approved = false, reason = "理由不充分" });

        Assert.That(decided.Text("deadline"), Is.EqualTo("2026-03-11T15:59:59Z"));
        Assert.That(decided["extensionCount"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task Assign_Major_DefaultsToThe365thCalendarDay()
    {
        var hazard = await AssignedMajor(app);

        Assert.That(hazard.Text("deadline"), Is.EqualTo("2027-03-02T15:59:59Z"));
    }

    [Test]
    public async Task ApprovePlan_OnMajorCase_SetsTheDeadlineToTheEndOfThePlansDay()
    {
        var hazard = await AssignedMajor(app);
        hazard = await app.ClientFor("unit").Do(hazard, "plan", Plan("2026-06-30"));

        var approved = await app.ClientFor("regulator").Do(hazard, "plan/approve");

        Assert.That(approved.Text("deadline"), Is.EqualTo("2026-06-30T15:59:59Z"));
        Assert.That(approved["plan"]!["approved"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task ApprovePlan_WithTimeLimitExactly365DaysAfterAssignment_IsAccepted()
    {
        var hazard = await AssignedMajor(app);
        hazard = await app.ClientFor("unit").Do(hazard, "plan", Plan("2027-03-02"));

        var approved = await app.ClientFor("regulator").Do(hazard, "plan/approve");

        Assert.That(approved.Text("deadline"), Is.EqualTo("2027-03-02T15:59:59Z"));
    }

    [Test]
    public async Task SubmitPlan_WithTimeLimitMoreThan365DaysAhead_Returns400AndWritesNothing()
    {
        var hazard = await AssignedMajor(app);

        var response = await app.ClientFor("unit").Act(hazard, "plan", Plan("2027-03-03"));

        await response.AssertProblem(400, "validation.failed");
        Assert.That(Cases.Version(await app.ClientFor("regulator").Fetch(hazard)), Is.EqualTo(Cases.Version(hazard)));
    }

    [Test]
    public async Task ApprovePlan_WithTimeLimitMoreThan365DaysAfterAssignment_Returns409AndWritesNothing()
    {
        // Submitted ten days after the assignment, within 365 days of that day but not of the assignment's.
        var own = await Own(HazardsApp.DefaultStart);
        var hazard = await AssignedMajor(own);
        own.Clock.Advance(TimeSpan.FromDays(10));
        var regulator = own.ClientFor("regulator");
        hazard = await own.ClientFor("unit").Do(hazard, "plan", Plan("2027-03-03"));

        var response = await regulator.Act(hazard, "plan/approve");

        await response.AssertProblem(409, "case.plan_time_limit_too_far");
        var after = await regulator.Fetch(hazard);
        Assert.That(after["plan"]!["approved"]!.GetValue<bool>(), Is.False);
        Assert.That(after.Text("deadline"), Is.EqualTo("2027-03-02T15:59:59Z"));
        Assert.That(Cases.Version(after), Is.EqualTo(Cases.Version(hazard)));
    }

    private async Task<HazardsApp> Own(DateTimeOffset start)
    {
        var own = new HazardsApp(start: start);
        ownApps.Add(own);
        return await own.WithDemo();
    }

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>A general self-check case of UnitOne, assigned now by the township with the policy's deadline.</summary>
    private static async Task<JsonNode> AssignedGeneral(HazardsApp on)
    {
        var reported = await on.ClientFor("unit").Report(Cases.SelfCheck(Cases.UnitOne));
        return await on.ClientFor("officer").Do(reported, "assign");
    }

    /// <summary>A major case of UnitOne found by the district's inspection and assigned now by the district.</summary>
    private static async Task<JsonNode> AssignedMajor(HazardsApp on)
    {
        var regulator = on.ClientFor("regulator");
        var reported = await regulator.Report(Cases.SelfCheck(Cases.UnitOne, "液化气储罐安全阀失效", new
        {
            origin = "regulatorInspection",
            level = "major",
            standardClause = "重大事故隐患判定标准 第三条",
        }));
        return await regulator.Do(reported, "assign");
    }

    private static object Plan(string timeLimit) => new
    {
        goals = "消除储罐安全阀失效隐患",
        measures = "更换安全阀并校验",
        funds = "20万元",
        people = "设备部3人",
        timeLimit,
        safetyMeasures = "停用储罐，设置警戒区，配备应急器材",
    };
}
