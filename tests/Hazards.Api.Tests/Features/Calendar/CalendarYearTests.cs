using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Features.Calendar.CalendarDriver;

namespace Hazards.Api.Tests.Features.Calendar;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>Provisional years by law, official years loaded at run time, in the database.</summary>
public sealed class CalendarYearTests
{
    private readonly OwnApps apps = new();

    [TearDown]
    public void Stop() => apps.Dispose();

    [Test]
    public async Task Assign_InLateDecemberBeforeAProvisionalYear_SkipsNewYearsDay()
    {
        // Mon 2026-12-28 10:00 local; 7 working days: 12-29, 12-30, 12-31, (01-01 元旦, 01-02/03 weekend), 01-04, 05, 06, 07.
        var app = await apps.Start(At("2026-12-28T02:00:00Z"));
        var reported = await app.ClientFor("grid").Report(Cases.Patrol());

        var assigned = await app.ClientFor("officer").Do(reported, "assign");

        Assert.That(assigned.Text("deadline"), Is.EqualTo("2027-01-07T15:59:59Z"));
    }

    [Test]
    public async Task Report_OnNewYearsEveOfAProvisionalYear_GivesTriageUntilTheFirstWorkingDayOfJanuary()
    {
        var app = await apps.Start(At("2026-12-31T02:00:00Z"));

        var reported = await app.ClientFor("grid").Report(Cases.Patrol());

        Assert.That(reported.Text("triageDeadline"), Is.EqualTo("2027-01-04T15:59:59Z"));
    }

    [Test]
    public async Task Get_AProvisionalYear_AnswersTheLawsHolidaysAtVersionZero()
    {
        var app = await apps.Start(HazardsApp.DefaultStart);
        var response = await app.ClientFor("grid").GetAsync("/api/v1/calendar/2027");

        var year = await response.Json();

        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"0\""));
        Assert.That(year.Text("status"), Is.EqualTo("provisional"));
        Assert.That(year["days"]!.AsArray().Select(d => d!.Text("date")), Does.Contain("2027-01-01").And.Contain("2027-02-05").And.Contain("2027-10-03"));
        Assert.That(year["days"]!.AsArray().Select(d => d!.Text("kind")).Distinct(), Is.EqualTo(new[] { "holiday" }));
        Assert.That(year["loadedBy"], Is.Null);
    }

    [Test]
    public async Task Get_ABuiltInYear_IsOfficialFromTheStartingData()
    {
        var app = await apps.Start(HazardsApp.DefaultStart);

        var year = await app.ClientFor("unit").Year(2026);

        Assert.That(year.Text("status"), Is.EqualTo("official"));
        Assert.That(year.Text("source"), Is.EqualTo("builtIn"));
        Assert.That(year["version"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(year["days"]!.AsArray().Single(d => d!.Text("date") == "2026-02-14")!.Text("kind"), Is.EqualTo("workday"));
    }

    [Test]
    public async Task Start_WithAnExtraDaysFile_LoadsItsYearsAsOfficial()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hazards-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "extra.csv");
        await File.WriteAllTextAsync(file, "date,kind,holiday\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-01-03,holiday,元旦\n");
        var app = await apps.Start(At("2026-12-28T02:00:00Z"), new Dictionary<string, string?> { ["Calendar:ExtraDaysFile"] = file });

        var year = await app.ClientFor("grid").Year(2027);
        var assigned = await app.ClientFor("officer").Do(await app.ClientFor("grid").Report(Cases.Patrol()), "assign");
        Directory.Delete(folder, recursive: true);

        Assert.That(year.Text("status"), Is.EqualTo("official"));
        Assert.That(year.Text("source"), Is.EqualTo("extraDaysFile"));
        Assert.That(year["days"]!.AsArray(), Has.Count.EqualTo(3));
        // An official 2027 without 春节 listed: only 01-01 rests before the deadline, as before.
        Assert.That(assigned.Text("deadline"), Is.EqualTo("2027-01-07T15:59:59Z"));
    }

    [Test]
    public async Task Put_ByACityAdminWithTheVersionRead_ReplacesTheYearAndRecordsWhoAndWhen()
    {
        var app = await apps.Start(At("2026-11-20T02:00:00Z"));
        var admin = app.ClientFor("admin");

        var response = await admin.Put(2027, Notice2027(), "\"0\"");
        var stored = await app.ClientFor("grid").Year(2027);
        var again = await admin.Put(2027, Body(Day("2027-01-01", "holiday", "元旦")), "\"1\"");
        var replaced = await app.ClientFor("grid").Year(2027);

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That(stored.Text("status"), Is.EqualTo("official"));
        Assert.That(stored.Text("loadedBy"), Is.EqualTo("admin"));
        Assert.That(stored.Text("loadedAt"), Is.EqualTo("2026-11-20T02:00:00Z"));
        Assert.That(stored["days"]!.AsArray(), Has.Count.EqualTo(Notice2027()["days"]!.AsArray().Count));
        Assert.That((int)again.StatusCode, Is.EqualTo(200));
        Assert.That(replaced["days"]!.AsArray().Select(d => d!.Text("date")), Is.EqualTo(new[] { "2027-01-01" }));
        Assert.That(replaced["version"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(await app.Count("SELECT COUNT(*) FROM calendar_days WHERE year = 2027"), Is.EqualTo(1));
    }

    [Test]
    public async Task Put_WithAStaleOrMissingVersion_Answers412Or428AndWritesNothing()
    {
        var app = await apps.Start(HazardsApp.DefaultStart);
        var admin = app.ClientFor("admin");
        var before = await app.Count("SELECT COUNT(*) FROM calendar_days");

        var stale = await admin.Put(2026, Notice2027Shaped(2026), "\"0\"");
        var missing = await admin.Put(2027, Notice2027(), null);

        await stale.AssertProblem(412, "concurrency.stale_version");
        await missing.AssertProblem(428, "concurrency.if_match_required");
        Assert.That(await app.Count("SELECT COUNT(*) FROM calendar_days"), Is.EqualTo(before));
        Assert.That(await app.Count("SELECT COUNT(*) FROM calendar_years WHERE year = 2027"), Is.Zero);
    }

    [TestCase("grid")]
    [TestCase("officer")]
    [TestCase("regulator")]
    public async Task Put_ByAnyoneButACityAdmin_Answers403(string login)
    {
        var app = await apps.Start(HazardsApp.DefaultStart);

        var response = await app.ClientFor(login).Put(2027, Notice2027(), "\"0\"");

        await response.AssertProblem(403, "calendar.forbidden");
        Assert.That(await app.Count("SELECT COUNT(*) FROM calendar_years WHERE year = 2027"), Is.Zero);
    }

    [TestCase("{\"days\":[]}", "calendar.empty_year")]
    [TestCase("{}", "calendar.empty_year")]
    [TestCase("{\"days\":[{\"date\":\"2028-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}]}", "calendar.day_outside_year")]
    [TestCase("{\"days\":[{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"},{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}]}", "calendar.day_twice")]
    [TestCase("{\"days\":[{\"date\":\"2027-01-04\",\"kind\":\"workday\",\"name\":\"元旦\"}]}", "calendar.workday_not_weekend")]
    [TestCase("{\"days\":[{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"\"}]}", "calendar.day_invalid")]
    [TestCase("{\"days\":[{\"date\":\"2027-01-01\",\"name\":\"元旦\"}]}", "calendar.day_invalid")]
    [TestCase("{\"days\":[{\"date\":\"2027-01-01\",\"kind\":\"vacation\",\"name\":\"元旦\"}]}", "request.malformed")]
    public async Task Put_WithABadBody_Answers400WithItsCodeAndWritesNothing(string body, string code)
    {
        var app = await apps.Start(HazardsApp.DefaultStart);
        var before = await app.Text("SELECT group_concat(day || kind || name) FROM calendar_days") + await app.Text("SELECT group_concat(stamp) FROM calendar_stamp");

        var response = await app.ClientFor("admin").Put(2027, JsonNode.Parse(body)!, "\"0\"");

        await response.AssertProblem(400, code);
        Assert.That(await app.Text("SELECT group_concat(day || kind || name) FROM calendar_days") + await app.Text("SELECT group_concat(stamp) FROM calendar_stamp"),
            Is.EqualTo(before));
        Assert.That(await app.Count("SELECT COUNT(*) FROM calendar_years WHERE year = 2027"), Is.Zero);
    }

    [TestCase(1999)]
    [TestCase(2101)]
    [TestCase(0)]
    [TestCase(-5)]
    public async Task GetOrPut_AYearOutOfRange_Answers400(int year)
    {
        var app = await apps.Start(HazardsApp.DefaultStart);

        var get = await app.ClientFor("grid").GetAsync($"/api/v1/calendar/{year}");
        var put = await app.ClientFor("admin").Put(year, Body(Day("2027-01-01", "holiday", "元旦")), "\"0\"");

        await get.AssertProblem(400, "calendar.year_out_of_range");
        await put.AssertProblem(400, "calendar.year_out_of_range");
    }

    [Test]
    public async Task Put_OnOneInstance_IsUsedByAnotherInstanceOnTheSameDatabase()
    {
        var first = await apps.Start(At("2026-12-28T02:00:00Z"));
        var second = apps.Beside(first, At("2026-12-28T02:00:00Z"), new Dictionary<string, string?> { ["Calendar:StampCheckMilliseconds"] = "0" });
        var reportedBefore = await second.ClientFor("grid").Report(Cases.Patrol());

        var put = await first.ClientFor("admin").Put(2027, Body(Day("2027-01-01", "holiday", "元旦"), Day("2027-01-04", "holiday", "元旦")), "\"0\"");
        var assigned = await second.ClientFor("officer").Do(await second.ClientFor("grid").Report(Cases.Patrol()), "assign");

        Assert.That((int)put.StatusCode, Is.EqualTo(200), await put.Content.ReadAsStringAsync());
        Assert.That(reportedBefore.Text("triageDeadline"), Is.EqualTo("2026-12-29T15:59:59Z"));
        Assert.That(assigned.Text("deadline"), Is.EqualTo("2027-01-08T15:59:59Z"), "01-04 is a holiday by the notice the other instance loaded");
    }

    /// <summary>A notice shaped like the State Council's (dates made up for the test: 2027's is not out yet).</summary>
    public static JsonObject Notice2027() => Body(
        Day("2027-01-01", "holiday", "元旦"), Day("2027-01-02", "holiday", "元旦"), Day("2027-01-03", "holiday", "元旦"),
        Day("2027-02-05", "holiday", "春节"), Day("2027-02-06", "holiday", "春节"), Day("2027-02-07", "holiday", "春节"),
        Day("2027-02-08", "holiday", "春节"), Day("2027-02-09", "holiday", "春节"), Day("2027-02-10", "holiday", "春节"),
        Day("2027-02-11", "holiday", "春节"), Day("2027-02-12", "holiday", "春节"), Day("2027-02-20", "workday", "春节"));

    private static JsonObject Notice2027Shaped(int year) => Body(Day($"{year}-01-01", "holiday", "元旦"));
}
