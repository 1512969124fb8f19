using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>
/// Every figure of the report for 渝中区 500103 over 2026-03-09..today (Fri 03-13 10:00), against a count by
/// hand from the table in <see cref="ReportCity"/>.
/// </summary>
public sealed class ClearanceMetricsTests
{
    private const string Week = "orgUnit=500103&from=2026-03-09&to=2026-03-15";

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task City() => app = await SharedCity.App;

    [Test]
    public async Task District_CountsEachCaseOnceWhereItBelongs()
    {
        var report = await ReportCity.Get(app, "regulator", Week);

        var cases = report["summary"]!["cases"]!;
        Assert.Multiple(() =>
        {
            Assert.That(report.Text("from"), Is.EqualTo("2026-03-09"));
            Assert.That(report.Text("to"), Is.EqualTo("2026-03-13"), "a to after today is cut to today");
            Assert.That(report["live"]!.GetValue<bool>(), Is.True);
            // new: B1 B2 B3 B4 B5 (B-cases reported in the period; none rejected)
            Assert.That(Total(cases, "new"), Is.EqualTo(5));
            // carried over: A1 A3 A6 rectifying, A4 fix submitted at 03-09 00:00; A2 was closed then, A5 rejected
            Assert.That(Total(cases, "carriedOver"), Is.EqualTo(4));
            // closed in the period: A4 03-11, A6 03-12, B2 03-10, B3 03-12
            Assert.That(Total(cases, "closed"), Is.EqualTo(4));
            // fixed on time: A4 (fix 03-10, due 03-11), B2 (on the spot), B3 (fix 03-11, due 03-19); A6 was fixed late
            Assert.That(cases["fixedOnTime"]!.GetValue<int>(), Is.EqualTo(3));
            // open now: A1 A2(reopened) A3 B1 B4 B5
            Assert.That(Total(cases, "open"), Is.EqualTo(6));
            // overdue now: A1 (due 03-11), A3 (due 03-10), B4 (triage due 03-11)
            Assert.That(Total(cases, "overdue"), Is.EqualTo(3));
            Assert.That(cases["openMajor"]!.GetValue<int>(), Is.EqualTo(2), "A3 B5");
            Assert.That(cases["openOverdueMajor"]!.GetValue<int>(), Is.EqualTo(1), "A3");
            Assert.That(cases["rejected"]!.GetValue<int>(), Is.Zero, "A5 was rejected before the period");
        });
    }

    [Test]
    public async Task District_SplitsEachCountByLevelSectorAndOrigin()
    {
        var cases = (await ReportCity.Get(app, "regulator", Week))["summary"]!["cases"]!;

        Assert.Multiple(() =>
        {
            Assert.That(Split(cases, "new", "byLevel"), Is.EquivalentTo(new Dictionary<string, int> { ["general"] = 4, ["major"] = 1 }));
            Assert.That(Split(cases, "new", "bySector"), Is.EquivalentTo(new Dictionary<string, int>
            {
                ["fire"] = 1, ["smallWorks"] = 1, ["construction"] = 1, ["gas"] = 1, ["hazardousChemicals"] = 1,
            }));
            Assert.That(Split(cases, "new", "byOrigin"), Is.EquivalentTo(new Dictionary<string, int>
            {
                ["selfCheck"] = 2, ["gridPatrol"] = 2, ["regulatorInspection"] = 1,
            }));
            Assert.That(Split(cases, "carriedOver", "bySector"), Is.EquivalentTo(new Dictionary<string, int> { ["fire"] = 3, ["gas"] = 1 }));
            Assert.That(Split(cases, "carriedOver", "byLevel"), Is.EquivalentTo(new Dictionary<string, int> { ["general"] = 3, ["major"] = 1 }));
            Assert.That(Split(cases, "closed", "byOrigin"), Is.EquivalentTo(new Dictionary<string, int> { ["gridPatrol"] = 3, ["selfCheck"] = 1 }));
            Assert.That(Split(cases, "open", "bySector"), Is.EquivalentTo(new Dictionary<string, int>
            {
                ["fire"] = 2, ["specialEquipment"] = 1, ["gas"] = 2, ["hazardousChemicals"] = 1,
            }));
            Assert.That(Split(cases, "open", "byLevel"), Is.EquivalentTo(new Dictionary<string, int> { ["general"] = 4, ["major"] = 2 }));
            Assert.That(Split(cases, "overdue", "byOrigin"), Is.EquivalentTo(new Dictionary<string, int> { ["gridPatrol"] = 2, ["regulatorInspection"] = 1 }));
            Assert.That(cases["open"]!["bySector"]!.AsObject().Count, Is.EqualTo(14), "every sector is present, with 0 where there is none");
            Assert.That(cases["open"]!["byOrigin"]!.AsObject().Count, Is.EqualTo(7));
        });
    }

    [Test]
    public async Task District_EveryRateStatesItsNumeratorAndDenominator()
    {
        var rates = (await ReportCity.Get(app, "regulator", Week))["summary"]!["rates"]!;

        Assert.Multiple(() =>
        {
            // closed with the fix in time (A4 B2 B3) ÷ closed in the period (A4 A6 B2 B3) ∪ open with a deadline in the period (A1 A3)
            Assert.That(Rate(rates, "onTimeRectification"), Is.EqualTo((3, 6, 0.5)));
            // closed 4 ÷ (carried over 4 + new 5)
            Assert.That(Rate(rates, "closeOut"), Is.EqualTo((4, 9, 0.4444)));
            // self-reported new B1 B2 ÷ new 5
            Assert.That(Rate(rates, "selfReport"), Is.EqualTo((2, 5, 0.4)));
            // failed checks in the period (A4 03-09) ÷ fixes submitted in the period (A4 03-10, B2 03-09 on the spot, B3 03-11, A6 03-12)
            Assert.That(Rate(rates, "rework"), Is.EqualTo((1, 4, 0.25)));
            // extended (B1) ÷ assigned cases of the period's caseload (A1 A3 A4 A6 B1 B3 B5; B2 was fixed on the spot, B4 never assigned)
            Assert.That(Rate(rates, "extension"), Is.EqualTo((1, 7, 0.1429)));
            // reopened as fake (A2 03-10) ÷ closes in the period (4)
            Assert.That(Rate(rates, "reopen"), Is.EqualTo((1, 4, 0.25)));
            // daily slots of 03-09..03-12: 12 units × 4 days, 2 filled by unit
            Assert.That(Rate(rates, "cadence"), Is.EqualTo((2, 48, 0.0417)));
        });
    }

    [Test]
    public async Task District_CadenceNoticesListingsAndPenalties()
    {
        var summary = (await ReportCity.Get(app, "regulator", Week))["summary"]!;

        var cadence = summary["cadence"]!.AsArray().ToDictionary(c => c!.Text("cadence"));
        Assert.Multiple(() =>
        {
            Assert.That(Ints(cadence["daily"]!, "filled", "missed", "owed"), Is.EqualTo(new[] { 2, 46, 48 }));
            Assert.That(Ints(cadence["weekly"]!, "filled", "missed", "owed"), Is.EqualTo(new[] { 0, 0, 0 }), "W11 has not ended; W10 ended before the period");
            Assert.That(cadence["weekly"]!["rate"], Is.Null);
            Assert.That(cadence["monthly"]!["rate"], Is.Null);
            // 提示函: A1 (fix), B4 (triage); 警示函: unit's daily plan (7 misses in a row 03-02..03-08);
            // 通报: A3 (overdue major) and the other 11 daily plans (11 misses in a row)
            Assert.That(summary["noticesByStep"]!.AsArray().Select(s => s!["count"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 2, 1, 12, 0 }));
            Assert.That(summary["noticesByStep"]![3]!.Text("name"), Is.EqualTo("通报"));
            Assert.That(summary["overdueByStep"]!.AsArray().Select(s => s!["count"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 2, 0, 1, 0 }));
            Assert.That(Ints(summary["listed"]!, "total", "district", "city"), Is.EqualTo(new[] { 1, 0, 1 }), "A3, listed by the city");
            Assert.That(Ints(summary["penalty"]!, "exempt", "aggravated"), Is.EqualTo(new[] { 1, 2 }), "B2 exempt; A3 B5 aggravated (A2 is not in the period's caseload)");
            Assert.That(Ints(summary["activity"]!, "fixSubmissions", "reworks", "closes", "reopens", "onTimeDue", "rectifying", "extended", "newSelfReported"),
                Is.EqualTo(new[] { 4, 1, 4, 1, 6, 7, 1, 2 }));
        });
    }

    [Test]
    public async Task Townships_EachRowByHand_RankedByTheWeightedScore()
    {
        var children = (await ReportCity.Get(app, "regulator", Week))["children"]!.AsArray().ToDictionary(c => c!.Text("code"));

        var t1 = children["500103001"]!;
        var t2 = children["500103002"]!;
        var t3 = children["500103003"]!;
        Assert.Multiple(() =>
        {
            Assert.That(children.Keys, Is.EqualTo(new[] { "500103001", "500103002", "500103003" }));
            // T1: new B1 B2 B3; carried A1 A3 A6; closed A6 B2 B3; open A1 A2 A3 B1; overdue A1 A3
            Assert.That(Totals(t1), Is.EqualTo(new[] { 3, 3, 3, 4, 2 }));
            // T2: new B4 B5; carried A4; closed A4; open B4 B5; overdue B4
            Assert.That(Totals(t2), Is.EqualTo(new[] { 2, 1, 1, 2, 1 }));
            Assert.That(Totals(t3), Is.EqualTo(new[] { 0, 0, 0, 0, 0 }));
            Assert.That(Rate(t1["rates"]!, "onTimeRectification"), Is.EqualTo((2, 5, 0.4)));
            Assert.That(Rate(t1["rates"]!, "rework"), Is.EqualTo((0, 3, 0.0)), "a zero numerator is a rate of 0, present");
            Assert.That(Rate(t2["rates"]!, "onTimeRectification"), Is.EqualTo((1, 1, 1.0)));
            Assert.That(Rate(t2["rates"]!, "extension"), Is.EqualTo((0, 2, 0.0)));
            Assert.That(t3["rates"]!["onTimeRectification"], Is.Null);
            Assert.That(t3["rates"]!["closeOut"], Is.Null);
            Assert.That(Rate(t3["rates"]!, "cadence"), Is.EqualTo((0, 16, 0.0)));
            // score = 100 × Σ w·rate / Σ w (present rates) − 5 × open overdue majors
            // T1: 100 × (0.4·2/5 + 0.3·3/6 + 0.2·2/3 + 0.1·2/16) − 5 × 1 (A3) = 45.583 − 5
            Assert.That(t1["score"]!.GetValue<double>(), Is.EqualTo(40.58));
            // T2: 100 × (0.4·1 + 0.3·1/3 + 0.2·0 + 0.1·0) = 50
            Assert.That(t2["score"]!.GetValue<double>(), Is.EqualTo(50));
            // T3: only the cadence rate is present, and it is 0
            Assert.That(t3["score"]!.GetValue<double>(), Is.Zero);
            Assert.That(new[] { t1, t2, t3 }.Select(t => t["rank"]!.GetValue<int>()), Is.EqualTo(new[] { 2, 1, 3 }));
        });
    }

    [Test]
    public async Task District_Score_UsesTheConfiguredWeights()
    {
        var report = await ReportCity.Get(app, "regulator", Week);

        // 100 × (0.4·3/6 + 0.3·4/9 + 0.2·2/5 + 0.1·2/48) − 5 × 1 = 41.75 − 5
        Assert.That(report["summary"]!["score"]!.GetValue<double>(), Is.EqualTo(36.75));
        Assert.That(report["weights"]!["onTime"]!.GetValue<double>(), Is.EqualTo(0.4));
        Assert.That(report["summary"]!["rank"], Is.Null);
    }

    [Test]
    public async Task OpenMajorHazards_ListPlanStateAndWorkingDaysToOrPastTheDeadline()
    {
        var majors = (await ReportCity.Get(app, "regulator", Week))["openMajorHazards"]!.AsArray();

        Assert.That(majors.Select(m => m!.Text("title")), Is.EqualTo(new[] { "A3 燃气管道腐蚀", "B5 危化品仓库超量储存" }));
        var a3 = majors[0]!;
        var b5 = majors[1]!;
        Assert.Multiple(() =>
        {
            Assert.That(a3.Text("planState"), Is.EqualTo("approved"));
            Assert.That(a3.Text("deadlineDay"), Is.EqualTo("2026-03-10"));
            Assert.That(a3["overdue"]!.GetValue<bool>(), Is.True);
            Assert.That(a3["workingDaysOverdue"]!.GetValue<int>(), Is.EqualTo(3), "03-11, 03-12, 03-13");
            Assert.That(a3["workingDaysLeft"], Is.Null);
            Assert.That(a3.Text("childName"), Is.EqualTo("渝中区第1街道"));
            Assert.That(a3.Text("unitName"), Does.Contain("示范企业"));
            Assert.That(a3.Text("listedLevel"), Is.EqualTo("city"));
            Assert.That(b5.Text("planState"), Is.EqualTo("submitted"));
            Assert.That(b5["overdue"]!.GetValue<bool>(), Is.False);
            // working days after 03-13 up to 04-30: March 16–31 → 12, April → 22 weekdays less Qingming Mon 04-06 → 21
            Assert.That(b5["workingDaysLeft"]!.GetValue<int>(), Is.EqualTo(33));
            Assert.That(b5["workingDaysOverdue"], Is.Null);
        });
    }

    [Test]
    public async Task Yubei_MajorStillToBeTriaged_HasNoPlanAndNoDeadline()
    {
        var report = await ReportCity.Get(app, "regulator2", "from=2026-03-09");

        var major = report["openMajorHazards"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(report["orgUnit"]!.Text("code"), Is.EqualTo("500112"), "the caller's own org unit by default");
            Assert.That(major.Text("title"), Is.EqualTo("B6 矿山边坡失稳"));
            Assert.That(major.Text("planState"), Is.EqualTo("none"));
            Assert.That(major["deadline"], Is.Null);
            Assert.That(major["workingDaysLeft"], Is.Null);
            Assert.That(Total(report["summary"]!["cases"]!, "new"), Is.EqualTo(1), "B7 was rejected");
            Assert.That(report["summary"]!["cases"]!["rejected"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(Rate(report["summary"]!["rates"]!, "closeOut"), Is.EqualTo((0, 1, 0.0)));
            Assert.That(report["summary"]!["rates"]!["extension"], Is.Null, "B6 was never assigned");
        });
    }

    [Test]
    public async Task Trend_FoldsTheDaysIntoIsoWeeks()
    {
        var report = await ReportCity.Get(app, "admin", "orgUnit=500103&from=2026-03-02&to=2026-03-13");

        var trend = report["trend"]!.AsArray();
        Assert.That(trend.Select(t => (t!.Text("week"), t!.Text("start"), t!.Text("end"), t!["new"]!.GetValue<int>(), t!["closes"]!.GetValue<int>())),
            Is.EqualTo(new[]
            {
                ("2026-W10", "2026-03-02", "2026-03-08", 5, 1), // A1 A2 A3 A4 A6 (A5 rejected); A2 closed 03-05
                ("2026-W11", "2026-03-09", "2026-03-13", 5, 4),
            }));
    }

    [Test]
    public async Task PastPeriod_IsMeasuredAtItsEnd()
    {
        var report = await ReportCity.Get(app, "regulator", "orgUnit=500103&from=2026-03-02&to=2026-03-08");

        var cases = report["summary"]!["cases"]!;
        Assert.Multiple(() =>
        {
            Assert.That(report["live"]!.GetValue<bool>(), Is.False);
            Assert.That(report.Text("asOf"), Is.EqualTo("2026-03-08T16:00:00Z"), "Mon 03-09 00:00 in Asia/Shanghai");
            Assert.That(Total(cases, "new"), Is.EqualTo(5), "A1 A2 A3 A4 A6");
            Assert.That(cases["rejected"]!.GetValue<int>(), Is.EqualTo(1), "A5");
            Assert.That(Total(cases, "carriedOver"), Is.Zero);
            Assert.That(Total(cases, "closed"), Is.EqualTo(1), "A2, closed 03-05 and reopened only after the period");
            Assert.That(Total(cases, "open"), Is.EqualTo(4), "A1 A3 A4 A6");
            Assert.That(Total(cases, "overdue"), Is.Zero, "no deadline had passed on 03-08");
            Assert.That(report["openMajorHazards"]!.AsArray().Select(m => m!.Text("title")), Is.EqualTo(new[] { "A3 燃气管道腐蚀" }));
            Assert.That(Rate(report["summary"]!["rates"]!, "reopen"), Is.EqualTo((0, 1, 0.0)));
        });
    }

    [Test]
    public async Task DistrictWithoutCases_HasNoCaseRates_NeverZeroOrAHundredPercent()
    {
        var report = await ReportCity.Get(app, "admin", "orgUnit=500101&from=2026-03-09");

        var rates = report["summary"]!["rates"]!.AsObject();
        Assert.Multiple(() =>
        {
            foreach (var name in new[] { "onTimeRectification", "closeOut", "selfReport", "rework", "extension", "reopen" })
            {
                Assert.That(rates.ContainsKey(name), Is.True, name);
                Assert.That(rates[name], Is.Null, name);
            }

            Assert.That(Total(report["summary"]!["cases"]!, "open"), Is.Zero);
        });
    }

    [Test]
    public async Task NoPeriod_DefaultsToTheIsoWeekSoFar()
    {
        var report = await ReportCity.Get(app, "regulator", "");

        Assert.Multiple(() =>
        {
            Assert.That(report["orgUnit"]!.Text("code"), Is.EqualTo("500103"));
            Assert.That(report["orgUnit"]!.Text("level"), Is.EqualTo("district"));
            Assert.That(report.Text("from"), Is.EqualTo("2026-03-09"));
            Assert.That(report.Text("to"), Is.EqualTo("2026-03-13"));
            Assert.That(Total(report["summary"]!["cases"]!, "new"), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task City_RanksItsDistricts()
    {
        var report = await ReportCity.Get(app, "admin", "from=2026-03-09");

        var children = report["children"]!.AsArray();
        var yuzhong = children.Single(c => c!.Text("code") == "500103")!;
        Assert.Multiple(() =>
        {
            Assert.That(children, Has.Count.EqualTo(38));
            Assert.That(yuzhong["rank"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(children.Where(c => c!.Text("code") != "500103").Select(c => c!["rank"]!.GetValue<int>()), Has.All.EqualTo(2),
                "ties share a rank: every other district scores 0 on cadence alone");
            Assert.That(Total(report["summary"]!["cases"]!, "new"), Is.EqualTo(6), "5 in 渝中区, B6 in 渝北区");
        });
    }

    internal static int Total(JsonNode cases, string measure) => cases[measure]!["total"]!.GetValue<int>();

    private static int[] Totals(JsonNode unit) =>
        new[] { "new", "carriedOver", "closed", "open", "overdue" }.Select(m => Total(unit["cases"]!, m)).ToArray();

    private static Dictionary<string, int> Split(JsonNode cases, string measure, string by) => cases[measure]![by]!.AsObject()
        .Where(p => p.Value!.GetValue<int>() != 0)
        .ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());

    private static int[] Ints(JsonNode node, params string[] names) => names.Select(n => node[n]!.GetValue<int>()).ToArray();

    internal static (int, int, double)? Rate(JsonNode rates, string name) => rates[name] is { } rate
        ? (rate["numerator"]!.GetValue<int>(), rate["denominator"]!.GetValue<int>(), rate["value"]!.GetValue<double>())
        : null;
}
