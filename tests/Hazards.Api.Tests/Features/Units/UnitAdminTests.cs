using System.Net;
using Hazards.Api.Tests.Features.Users;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Units;

using Cases = Hazards.Api.Tests.Support.Cases;

public sealed class UnitAdminTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Update_ToAnotherGrid_MovesTheUnitAndItsPlansWithAHistoryRow()
    {
        var officer = app.ClientFor("officer");
        var read = await officer.GetAsync($"/api/v1/units/{Cases.UnitOne}");
        var body = new { name = "改名后的示范企业", gridCode = "500103001002001", sectors = new[] { "fire", "gas" }, riskColour = "red", address = "新址" };

        var moved = await officer.Put($"/api/v1/units/{Cases.UnitOne}", body, read.Headers.ETag!.Tag);
        var stale = await officer.Put($"/api/v1/units/{Cases.UnitOne}", body, read.Headers.ETag!.Tag);
        var byGrid = await app.ClientFor("grid").Put($"/api/v1/units/{Cases.UnitOne}", body, "\"2\"");

        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        var unit = await moved.Json();
        Assert.That((unit.Text("gridCode"), unit.Text("riskColour"), unit["version"]!.GetValue<int>()), Is.EqualTo(("500103001002001", "red", 2)));
        await stale.AssertProblem(412, "concurrency.stale_version");
        await byGrid.AssertProblem(404, "unit.not_found");
        Assert.That(await app.Count("SELECT COUNT(*) FROM inspection_plans WHERE unit_id = @Id AND org_path LIKE '%/500103001002001/'", new { Id = Cases.UnitOne.ToString() }), Is.EqualTo(3));
        var history = await (await app.ClientFor("admin").GetAsync($"/api/v1/admin/history?entity=unit&id={Cases.UnitOne}")).Json();
        Assert.That(history["items"]!.AsArray().Select(h => h!.Text("action")), Does.Contain("move"));
        Assert.That(history["items"]!.AsArray().Last(h => h!.Text("action") == "move")!["before"]!.Text("gridCode"), Is.EqualTo(Cases.GridOne));
    }

    [Test]
    public async Task Close_EndsThePlansAndLeavesOpenCasesOpen()
    {
        var hazard = await app.ClientFor("grid").Report(Cases.Patrol("关停企业的隐患", extra: new { unitId = Cases.UnitOne }));
        var officer = app.ClientFor("officer");

        var response = await officer.PostJson($"/api/v1/units/{Cases.UnitOne}/close", new { reason = "停业" }, ifMatch: "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var closed = await response.Json();
        Assert.That((closed["plansEnded"]!.GetValue<int>(), closed["openCases"]!.GetValue<int>()), Is.EqualTo((3, 1)));
        Assert.That(closed["unit"]!["closedAt"], Is.Not.Null);
        Assert.That((await officer.Fetch(hazard)).Text("status"), Is.EqualTo("reported"));
        var plans = await (await officer.GetAsync($"/api/v1/units/{Cases.UnitOne}/plans")).Json();
        Assert.That(plans["items"]!.AsArray().Select(p => p!.Text("activeTo")), Is.All.EqualTo("2026-03-02"));
        var again = await officer.Put($"/api/v1/units/{Cases.UnitOne}", new { name = "x", gridCode = Cases.GridOne, sectors = new[] { "fire" }, riskColour = "red" }, "\"2\"");
        await again.AssertProblem(409, "unit.closed");
    }

    [Test]
    public async Task List_SearchesBySectorRiskAndTextWithATotalAndAUnitOfficerSeesOnlyTheirs()
    {
        var regulator = app.ClientFor("regulator");

        var all = await (await regulator.GetAsync("/api/v1/units?orgUnit=500103&limit=2")).Json();
        var page2 = await (await regulator.GetAsync($"/api/v1/units?orgUnit=500103&limit=2&cursor={all.Text("nextCursor")}")).Json();
        var fire = await (await regulator.GetAsync("/api/v1/units?orgUnit=500103&sector=construction")).Json();
        var text = await (await regulator.GetAsync("/api/v1/units?orgUnit=500103&q=%E7%AC%AC1%E8%A1%97%E9%81%93%E7%AC%AC1%E7%A4%BE%E5%8C%BA%E7%AC%AC1%E7%BD%91%E6%A0%BC")).Json();
        var own = await (await app.ClientFor("unit").GetAsync("/api/v1/units")).Json();
        var bad = await regulator.GetAsync("/api/v1/units?risk=purple");

        Assert.That(all["total"]!.GetValue<int>(), Is.EqualTo(12));
        Assert.That(page2["items"]!.AsArray().Select(u => u!.Text("id")), Is.Not.EquivalentTo(all["items"]!.AsArray().Select(u => u!.Text("id"))));
        Assert.That(fire["items"]!.AsArray().Select(u => u!["sectors"]!.AsArray().Select(s => s!.GetValue<string>())), Has.All.Contains("construction"));
        Assert.That(fire["total"]!.GetValue<int>(), Is.GreaterThan(0).And.LessThan(12));
        Assert.That(text["total"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(own["items"]!.AsArray().Select(u => u!.Text("id")), Is.EqualTo(new[] { Cases.UnitOne.ToString() }));
        await bad.AssertProblem(400, "unit.invalid_risk_colour");
    }
}
