using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Inspections;
using static Hazards.Api.Tests.Features.Inspections.InspectionDriver;

namespace Hazards.Api.Tests.Features.Inspections;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// The inbox of slots. Every test starts its own app on Monday 2026-06-01 09:00 local, the first day of
/// ISO week 2026-W23 and of June, so each demo plan (active from that day) owes a slot in its current period.
/// </summary>
public sealed class DueInspectionsTests
{
    private const string Route = "/api/v1/inspections/due";

    private static readonly DateTimeOffset Monday = At("2026-06-01T01:00:00Z");

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

    private static Guid[] UnitOnePlans => [.. Enum.GetValues<Cadence>().Select(c => UnitPlan(Cases.UnitOne, c))];

    [Test]
    public async Task Due_ForAUnitOfficer_ListsTodaysSlotOfEachOfItsThreePlans()
    {
        var app = await Own();

        var page = await Get(app.ClientFor("unit"), Route);

        var items = Items(page);
        Assert.That(items.Select(Slot), Is.EquivalentTo(new[]
        {
            $"{DailyOfUnitOne}|daily|2026-06-01|due",
            $"{UnitPlan(Cases.UnitOne, Cadence.Weekly)}|weekly|2026-W23|due",
            $"{UnitPlan(Cases.UnitOne, Cadence.Monthly)}|monthly|2026-06|due",
        }));
        Assert.That(items.Select(i => i["unitId"]!.GetValue<Guid>()), Is.All.EqualTo(Cases.UnitOne));
        Assert.That(items.Select(i => i["gridCode"]), Is.All.Null);
        Assert.That(items.Select(i => i["recordId"]), Is.All.Null);
        Assert.That(items.Select(i => i["consecutiveMisses"]), Is.All.Null);
        var weekly = items.Single(i => i.Text("cadence") == "weekly");
        Assert.That(weekly.Text("periodStart"), Is.EqualTo("2026-06-01"));
        Assert.That(weekly.Text("periodEnd"), Is.EqualTo("2026-06-07"));
        Assert.That(page["nextCursor"], Is.Null);
    }

    [Test]
    public async Task Due_AfterTheDailyRecord_ShowsTheDailySlotDone()
    {
        var app = await Own();
        app.Clock.SetUtcNow(At("2026-06-01T15:59:00Z"));
        var unit = app.ClientFor("unit");
        var record = await unit.Submit(Record(DailyOfUnitOne, Codes(Cadence.Daily)));

        var items = Items(await Get(unit, Route));

        Assert.That(items.Select(Slot), Is.EquivalentTo(new[]
        {
            $"{DailyOfUnitOne}|daily|2026-06-01|done",
            $"{UnitPlan(Cases.UnitOne, Cadence.Weekly)}|weekly|2026-W23|due",
            $"{UnitPlan(Cases.UnitOne, Cadence.Monthly)}|monthly|2026-06|due",
        }));
        Assert.That(items.Single(i => i.Text("cadence") == "daily")["recordId"]!.GetValue<Guid>(), Is.EqualTo(record["id"]!.GetValue<Guid>()));
    }

    [Test]
    public async Task Due_AfterMissedDays_ListsThemMissedWithTheirConsecutiveCount()
    {
        // Wednesday 06-03 11:00 local: 06-01 and 06-02 ended plus grace without a record.
        var app = await Own();
        app.Clock.SetUtcNow(At("2026-06-03T03:00:00Z"));
        await app.Sweep();
        var unit = app.ClientFor("unit");

        var all = Items(await Get(unit, Route));
        var missed = Items(await Get(unit, $"{Route}?state=missed"));

        Assert.That(all.Select(Slot), Is.EquivalentTo(new[]
        {
            $"{DailyOfUnitOne}|daily|2026-06-03|due",
            $"{UnitPlan(Cases.UnitOne, Cadence.Weekly)}|weekly|2026-W23|due",
            $"{UnitPlan(Cases.UnitOne, Cadence.Monthly)}|monthly|2026-06|due",
            $"{DailyOfUnitOne}|daily|2026-06-02|missed",
            $"{DailyOfUnitOne}|daily|2026-06-01|missed",
        }));
        Assert.That(missed.Select(i => i.Text("period")), Is.EqualTo(new[] { "2026-06-02", "2026-06-01" }), "the latest first");
        Assert.That(missed.Select(i => i["consecutiveMisses"]!.GetValue<int>()), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(missed.Select(i => i["recordId"]), Is.All.Null);
    }

    [Test]
    public async Task Due_MissedSlots_GoBackThirtyDaysOnly()
    {
        // Sunday 07-05 11:00 local: the daily slots 06-01 .. 07-04 are missed; the last 30 days are 06-05 .. 07-04.
        var app = await Own();
        app.Clock.SetUtcNow(At("2026-07-05T03:00:00Z"));
        await app.Sweep();

        var missed = Items(await Get(app.ClientFor("unit"), $"{Route}?state=missed&cadence=daily&limit=200"));

        Assert.That(await app.Missed(planId: DailyOfUnitOne), Is.EqualTo(34));
        Assert.That(missed, Has.Count.EqualTo(30));
        Assert.That(missed[0].Text("period"), Is.EqualTo("2026-07-04"));
        Assert.That(missed[^1].Text("period"), Is.EqualTo("2026-06-05"));
        Assert.That(missed[0]["consecutiveMisses"]!.GetValue<int>(), Is.EqualTo(34));
    }

    [TestCase("cadence=weekly", new[] { "weekly|2026-W23|due" })]
    [TestCase("state=due&cadence=monthly", new[] { "monthly|2026-06|due" })]
    [TestCase("state=missed", new[] { "daily|2026-06-01|missed" })]
    [TestCase("state=done", new string[0])]
    [TestCase("cadence=daily", new[] { "daily|2026-06-02|due", "daily|2026-06-01|missed" })]
    public async Task Due_FilteredByCadenceOrState_ListsOnlyMatchingSlots(string filter, string[] expected)
    {
        var app = await Own();
        app.Clock.SetUtcNow(At("2026-06-02T03:00:00Z"));
        await app.Sweep();

        var items = Items(await Get(app.ClientFor("unit"), $"{Route}?{filter}"));

        Assert.That(items.Select(i => $"{i.Text("cadence")}|{i.Text("period")}|{i.Text("state")}"), Is.EquivalentTo(expected));
    }

    [Test]
    public async Task Due_ForTheTownshipFilteredByUnit_ListsThatUnitsSlotsOnly()
    {
        var app = await Own();

        var items = Items(await Get(app.ClientFor("officer"), $"{Route}?unitId={Cases.UnitOne}"));

        Assert.That(items.Select(i => i["planId"]!.GetValue<Guid>()), Is.EquivalentTo(UnitOnePlans));
    }

    [Test]
    public async Task Due_ForTheTownshipFilteredByGrid_ListsThatGridsPatrolAndItsUnitsPlans()
    {
        var app = await Own();

        var items = Items(await Get(app.ClientFor("officer"), $"{Route}?gridCode={Cases.GridOne}"));

        Assert.That(items.Select(i => i["planId"]!.GetValue<Guid>()), Is.EquivalentTo(UnitOnePlans.Append(PatrolPlan(Cases.GridOne))));
        var patrol = items.Single(i => i["planId"]!.GetValue<Guid>() == PatrolPlan(Cases.GridOne));
        Assert.That(Slot(patrol), Is.EqualTo($"{PatrolPlan(Cases.GridOne)}|weekly|2026-W23|due"));
        Assert.That(patrol.Text("gridCode"), Is.EqualTo(Cases.GridOne));
        Assert.That(patrol["unitId"], Is.Null);
    }

    [Test]
    public async Task Due_ForAGridWorker_ListsItsPatrolAndThePlansOfUnitsInItsGrid()
    {
        var app = await Own();

        var items = Items(await Get(app.ClientFor("grid"), Route));

        Assert.That(items.Select(i => i["planId"]!.GetValue<Guid>()), Is.EquivalentTo(UnitOnePlans.Append(PatrolPlan(Cases.GridOne))));
        Assert.That(items.Select(i => i.Text("state")), Is.All.EqualTo("due"));
    }

    [Test]
    public async Task Due_ForAnotherUnitsOfficer_ListsNoneOfTheFirstUnitsSlotsAndItsFilterIs404()
    {
        var app = await Own();
        var unit2 = app.ClientFor("unit2");

        var own = Items(await Get(unit2, Route));
        var filtered = await unit2.GetAsync($"{Route}?unitId={Cases.UnitOne}");
        var grid = await unit2.GetAsync($"{Route}?gridCode={Cases.GridOne}");

        Assert.That(own.Select(i => i["planId"]!.GetValue<Guid>()), Is.EquivalentTo(Enum.GetValues<Cadence>().Select(c => UnitPlan(Cases.UnitTwo, c))));
        await filtered.AssertProblem(404, "unit.not_found");
        await grid.AssertProblem(404, "grid.not_found");
    }

    [Test]
    public async Task Due_PagedOneByOne_WalksEveryItemExactlyOnce()
    {
        // The township has 4 grids with one demo unit each: 4 patrols + 12 unit slots due, and 4 daily slots missed on 06-01.
        var app = await Own();
        app.Clock.SetUtcNow(At("2026-06-02T03:00:00Z"));
        await app.Sweep();
        var officer = app.ClientFor("officer");
        var whole = Items(await Get(officer, $"{Route}?limit=200")).Select(Slot).ToList();

        var walked = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Get(officer, cursor is null ? $"{Route}?limit=1" : $"{Route}?limit=1&cursor={Uri.EscapeDataString(cursor)}");
            var items = Items(page);
            Assert.That(items, Has.Count.EqualTo(1));
            walked.Add(Slot(items[0]));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.That(whole, Has.Count.EqualTo(20));
        Assert.That(whole.Count(s => s.EndsWith("|missed", StringComparison.Ordinal)), Is.EqualTo(4));
        Assert.That(walked, Is.EqualTo(whole));
        Assert.That(walked, Is.Unique);
    }

    [TestCase("state=overdue", "request.invalid_filter")]
    [TestCase("cadence=hourly", "request.invalid_filter")]
    [TestCase("limit=0", "request.invalid_limit")]
    [TestCase("cursor=not-a-cursor", "request.invalid_cursor")]
    public async Task Due_WithAnInvalidQuery_Returns400(string query, string code)
    {
        var app = await Own();

        var response = await app.ClientFor("unit").GetAsync($"{Route}?{query}");

        await response.AssertProblem(400, code);
    }

    private static async Task<JsonNode> Get(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static List<JsonNode> Items(JsonNode page) => [.. page["items"]!.AsArray().Select(i => i!)];

    private static string Slot(JsonNode item) => $"{item["planId"]!.GetValue<Guid>()}|{item.Text("cadence")}|{item.Text("period")}|{item.Text("state")}";

    private async Task<HazardsApp> Own()
    {
        var own = new HazardsApp(start: Monday);
        ownApps.Add(own);
        return await own.WithDemo();
    }
}
