using Hazards.Api.Tests.Support;
using Hazards.Domain.Inspections;
using static Hazards.Api.Tests.Features.Inspections.InspectionDriver;

namespace Hazards.Api.Tests.Features.Inspections;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// The missed-check sweep: a slot whose period ended (Asia/Shanghai, UTC+8) plus the 120-minute grace
/// and holds no record becomes one missed row. Every test starts its own app at a chosen instant and seeds the
/// demo there, so every demo plan is active from that local day.
/// </summary>
public sealed class MissedCheckSweepTests
{
    private readonly List<HazardsApp> ownApps = [];

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
    public async Task Sweep_OnADatabaseWithNoPlans_FindsNothingAndSetsItsWatermark()
    {
        using var app = new HazardsApp();

        var result = await app.Sweep();

        Assert.That(result.Missed, Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM sweep_watermarks WHERE name = 'cadence:sweep'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Sweep_AroundLocalMidnightPlusGrace_MissesTheDailySlotOnlyOnceTheGraceRanOut()
    {
        // Monday 2026-03-02 ends at 16:00Z (Tuesday 00:00 local); its grace runs out at 18:00Z (02:00 local).
        var app = await Own(HazardsApp.DefaultStart);
        var daily = await app.Plans("daily");
        app.Clock.SetUtcNow(At("2026-03-02T17:59:00Z"));
        var early = await app.Sweep();
        var missedEarly = await app.Missed();
        app.Clock.SetUtcNow(At("2026-03-02T18:01:00Z"));

        var late = await app.Sweep();

        Assert.That(daily, Is.GreaterThan(0));
        Assert.That(early.Missed, Is.Zero);
        Assert.That(missedEarly, Is.Zero);
        Assert.That(late.Missed, Is.EqualTo(daily));
        Assert.That(await app.Missed("2026-03-02"), Is.EqualTo(daily));
        Assert.That(await app.Missed(), Is.EqualTo(daily));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_missed WHERE period_start = '2026-03-02' AND period_end = '2026-03-02' AND consecutive = 1"),
            Is.EqualTo(daily));
    }

    [Test]
    public async Task Sweep_AtTheInstantTheGraceRunsOut_LeavesNoRecordAndMissedRowForOneSlot()
    {
        var app = await Own(HazardsApp.DefaultStart);
        app.Clock.SetUtcNow(At("2026-03-02T18:00:00Z"));
        await app.Sweep();

        var response = await app.ClientFor("unit").PostJson("/api/v1/inspections", Record(DailyOfUnitOne, Codes(Cadence.Daily), "2026-03-02"));

        await response.AssertProblem(409, "inspection.period_closed");
        Assert.That(await app.Missed("2026-03-02", DailyOfUnitOne), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.Zero);
    }

    [Test]
    public async Task Sweep_AfterIsoWeekOneThatStartsInDecember_MissesWeek2026W01()
    {
        // ISO week 2026-W01 runs Monday 2025-12-29 .. Sunday 2026-01-04; it ends 2026-01-04T16:00Z, grace until 18:00Z.
        var app = await Own(At("2025-12-29T01:00:00Z"));
        var weekly = await app.Plans("weekly");
        var daily = await app.Plans("daily");
        app.Clock.SetUtcNow(At("2026-01-04T17:59:00Z"));
        await app.Sweep();
        var weekOneEarly = await app.Missed("2026-W01");
        app.Clock.SetUtcNow(At("2026-01-04T18:01:00Z"));

        await app.Sweep();

        Assert.That(weekOneEarly, Is.Zero);
        Assert.That(await app.Missed("2026-W01"), Is.EqualTo(weekly));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_missed WHERE period_key = '2026-W01' AND period_start = '2025-12-29' AND period_end = '2026-01-04'"),
            Is.EqualTo(weekly));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_missed WHERE period_key = @Key AND plan_id = @Plan",
            new { Key = "2026-W01", Plan = PatrolPlan(Cases.GridOne).ToString() }), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_missed m JOIN inspection_plans p ON p.id = m.plan_id WHERE p.cadence = 'weekly'"),
            Is.EqualTo(weekly), "no other week key, such as 2025-W53 or 2025-W01");
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_missed m JOIN inspection_plans p ON p.id = m.plan_id WHERE p.cadence = 'daily'"),
            Is.EqualTo(7 * daily), "the seven days 2025-12-29 .. 2026-01-04");
        Assert.That(await app.Missed("2025-12"), Is.EqualTo(await app.Plans("monthly")),
            "a monthly plan started on 12-29 owes December from its creation, and December ended unfilled");
    }

    [Test]
    public async Task Sweep_AfterAMonthEnd_MissesTheMonthlySlotOnlyOnceTheGraceRanOut()
    {
        // January 2026 ends 2026-01-31T16:00Z (February 1st 00:00 local); grace until 18:00Z.
        var app = await Own(At("2026-01-01T01:00:00Z"));
        var monthly = await app.Plans("monthly");
        app.Clock.SetUtcNow(At("2026-01-31T17:59:00Z"));
        await app.Sweep();
        var januaryEarly = await app.Missed("2026-01");
        app.Clock.SetUtcNow(At("2026-01-31T18:01:00Z"));

        await app.Sweep();

        Assert.That(januaryEarly, Is.Zero);
        Assert.That(await app.Missed("2026-01"), Is.EqualTo(monthly));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_missed WHERE period_key = '2026-01' AND period_start = '2026-01-01' AND period_end = '2026-01-31'"),
            Is.EqualTo(monthly));
        Assert.That(await app.Missed("2026-02"), Is.Zero);
        Assert.That(await app.Consecutive(UnitPlan(Cases.UnitOne, Cadence.Monthly), "2026-01"), Is.EqualTo(1));
    }

    [Test]
    public async Task Sweep_OnceAfterAThreeDayOutage_AddsExactlyTheMissedDailySlots()
    {
        // Last sweep Monday 03-02 09:00 local; down until Thursday 03-05 11:00 local. Days 03-02, 03-03 and 03-04
        // ended plus grace meanwhile; 03-05 has not ended, week 10 neither. UnitOne filled 03-03.
        var app = await Own(HazardsApp.DefaultStart);
        var daily = await app.Plans("daily");
        await app.Sweep();
        app.Clock.SetUtcNow(At("2026-03-03T02:00:00Z"));
        await app.ClientFor("unit").Submit(Record(DailyOfUnitOne, Codes(Cadence.Daily)));
        app.Clock.SetUtcNow(At("2026-03-05T03:00:00Z"));

        var result = await app.Sweep();

        Assert.That(result.Periods, Is.EqualTo(3));
        Assert.That(result.Missed, Is.EqualTo((3 * daily) - 1));
        Assert.That(await app.Missed(), Is.EqualTo((3 * daily) - 1));
        Assert.That(await app.Missed("2026-03-02"), Is.EqualTo(daily));
        Assert.That(await app.Missed("2026-03-03"), Is.EqualTo(daily - 1));
        Assert.That(await app.Missed("2026-03-04"), Is.EqualTo(daily));
        Assert.That(await app.Missed("2026-03-05"), Is.Zero);
        Assert.That(await app.Missed("2026-03-03", DailyOfUnitOne), Is.Zero, "the slot with a record is not missed");
        Assert.That(await app.Consecutive(DailyOfUnitOne, "2026-03-04"), Is.EqualTo(1));
        var unitTwo = UnitPlan(Cases.UnitTwo, Cadence.Daily);
        Assert.That(await app.Consecutive(unitTwo, "2026-03-02"), Is.EqualTo(1));
        Assert.That(await app.Consecutive(unitTwo, "2026-03-03"), Is.EqualTo(2));
        Assert.That(await app.Consecutive(unitTwo, "2026-03-04"), Is.EqualTo(3));
    }

    [Test]
    public async Task Sweep_RunTwice_AddsNothingTheSecondTime()
    {
        var app = await Own(HazardsApp.DefaultStart);
        var daily = await app.Plans("daily");
        app.Clock.SetUtcNow(At("2026-03-03T18:01:00Z"));
        var first = await app.Sweep();

        var second = await app.Sweep();
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        var third = await app.Sweep();

        Assert.That(first.Missed, Is.EqualTo(2 * daily));
        Assert.That(second.Missed, Is.Zero);
        Assert.That(third.Missed, Is.Zero);
        Assert.That(await app.Missed(), Is.EqualTo(2 * daily));
    }

    [Test]
    public async Task Sweep_TwoAtOnce_MakeNoDuplicateAndNoError()
    {
        var app = await Own(HazardsApp.DefaultStart);
        var daily = await app.Plans("daily");
        app.Clock.SetUtcNow(At("2026-03-05T03:00:00Z"));

        var results = await Task.WhenAll(Task.Run(() => app.Sweep()), Task.Run(() => app.Sweep()));

        Assert.That(results.Sum(r => r.Missed), Is.EqualTo(3 * daily));
        Assert.That(await app.Missed(), Is.EqualTo(3 * daily));
        Assert.That(await app.Count("SELECT COUNT(DISTINCT plan_id || '|' || period_key) FROM inspection_missed"), Is.EqualTo(3 * daily));
    }

    [Test]
    public async Task Sweep_DayAfterDay_CountsConsecutiveMissesUpAndRestartsAfterADayWithARecord()
    {
        var app = await Own(HazardsApp.DefaultStart);
        foreach (var day in new[] { "2026-03-02", "2026-03-03", "2026-03-04" })
        {
            app.Clock.SetUtcNow(At($"{day}T18:01:00Z"));
            await app.Sweep();
        }

        app.Clock.SetUtcNow(At("2026-03-05T02:00:00Z"));
        await app.ClientFor("unit").Submit(Record(DailyOfUnitOne, Codes(Cadence.Daily)));
        app.Clock.SetUtcNow(At("2026-03-05T18:01:00Z"));
        await app.Sweep();

        app.Clock.SetUtcNow(At("2026-03-06T18:01:00Z"));
        await app.Sweep();

        Assert.That(await app.Consecutive(DailyOfUnitOne, "2026-03-02"), Is.EqualTo(1));
        Assert.That(await app.Consecutive(DailyOfUnitOne, "2026-03-03"), Is.EqualTo(2));
        Assert.That(await app.Consecutive(DailyOfUnitOne, "2026-03-04"), Is.EqualTo(3));
        Assert.That(await app.Missed("2026-03-05", DailyOfUnitOne), Is.Zero);
        Assert.That(await app.Consecutive(DailyOfUnitOne, "2026-03-06"), Is.EqualTo(1));
        Assert.That(await app.Consecutive(UnitPlan(Cases.UnitTwo, Cadence.Daily), "2026-03-06"), Is.EqualTo(5));
    }

    private async Task<HazardsApp> Own(DateTimeOffset start)
    {
        var own = new HazardsApp(start: start);
        ownApps.Add(own);
        return await own.WithDemo();
    }
}
