using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Inspections;
using static Hazards.Api.Tests.Features.Inspections.InspectionDriver;

namespace Hazards.Api.Tests.Features.Inspections;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// Plans: a unit's checks and a grid's patrol. The shared app stands still at
/// <see cref="HazardsApp.DefaultStart"/>, Monday 2026-03-02 09:00 local; tests that move the clock start their own.
/// </summary>
public sealed class PlanTests
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

    private static JsonObject NewPlan(string cadence = "daily", string level = "team", string? activeFrom = null, string? activeTo = null, string name = "班组日检（夜班）")
    {
        var plan = new JsonObject
        {
            ["name"] = name,
            ["cadence"] = cadence,
            ["level"] = level,
            ["checklist"] = new JsonArray(
                new JsonObject { ["code"] = "N1", ["text"] = "夜间照明完好" },
                new JsonObject { ["code"] = "N2", ["text"] = "值班记录完整" }),
        };
        if (activeFrom is not null)
        {
            plan["activeFrom"] = activeFrom;
        }

        if (activeTo is not null)
        {
            plan["activeTo"] = activeTo;
        }

        return plan;
    }

    private static string UnitPlans(Guid unitId) => $"/api/v1/units/{unitId}/plans";

    private static string GridPlans(string gridCode) => $"/api/v1/org-units/{gridCode}/plans";

    [Test]
    public async Task CreateUnitPlan_ByTheUnitsOfficer_Returns201WithLocationAndReadsBack()
    {
        var client = app.ClientFor("unit");

        var response = await client.PostJson(UnitPlans(Cases.UnitOne), NewPlan());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = await response.Json();
        var id = created["id"]!.GetValue<Guid>();
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo($"/api/v1/inspections/plans/{id}"));
        var fetched = await client.GetAsync(response.Headers.Location);
        Assert.That(fetched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var plan = await fetched.Json();
        Assert.That(plan["id"]!.GetValue<Guid>(), Is.EqualTo(id));
        Assert.That(plan["unitId"]!.GetValue<Guid>(), Is.EqualTo(Cases.UnitOne));
        Assert.That(plan["gridCode"], Is.Null);
        Assert.That(plan.Text("cadence"), Is.EqualTo("daily"));
        Assert.That(plan.Text("level"), Is.EqualTo("team"));
        Assert.That(plan["checklist"]!.AsArray().Select(i => i!.Text("code")), Is.EqualTo(new[] { "N1", "N2" }));
        Assert.That(plan.Text("activeFrom"), Is.EqualTo("2026-03-02"), "activeFrom defaults to today in Chongqing");
        Assert.That(plan["activeTo"], Is.Null);
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_plans WHERE id = @Id AND created_by = 'unit' AND org_path = '/500000/500103/500103001/500103001001/500103001001001/'",
            new { Id = id.ToString() }), Is.EqualTo(1));
    }

    [Test]
    public async Task CreateUnitPlan_ByTownshipOfficerInScope_Returns201WithItsDates()
    {
        var client = app.ClientFor("officer");

        var response = await client.PostJson(UnitPlans(Cases.UnitOne), NewPlan("weekly", "workshop", "2026-03-09", "2026-03-31", "车间周检（三月）"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var plan = await (await client.GetAsync(response.Headers.Location)).Json();
        Assert.That(plan.Text("cadence"), Is.EqualTo("weekly"));
        Assert.That(plan.Text("level"), Is.EqualTo("workshop"));
        Assert.That(plan.Text("activeFrom"), Is.EqualTo("2026-03-09"));
        Assert.That(plan.Text("activeTo"), Is.EqualTo("2026-03-31"));
    }

    [Test]
    public async Task GetPlan_ByAnotherUnitsOfficer_Returns404()
    {
        var created = await (await app.ClientFor("unit").PostJson(UnitPlans(Cases.UnitOne), NewPlan())).Json();

        var response = await app.ClientFor("unit2").GetAsync($"/api/v1/inspections/plans/{created["id"]!.GetValue<Guid>()}");

        await response.AssertProblem(404, "inspection_plan.not_found");
    }

    [TestCase("grid")]
    [TestCase("officer")]
    public async Task CreateGridPlan_ByTheGridsWorkerOrTownship_Returns201(string login)
    {
        var client = app.ClientFor(login);

        var response = await client.PostJson(GridPlans(Cases.GridOne), NewPlan("weekly", "gridPatrol", name: $"汛期网格巡查（{login}）"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var plan = await (await client.GetAsync(response.Headers.Location)).Json();
        Assert.That(plan.Text("gridCode"), Is.EqualTo(Cases.GridOne));
        Assert.That(plan["unitId"], Is.Null);
        Assert.That(plan.Text("level"), Is.EqualTo("gridPatrol"));
        Assert.That(plan.Text("name"), Is.EqualTo($"汛期网格巡查（{login}）"));
    }

    [TestCase("emptyChecklist", "checklist")]
    [TestCase("duplicateCodes", "checklist")]
    [TestCase("gridPatrolOnAUnit", "level")]
    [TestCase("activeToBeforeActiveFrom", "activeTo")]
    public async Task CreateUnitPlan_WithInvalidBody_Returns400AndWritesNothing(string fault, string field)
    {
        var body = fault switch
        {
            "emptyChecklist" => NewPlan(),
            "duplicateCodes" => NewPlan(),
            "gridPatrolOnAUnit" => NewPlan("weekly", "gridPatrol"),
            _ => NewPlan(activeFrom: "2026-03-10", activeTo: "2026-03-09"),
        };
        if (fault == "emptyChecklist")
        {
            body["checklist"] = new JsonArray();
        }
        else if (fault == "duplicateCodes")
        {
            body["checklist"]!.AsArray().Add(new JsonObject { ["code"] = "N1", ["text"] = "重复编号" });
        }

        var before = await app.Count("SELECT COUNT(*) FROM inspection_plans");

        var response = await app.ClientFor("officer").PostJson(UnitPlans(Cases.UnitOne), body);

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }));
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_plans"), Is.EqualTo(before));
    }

    [TestCase("team")]
    [TestCase("principal")]
    public async Task CreateGridPlan_WithAUnitsLevel_Returns400(string level)
    {
        var response = await app.ClientFor("grid").PostJson(GridPlans(Cases.GridOne), NewPlan("weekly", level));

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "level" }));
    }

    [Test]
    public async Task CreateUnitPlan_StartingYesterday_Returns400()
    {
        var response = await app.ClientFor("unit").PostJson(UnitPlans(Cases.UnitOne), NewPlan(activeFrom: "2026-03-01"));

        await response.AssertProblem(400, "inspection.active_from_past");
    }

    [Test]
    public async Task CreateUnitPlan_ByAnotherUnitsOfficer_Returns404()
    {
        var response = await app.ClientFor("unit").PostJson(UnitPlans(Cases.UnitTwo), NewPlan());

        await response.AssertProblem(404, "unit.not_found");
    }

    [Test]
    public async Task CreateUnitPlan_ByGridWorker_Returns403()
    {
        var before = await app.Count("SELECT COUNT(*) FROM inspection_plans");

        var response = await app.ClientFor("grid").PostJson(UnitPlans(Cases.UnitOne), NewPlan());

        await response.AssertProblem(403, "inspection.plan_forbidden");
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_plans"), Is.EqualTo(before));
    }

    [TestCase("officer", "500112001001001")]
    [TestCase("grid", Cases.GridTwo)]
    [TestCase("unit", Cases.GridOne)]
    [TestCase("officer", "500103001001")]
    public async Task CreateGridPlan_OutsideScopeOrNotAGrid_Returns404(string login, string gridCode)
    {
        var response = await app.ClientFor(login).PostJson(GridPlans(gridCode), NewPlan("weekly", "gridPatrol"));

        await response.AssertProblem(404, "grid.not_found");
    }

    [Test]
    public async Task CreateUnitPlan_ForTheFloodSeason_OwesOnlyTheSlotsInsideItsRange()
    {
        // 汛前排查 from Tue 03-03 to Thu 03-05; the sweep runs on Sun 03-08 11:00 local, after 03-07 ended + grace.
        var own = new HazardsApp(start: HazardsApp.DefaultStart);
        ownApps.Add(own);
        await own.WithDemo();
        var unit = own.ClientFor("unit");
        var created = await unit.PostJson(UnitPlans(Cases.UnitOne), NewPlan("daily", "team", "2026-03-03", "2026-03-05", "汛前排查"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var planId = (await created.Json())["id"]!.GetValue<Guid>();
        var beforeRange = await unit.PostJson("/api/v1/inspections", Record(planId, ["N1", "N2"]));
        own.Clock.SetUtcNow(At("2026-03-08T03:00:00Z"));

        await own.Sweep();

        await beforeRange.AssertProblem(409, "inspection.period_outside_plan");
        Assert.That(await own.Missed(planId: planId), Is.EqualTo(3));
        foreach (var day in new[] { "2026-03-03", "2026-03-04", "2026-03-05" })
        {
            Assert.That(await own.Missed(day, planId), Is.EqualTo(1), day);
        }

        Assert.That(await own.Missed("2026-03-06", DailyOfUnitOne), Is.EqualTo(1), "the unit's everyday plan owes the days the flood plan does not");
        var afterRange = await own.ClientFor("unit").PostJson("/api/v1/inspections", Record(planId, ["N1", "N2"]));
        await afterRange.AssertProblem(409, "inspection.period_outside_plan");
    }

    [Test]
    public async Task CreateGridPlan_OnATuesday_OwesThisWeeksPatrolWhichCanBeRecordedThisWeek()
    {
        var own = await Tuesday();
        var grid = own.ClientFor("grid");
        var created = await grid.PostJson(GridPlans(Cases.GridOne), NewPlan("weekly", "gridPatrol", name: "新建网格巡查"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var planId = (await created.Json())["id"]!.GetValue<Guid>();

        var due = await (await grid.GetAsync("/api/v1/inspections/due?cadence=weekly&state=due&limit=200")).Json();
        var recorded = await grid.PostJson("/api/v1/inspections", Record(planId, ["N1", "N2"]));

        Assert.That(due["items"]!.AsArray().Where(s => s!["planId"]!.GetValue<Guid>() == planId).Select(s => s!["period"]!.GetValue<string>()),
            Is.EqualTo(new[] { "2026-W10" }));
        Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Created), await recorded.Content.ReadAsStringAsync());
        Assert.That((await recorded.Json())["period"]!.GetValue<string>(), Is.EqualTo("2026-W10"));
    }

    [Test]
    public async Task CreateUnitPlan_OnATuesdayStartingThisMonday_Returns201AndTheUnfilledWeekIsMissed()
    {
        var own = await Tuesday();
        var created = await own.ClientFor("unit").PostJson(UnitPlans(Cases.UnitOne), NewPlan("weekly", "workshop", "2026-03-02", name: "车间周检（新）"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var planId = (await created.Json())["id"]!.GetValue<Guid>();
        own.Clock.SetUtcNow(At("2026-03-10T03:00:00Z"));

        await own.Sweep();

        Assert.That(await own.Missed("2026-W10", planId), Is.EqualTo(1));
        Assert.That(await own.Missed(planId: planId), Is.EqualTo(1));
    }

    [TestCase("weekly", "workshop", "2026-03-01")]
    [TestCase("monthly", "enterprise", "2026-02-28")]
    [TestCase("daily", "team", "2026-03-02")]
    public async Task CreateUnitPlan_OnATuesdayStartingBeforeTheCurrentPeriod_Returns400(string cadence, string level, string activeFrom)
    {
        var own = await Tuesday();
        var before = await own.Count("SELECT COUNT(*) FROM inspection_plans");

        var response = await own.ClientFor("unit").PostJson(UnitPlans(Cases.UnitOne), NewPlan(cadence, level, activeFrom));

        await response.AssertProblem(400, "inspection.active_from_past");
        Assert.That(await own.Count("SELECT COUNT(*) FROM inspection_plans"), Is.EqualTo(before));
    }

    /// <summary>An app of its own on Tuesday 2026-03-03 09:00 local, the second day of ISO week 2026-W10.</summary>
    private async Task<HazardsApp> Tuesday()
    {
        var own = new HazardsApp(start: At("2026-03-03T01:00:00Z"));
        ownApps.Add(own);
        await own.WithDemo();
        return own;
    }
}
