using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Inspections;
using static Hazards.Api.Tests.Features.Inspections.InspectionDriver;

namespace Hazards.Api.Tests.Features.Inspections;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// Records: one per plan and period. Every test starts its own app at a chosen instant, by default
/// <see cref="HazardsApp.DefaultStart"/>, Monday 2026-03-02 09:00 local (01:00Z); the demo plans are active from that day.
/// Day 2026-03-02 ends at 16:00Z and its grace (120 minutes) at 18:00Z.
/// </summary>
public sealed class SubmitInspectionTests
{
    private const string Route = "/api/v1/inspections";

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

    private static JsonObject Daily(string? period = null, string note = "例行检查", JsonArray? hazards = null) =>
        Record(DailyOfUnitOne, Codes(Cadence.Daily), period, note, hazards);

    [Test]
    public async Task Submit_ForTheCurrentPeriod_Returns201OnTime()
    {
        var app = await Own();

        var response = await app.ClientFor("unit").PostJson(Route, Daily());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var record = await response.Json();
        Assert.That(record["planId"]!.GetValue<Guid>(), Is.EqualTo(DailyOfUnitOne));
        Assert.That(record.Text("cadence"), Is.EqualTo("daily"));
        Assert.That(record.Text("period"), Is.EqualTo("2026-03-02"));
        Assert.That(record.Text("periodStart"), Is.EqualTo("2026-03-02"));
        Assert.That(record.Text("periodEnd"), Is.EqualTo("2026-03-02"));
        Assert.That(record["late"]!.GetValue<bool>(), Is.False);
        Assert.That(record.Text("submittedBy"), Is.EqualTo("unit"));
        Assert.That(record.Text("submittedAt"), Is.EqualTo("2026-03-02T01:00:00Z"));
        Assert.That(record["results"]!.AsArray().Select(r => r!.Text("code")), Is.EqualTo(new[] { "D1", "D2", "D3" }));
        Assert.That(record["caseIds"]!.AsArray(), Is.Empty);
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records WHERE id = @Id AND period_key = '2026-03-02' AND late = 0",
            new { Id = record.Text("id") }), Is.EqualTo(1));
    }

    // 15:59:59Z is still Monday 03-02 in Chongqing; 16:00:00Z is Tuesday 03-03 00:00 local.
    [TestCase("2026-03-02T15:59:59Z", "2026-03-02")]
    [TestCase("2026-03-02T16:00:00Z", "2026-03-03")]
    public async Task Submit_AroundLocalMidnight_FillsTheLocalDaysSlot(string at, string expectedPeriod)
    {
        var app = await Own();
        app.Clock.SetUtcNow(At(at));

        var record = await app.ClientFor("unit").Submit(Daily());

        Assert.That(record.Text("period"), Is.EqualTo(expectedPeriod));
        Assert.That(record["late"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task Submit_WithHazardsOnAUnitPlan_OpensSelfCheckCasesLinkedToTheRecord()
    {
        var app = await Own();
        var unit = app.ClientFor("unit");

        var record = await unit.Submit(Daily(hazards: new JsonArray(Hazard("配电箱未接地"), Hazard("灭火器过期"))));

        var recordId = record["id"]!.GetValue<Guid>();
        var caseIds = record["caseIds"]!.AsArray().Select(c => c!.GetValue<Guid>()).ToList();
        Assert.That(caseIds, Has.Count.EqualTo(2));
        var titles = new List<string>();
        foreach (var caseId in caseIds)
        {
            var hazard = await FetchCase(unit, caseId);
            Assert.That(hazard.Text("origin"), Is.EqualTo("selfCheck"));
            Assert.That(hazard["unitId"]!.GetValue<Guid>(), Is.EqualTo(Cases.UnitOne));
            Assert.That(hazard.Text("gridCode"), Is.EqualTo(Cases.GridOne));
            Assert.That(hazard["inspectionRecordId"]!.GetValue<Guid>(), Is.EqualTo(recordId));
            titles.Add(hazard.Text("title"));
        }

        Assert.That(titles, Is.EquivalentTo(new[] { "配电箱未接地", "灭火器过期" }));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE inspection_record_id = @Id AND origin = 'selfCheck'", new { Id = recordId.ToString() }),
            Is.EqualTo(2));
    }

    [Test]
    public async Task Submit_WithHazardsOnAGridPatrol_OpensGridPatrolCasesLinkedToTheRecord()
    {
        var app = await Own();
        var grid = app.ClientFor("grid");

        var record = await grid.Submit(Record(PatrolPlan(Cases.GridOne), Codes(Cadence.Weekly, patrol: true),
            hazards: new JsonArray(Hazard("沿街商铺堵塞消防通道", located: true))));

        Assert.That(record.Text("period"), Is.EqualTo("2026-W10"));
        Assert.That(record.Text("periodStart"), Is.EqualTo("2026-03-02"));
        Assert.That(record.Text("periodEnd"), Is.EqualTo("2026-03-08"));
        var caseIds = record["caseIds"]!.AsArray();
        Assert.That(caseIds, Has.Count.EqualTo(1));
        var hazard = await FetchCase(grid, caseIds[0]!.GetValue<Guid>());
        Assert.That(hazard.Text("origin"), Is.EqualTo("gridPatrol"));
        Assert.That(hazard.Text("gridCode"), Is.EqualTo(Cases.GridOne));
        Assert.That(hazard["unitId"], Is.Null);
        Assert.That(hazard["inspectionRecordId"]!.GetValue<Guid>(), Is.EqualTo(record["id"]!.GetValue<Guid>()));
    }

    [Test]
    public async Task Submit_SameBodyAgain_Returns200WithTheSameRecordAndNoNewCase()
    {
        var app = await Own();
        var unit = app.ClientFor("unit");
        var first = await unit.Submit(Daily(hazards: new JsonArray(Hazard("配电箱未接地"))));
        var cases = await app.Count("SELECT COUNT(*) FROM cases");

        var again = await unit.PostJson(Route, Daily(hazards: new JsonArray(Hazard("配电箱未接地"))));
        var named = await unit.PostJson(Route, Daily("2026-03-02", hazards: new JsonArray(Hazard("配电箱未接地"))));

        foreach (var response in new[] { again, named })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var record = await response.Json();
            Assert.That(record.Text("id"), Is.EqualTo(first.Text("id")));
            Assert.That(record["caseIds"]!.ToJsonString(), Is.EqualTo(first["caseIds"]!.ToJsonString()));
        }

        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(cases));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.EqualTo(1));
    }

    [Test]
    public async Task Submit_DifferentBodyForAFilledSlot_Returns409AndWritesNothing()
    {
        var app = await Own();
        var unit = app.ClientFor("unit");
        await unit.Submit(Daily());
        var cases = await app.Count("SELECT COUNT(*) FROM cases");

        var response = await unit.PostJson(Route, Daily(note: "补充说明", hazards: new JsonArray(Hazard("配电箱未接地"))));

        await response.AssertProblem(409, "inspection.slot_filled");
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(cases));
    }

    [TestCase("daily", "2026-03-03")]
    [TestCase("weekly", "2026-W11")]
    public async Task Submit_ForAFuturePeriod_Returns409(string cadence, string period)
    {
        var app = await Own();
        var which = cadence == "daily" ? Cadence.Daily : Cadence.Weekly;

        var response = await app.ClientFor("unit").PostJson(Route, Record(UnitPlan(Cases.UnitOne, which), Codes(which), period));

        await response.AssertProblem(409, "inspection.period_not_started");
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.EqualTo(0));
    }

    [Test]
    public async Task Submit_ForAPeriodClosedLongerThanTheGrace_Returns409()
    {
        var app = await Own();
        app.Clock.SetUtcNow(At("2026-03-02T18:00:01Z"));

        var response = await app.ClientFor("unit").PostJson(Route, Daily("2026-03-02"));

        await response.AssertProblem(409, "inspection.period_closed");
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.EqualTo(0));
    }

    [Test]
    public async Task Submit_WithinTheGraceAfterThePeriodEnded_Returns201LateAndTheSlotIsNotMissed()
    {
        var app = await Own();
        app.Clock.SetUtcNow(At("2026-03-02T17:59:00Z"));

        var record = await app.ClientFor("unit").Submit(Daily("2026-03-02"));
        app.Clock.SetUtcNow(At("2026-03-02T18:01:00Z"));
        await app.Sweep();

        Assert.That(record.Text("period"), Is.EqualTo("2026-03-02"));
        Assert.That(record["late"]!.GetValue<bool>(), Is.True);
        Assert.That(await app.Missed("2026-03-02", DailyOfUnitOne), Is.EqualTo(0));
        Assert.That(await app.Missed("2026-03-02", UnitPlan(Cases.UnitTwo, Cadence.Daily)), Is.EqualTo(1));
    }

    [TestCase("D1", "D2")]
    [TestCase("D1", "D2", "D3", "X9")]
    [TestCase("D1", "D1", "D3")]
    [TestCase("W1", "W2")]
    public async Task Submit_WithResultsNotMatchingTheChecklist_Returns400(params string[] codes)
    {
        var app = await Own();

        var response = await app.ClientFor("unit").PostJson(Route, Record(DailyOfUnitOne, codes));

        await response.AssertProblem(400, "inspection.results_mismatch");
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.EqualTo(0));
    }

    [TestCase("2026-W10")]
    [TestCase("2026-02-30")]
    [TestCase("2026-03")]
    [TestCase("today")]
    public async Task Submit_WithAnInvalidPeriodKey_Returns400(string period)
    {
        var app = await Own();

        var response = await app.ClientFor("unit").PostJson(Route, Daily(period));

        await response.AssertProblem(400, "inspection.period_invalid");
    }

    [TestCase("officer", false)]
    [TestCase("grid", false)]
    [TestCase("officer", true)]
    public async Task Submit_ByAnotherRoleThanTheOwners_Returns403(string login, bool patrol)
    {
        var app = await Own();
        var body = patrol ? Record(PatrolPlan(Cases.GridOne), Codes(Cadence.Weekly, patrol: true)) : Daily();

        var response = await app.ClientFor(login).PostJson(Route, body);

        await response.AssertProblem(403, "inspection.record_forbidden");
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.EqualTo(0));
    }

    [TestCase("unit2")]
    [TestCase("grid2")]
    public async Task Submit_OnAPlanOutsideTheCallersScope_Returns404(string login)
    {
        var app = await Own();

        var response = await app.ClientFor(login).PostJson(Route, Daily());

        await response.AssertProblem(404, "inspection_plan.not_found");
    }

    [Test]
    public async Task Submit_RetriedWithTheSameIdempotencyKey_ReturnsTheFirstAnswer()
    {
        var app = await Own();
        var unit = app.ClientFor("unit");
        var first = await unit.PostJson(Route, Daily(hazards: new JsonArray(Hazard("配电箱未接地"))), idempotencyKey: "daily-0302");
        var firstBody = await first.Content.ReadAsStringAsync();

        var retried = await unit.PostJson(Route, Daily(hazards: new JsonArray(Hazard("配电箱未接地"))), idempotencyKey: "daily-0302");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), firstBody);
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await retried.Json()).ToJsonString(), Is.EqualTo(JsonNode.Parse(firstBody)!.ToJsonString()));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_records"), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE inspection_record_id IS NOT NULL"), Is.EqualTo(1));
    }

    private static async Task<JsonNode> FetchCase(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/cases/{id}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private async Task<HazardsApp> Own(DateTimeOffset? start = null)
    {
        var own = new HazardsApp(start: start ?? HazardsApp.DefaultStart);
        ownApps.Add(own);
        return await own.WithDemo();
    }
}
