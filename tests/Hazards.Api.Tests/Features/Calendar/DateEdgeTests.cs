using System.Text.Json.Nodes;
using Hazards.Api.Features.Reports;
using Hazards.Api.Tests.Security;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Features.Calendar.CalendarDriver;

namespace Hazards.Api.Tests.Features.Calendar;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// Every date the API takes is bounded at the edge (400 with a code, nothing written), and
/// the reports and the weekly job survive a bad row already in the database. Each of these answered 500.
/// </summary>
public sealed class DateEdgeTests
{
    private HazardsApp app = null!;
    private World world = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await new HazardsApp(new Dictionary<string, string?>(World.Settings)).WithDemo();
        world = new World(app);
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCase("grid")]
    [TestCase("officer")]
    [TestCase("regulator")]
    [TestCase("admin")]
    public async Task ClearanceReport_ForTheFirstDayOfTheCalendar_Answers400(string login)
    {
        var response = await world.As(login).GetAsync($"/api/v1/reports/clearance?orgUnit={World.Grid}&from=0001-01-01&to=0001-01-01");

        await response.AssertProblem(400, "request.date_out_of_range");
    }

    [TestCase("from=0001-01-01")]
    [TestCase("to=9999-12-31")]
    [TestCase("from=0001-01-01&to=9999-12-31")]
    public async Task Escalations_WithADayOutOfRange_Answers400(string query)
    {
        var response = await world.As("officer").GetAsync($"/api/v1/escalations?{query}");

        await response.AssertProblem(400, "request.date_out_of_range");
    }

    [TestCase("0001-01-01", "0001-01-01")]
    [TestCase("9999-12-31", "9999-12-31")]
    [TestCase("0001-01-01", "0001-12-31")]
    public async Task DrawSpotChecks_WithDaysOutOfRange_Answers400AndWritesNothing(string from, string to)
    {
        var body = world.DrawBody();
        body["from"] = from;
        body["to"] = to;
        var fingerprint = await Fingerprint.For(app);
        var before = await fingerprint.Take();

        var response = await world.As("regulator").PostJson("/api/v1/spot-checks", body);

        await response.AssertProblem(400, "validation.failed");
        Assert.That(await fingerprint.Take(), Is.EqualTo(before));
    }

    [TestCase("0001-01-01")]
    [TestCase("9999-12-31")]
    public async Task SubmitInspection_ForAPeriodOutOfRange_Answers400AndWritesNothing(string period)
    {
        var body = World.InspectionBody(await world.InspectionPlan(gridPlan: false));
        body["period"] = period;
        var fingerprint = await Fingerprint.For(app);
        var before = await fingerprint.Take();

        var response = await world.As("unit").PostJson("/api/v1/inspections", body);

        await response.AssertProblem(400, "inspection.period_invalid");
        Assert.That(await fingerprint.Take(), Is.EqualTo(before));
    }

    [TestCase("2026-06-01", "2026-05-01")]
    [TestCase(null, "2026-01-01")]
    [TestCase("2026-03-02", "9999-12-31")]
    [TestCase("0001-01-01", null)]
    public async Task CreatePlan_WithActiveToBeforeActiveFromOrOutOfRange_Answers400(string? from, string? to)
    {
        var body = World.InspectionPlanBody("team");
        body["activeFrom"] = from;
        body["activeTo"] = to;

        var response = await world.As("officer").PostJson($"/api/v1/units/{World.Unit}/plans", body);

        Assert.That((int)response.StatusCode, Is.EqualTo(400), await response.Content.ReadAsStringAsync());
        Assert.That((await response.Json()).Text("code"), Is.AnyOf("validation.failed", "inspection.active_to_before_from", "inspection.active_from_past"));
    }

    [TestCase("9999-12-31")]
    [TestCase("2027-03-03")]
    public async Task RequestExtension_BeyondThePolicysBound_Answers400(string until)
    {
        var hazard = await world.Case(Stage.Rectifying);

        var response = await world.As("unit").Act(hazard, "extension", new { until, reason = "需要采购配件" });

        await response.AssertProblem(400, "validation.failed");
    }

    [TestCase("9999-12-31")]
    [TestCase("2027-03-03")]
    [TestCase("0001-01-01")]
    public async Task SubmitPlan_WithATimeLimitBeyondThePolicysBound_Answers400(string timeLimit)
    {
        var hazard = await world.Case(Stage.MajorRectifying);
        var body = World.PlanBody();
        body["timeLimit"] = timeLimit;

        var response = await world.As("unit").Act(hazard, "plan", body);

        await response.AssertProblem(400, "validation.failed");
    }

    [Test]
    public async Task ClearanceReportAndWeeklyJob_WithAnExtensionTo9999AlreadyStored_StillAnswer()
    {
        var own = await new HazardsApp(new Dictionary<string, string?>(World.Settings)).WithDemo();
        try
        {
            var ownWorld = new World(own);
            var hazard = await ownWorld.Case(Stage.Rectifying);
            // A row as the service wrote it before extensions were bounded at submission.
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(own.ConnectionString))
            {
                await Dapper.SqlMapper.ExecuteAsync(connection,
                    "UPDATE cases SET deadline = '9999-12-31T15:59:59.0000000Z', extension_until = '9999-12-31', extension_count = 1 WHERE id = @Id",
                    new { Id = Cases.Id(hazard).ToString() });
            }

            var failures = new List<string>();
            foreach (var format in new[] { "json", "csv", "xlsx", "html" })
            {
                foreach (var code in new[] { "500000", "500103", "500103001", World.Grid })
                {
                    var response = await ownWorld.As("admin").GetAsync($"/api/v1/reports/clearance?orgUnit={code}&format={format}");
                    if ((int)response.StatusCode != 200)
                    {
                        failures.Add($"{code} {format}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }

            own.Clock.SetUtcNow(At("2026-03-09T01:00:00Z"));
            var weekly = (WeeklyReportResult)(await Send(own, new SendWeeklyReportsCommand()))!;

            Assert.That(failures, Is.Empty);
            Assert.That(weekly.Districts, Is.GreaterThanOrEqualTo(2), "every district with regulators got its report");
        }
        finally
        {
            own.Dispose();
        }
    }

    [Test]
    public async Task WeeklyJob_WhenOneDistrictsReportCannotBeComputed_SendsTheOthersAndCountsTheOne()
    {
        var own = await new HazardsApp(new Dictionary<string, string?>(World.Settings)).WithDemo();
        try
        {
            var hazard = await new World(own).Case(Stage.MajorRectifying);
            // A row no reader can parse, in 渝中区 (500103) only: the open major hazards list reads its deadline.
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(own.ConnectionString))
            {
                await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE cases SET deadline = 'not an instant' WHERE id = @Id", new { Id = Cases.Id(hazard).ToString() });
            }

            own.Clock.SetUtcNow(At("2026-03-09T01:00:00Z"));
            var weekly = (WeeklyReportResult)(await Send(own, new SendWeeklyReportsCommand()))!;

            Assert.That(weekly.Failed, Is.EqualTo(1));
            Assert.That(weekly.Districts, Is.GreaterThanOrEqualTo(1));
            Assert.That(await own.Count("SELECT COUNT(*) FROM report_deliveries WHERE district_code = '500103'"), Is.Zero);
            Assert.That(await own.Count("SELECT COUNT(*) FROM report_deliveries WHERE district_code = '500112'"), Is.EqualTo(1));
        }
        finally
        {
            own.Dispose();
        }
    }
}
