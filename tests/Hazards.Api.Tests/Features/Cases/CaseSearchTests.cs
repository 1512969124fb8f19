using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Cases;

/// <summary>
/// Every filter of GET /cases, the order, the count and GET /cases/by-code, through real HTTP on the
/// demo. The fixture's cases are all reported in the set-up; the tests only read.
/// </summary>
public sealed class CaseSearchTests
{
    private HazardsApp app = null!;
    private JsonNode gasPipe = null!;
    private JsonNode corridor = null!;
    private JsonNode nearStation = null!;
    private JsonNode gasMeterElsewhere = null!;
    private JsonNode selfCheck = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await new HazardsApp().WithDemo();
        var grid = app.ClientFor("grid");
        // The default description names 消防: the gas cases get their own, so each word matches exactly the cases
        // meant. Reports are a minute apart, since ids taken in one millisecond are ordered by their random bits.
        gasPipe = await grid.Report(Patrol("燃气管道老化", extra: new { description = "燃气管道锈蚀渗漏" }));
        gasPipe = await app.ClientFor("officer").Do(gasPipe, "assign");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        corridor = await grid.Report(Patrol("楼道杂物", extra: new { description = "楼道内杂物堵塞消防通道" }));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        nearStation = await grid.Report(Patrol("路面塌陷", extra: new
        {
            description = "路面出现塌陷坑",
            location = new { latitude = 29.5577, longitude = 106.5770, address = "渝中区消防站东侧" },
        }));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        gasMeterElsewhere = await app.ClientFor("grid2").Report(Patrol("燃气表箱破损", GridTwo, new { description = "表箱门脱落" }));
        app.Clock.Advance(TimeSpan.FromDays(2));
        selfCheck = await app.ClientFor("unit").Report(SelfCheck(UnitOne, "配电箱达标率100%_[抽检]"));
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Q_WithTwoChineseCharacters_MatchesTitleDescriptionAndAddress()
    {
        var fire = await Codes("regulator", "q=消防");
        var gas = await Codes("regulator", "q=燃气");

        Assert.That(fire, Is.EquivalentTo(new[] { Code(corridor), Code(nearStation) }));
        Assert.That(gas, Is.EquivalentTo(new[] { Code(gasPipe), Code(gasMeterElsewhere) }));
    }

    [Test]
    public async Task Q_OutsideTheCallersScope_FindsNothingThere()
    {
        var gas = await Codes("grid", "q=燃气");

        Assert.That(gas, Is.EqualTo(new[] { Code(gasPipe) }));
    }

    [TestCase("100%")]
    [TestCase("%_[")]
    [TestCase("_[抽")]
    public async Task Q_WithLikeWildcards_MatchesThemLiterally(string q)
    {
        var found = await Codes("regulator", $"q={Uri.EscapeDataString(q)}");

        Assert.That(found, Is.EqualTo(new[] { Code(selfCheck) }));
    }

    [Test]
    public async Task Q_WithAPercentAlone_DoesNotMatchEverything()
    {
        var found = await Codes("regulator", "q=%25");

        Assert.That(found, Is.EqualTo(new[] { Code(selfCheck) }));
    }

    [TestCase("")]
    [TestCase("%E6%B6%88%00")]
    public async Task Q_EmptyOrWithAControlCharacter_Returns400(string q)
    {
        var response = await app.ClientFor("regulator").GetAsync($"/api/v1/cases?q={q}");

        await response.AssertProblem(400, "request.invalid_filter");
    }

    [Test]
    public async Task Q_LongerThanAHundredCharacters_Returns400()
    {
        var response = await app.ClientFor("regulator").GetAsync($"/api/v1/cases?q={new string('隐', 101)}");

        await response.AssertProblem(400, "request.invalid_filter");
    }

    [Test]
    public async Task Code_FindsThatCaseAlone()
    {
        var found = await Codes("regulator", $"code={Code(corridor)}");
        var none = await Codes("regulator", "code=YH-500103-2026-999999");
        var outside = await Codes("grid", $"code={Code(gasMeterElsewhere)}");

        Assert.That(found, Is.EqualTo(new[] { Code(corridor) }));
        Assert.That(none, Is.Empty);
        Assert.That(outside, Is.Empty);
    }

    [Test]
    public async Task Origin_FindsOnlyThatOrigin()
    {
        var self = await Codes("regulator", "origin=selfCheck");
        var patrol = await Codes("regulator", "origin=gridPatrol");

        Assert.That(self, Is.EqualTo(new[] { Code(selfCheck) }));
        Assert.That(patrol, Is.EquivalentTo(new[] { Code(gasPipe), Code(corridor), Code(nearStation), Code(gasMeterElsewhere) }));
    }

    [Test]
    public async Task Origin_Unknown_Returns400()
    {
        var response = await app.ClientFor("regulator").GetAsync("/api/v1/cases?origin=alien");

        await response.AssertProblem(400, "request.invalid_filter");
    }

    [Test]
    public async Task UnitId_FindsTheUnitsCases()
    {
        var found = await Codes("regulator", $"unitId={UnitOne}");
        var other = await Codes("regulator", $"unitId={UnitTwo}");

        Assert.That(found, Is.EqualTo(new[] { Code(selfCheck) }));
        Assert.That(other, Is.Empty);
    }

    [Test]
    public async Task UnitId_NotAGuid_Returns400()
    {
        var response = await app.ClientFor("regulator").GetAsync("/api/v1/cases?unitId=unit-one");

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Reporter_FindsTheReportersCases()
    {
        var unit = await Codes("regulator", "reporter=unit");
        var grid2 = await Codes("regulator", "reporter=grid2");

        Assert.That(unit, Is.EqualTo(new[] { Code(selfCheck) }));
        Assert.That(grid2, Is.EqualTo(new[] { Code(gasMeterElsewhere) }));
    }

    [Test]
    public async Task ReportedFromAndTo_AreShanghaiDaysIncludingBothEnds()
    {
        var later = await Codes("regulator", "reportedFrom=2026-03-04");
        var firstDay = await Codes("regulator", "reportedFrom=2026-03-02&reportedTo=2026-03-02");
        var between = await Codes("regulator", "reportedFrom=2026-03-03&reportedTo=2026-03-03");

        Assert.That(later, Is.EqualTo(new[] { Code(selfCheck) }));
        Assert.That(firstDay, Is.EquivalentTo(new[] { Code(gasPipe), Code(corridor), Code(nearStation), Code(gasMeterElsewhere) }));
        Assert.That(between, Is.Empty);
    }

    [TestCase("reportedFrom=2026-03-05&reportedTo=2026-03-04", "request.invalid_filter")]
    [TestCase("reportedFrom=1900-01-01", "request.date_out_of_range")]
    [TestCase("reportedTo=9999-12-31", "request.date_out_of_range")]
    [TestCase("deadlineBefore=0001-01-01", "request.date_out_of_range")]
    public async Task Dates_ReversedOrOutOfRange_Return400(string query, string code)
    {
        var response = await app.ClientFor("regulator").GetAsync($"/api/v1/cases?{query}");

        await response.AssertProblem(400, code);
    }

    [Test]
    public async Task DeadlineBefore_FindsCasesDueBeforeThatDay()
    {
        var deadline = DateOnly.FromDateTime(gasPipe["deadline"]!.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(8)).DateTime);

        var due = await Codes("regulator", $"deadlineBefore={deadline.AddDays(1):yyyy-MM-dd}");
        var notYet = await Codes("regulator", $"deadlineBefore={deadline:yyyy-MM-dd}");

        Assert.That(due, Is.EqualTo(new[] { Code(gasPipe) }));
        Assert.That(notYet, Is.Empty);
    }

    [Test]
    public async Task Order_IsNewestReportFirst()
    {
        var page = await List("regulator", "limit=200");

        Assert.That(Items(page).Select(i => i!["code"]!.GetValue<string>()),
            Is.EqualTo(new[] { Code(selfCheck), Code(gasMeterElsewhere), Code(nearStation), Code(corridor), Code(gasPipe) }));
    }

    [Test]
    public async Task Total_WhenAskedFor_CountsEveryMatchAcrossPages()
    {
        var counted = await List("regulator", "q=燃气&limit=1&total=true");
        var plain = await List("regulator", "q=燃气&limit=1");

        Assert.That(Items(counted), Has.Count.EqualTo(1));
        Assert.That(counted["total"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(counted["nextCursor"], Is.Not.Null);
        Assert.That(plain["total"], Is.Null);
    }

    [Test]
    public async Task Filters_Combine()
    {
        var found = await Codes("regulator", $"q=燃气&reporter=grid&origin=gridPatrol&reportedTo=2026-03-02");

        Assert.That(found, Is.EqualTo(new[] { Code(gasPipe) }));
    }

    [Test]
    public async Task ByCode_InScope_AnswersTheCaseWithItsETag()
    {
        var response = await app.ClientFor("officer").GetAsync($"/api/v1/cases/by-code/{Code(corridor)}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await response.Json();
        Assert.That(body.Text("id"), Is.EqualTo(corridor.Text("id")));
        Assert.That(body["history"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{Version(corridor)}\""));
    }

    [Test]
    public async Task ByCode_OutOfScopeOrUnknown_Returns404()
    {
        var outside = await app.ClientFor("grid").GetAsync($"/api/v1/cases/by-code/{Code(gasMeterElsewhere)}");
        var unknown = await app.ClientFor("grid").GetAsync("/api/v1/cases/by-code/YH-500103-2026-999999");

        await outside.AssertProblem(404, "case.not_found");
        await unknown.AssertProblem(404, "case.not_found");
    }

    private static string Code(JsonNode hazard) => hazard.Text("code");

    private static JsonArray Items(JsonNode page) => page["items"]!.AsArray();

    private async Task<JsonNode> List(string login, string query)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/cases?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private async Task<List<string>> Codes(string login, string query) =>
        Items(await List(login, $"{query}&limit=200")).Select(i => i!["code"]!.GetValue<string>()).ToList();
}
