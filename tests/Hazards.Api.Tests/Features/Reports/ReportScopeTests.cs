using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>Who may pull which report, and the problems bad parameters get.</summary>
public sealed class ReportScopeTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task City() => app = await SharedCity.App;

    [TestCase("regulator2", "500103")]
    [TestCase("officer", "500103")]
    [TestCase("officer", "500103002")]
    [TestCase("grid", "500103001")]
    [TestCase("regulator", "500000")]
    [TestCase("admin", "999999")]
    public async Task OrgUnitOutsideTheCallersScope_Answers404(string login, string orgUnit)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/reports/clearance?orgUnit={orgUnit}");

        await response.AssertProblem(404, "org_unit.not_found");
    }

    [TestCase("officer", "500103001", "500103001")]
    [TestCase("officer", null, "500103001")]
    [TestCase("grid", null, "500103001001001")]
    [TestCase("admin", "500112", "500112")]
    [TestCase("regulator", "500103002", "500103002")]
    public async Task OrgUnitInScope_Answers200(string login, string? orgUnit, string expected)
    {
        var report = await ReportCity.Get(app, login, orgUnit is null ? "" : $"orgUnit={orgUnit}");

        Assert.That(report["orgUnit"]!.Text("code"), Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("500103001001001")]
    public async Task UnitOfficer_ForTheirOwnGrid_Answers403(string? orgUnit)
    {
        var response = await app.ClientFor("unit").GetAsync($"/api/v1/reports/clearance{(orgUnit is null ? "" : $"?orgUnit={orgUnit}")}");

        await response.AssertProblem(403, "report.forbidden");
    }

    [TestCase("500103002001001")]
    [TestCase("500103")]
    public async Task UnitOfficer_OutsideTheirGrid_Answers404LikeAnyoneOutOfScope(string orgUnit)
    {
        var response = await app.ClientFor("unit").GetAsync($"/api/v1/reports/clearance?orgUnit={orgUnit}");

        await response.AssertProblem(404, "org_unit.not_found");
    }

    [Test]
    public async Task Anonymous_Answers401()
    {
        var response = await app.ClientFor(null).GetAsync("/api/v1/reports/clearance");

        await response.AssertProblem(401, "auth.unauthenticated");
    }

    [TestCase("format=pdf", "report.invalid_format")]
    [TestCase("format=JSON", "report.invalid_format")]
    [TestCase("from=2026-03-10&to=2026-03-09", "report.invalid_period")]
    [TestCase("from=2025-03-01&to=2026-03-02", "report.period_too_long")]
    [TestCase("from=2026-03-14", "report.period_in_future")]
    [TestCase("from=2026-3-9", "report.invalid_date")]
    [TestCase("to=yesterday", "report.invalid_date")]
    public async Task BadParameters_Answer400(string query, string code)
    {
        var response = await app.ClientFor("regulator").GetAsync($"/api/v1/reports/clearance?{query}");

        await response.AssertProblem(400, code);
    }

    [Test]
    public async Task ExactlyAYearAndADay_IsAccepted()
    {
        var report = await ReportCity.Get(app, "regulator", "from=2025-03-13&to=2026-03-13");

        Assert.That(report.Text("from"), Is.EqualTo("2025-03-13"));
        Assert.That(report["trend"]!.AsArray(), Has.Count.EqualTo(53));
    }
}
