using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Features.Supervision.SupervisionDriver;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Supervision;

/// <summary>挂牌督办 by hand: who may list at which level, de-listing, and the automatic de-listing on close.</summary>
public sealed class ListingTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task List_ByTheDistrict_ListsWithLevelDeadlineAndHistoryAndShowsInTheListedFilter()
    {
        var hazard = await Assigned("区级挂牌");

        var listed = await app.ClientFor("regulator").Do(hazard, "list", new { level = "district", reason = "群众反映强烈", deadline = "2026-03-31" });
        var page = await (await app.ClientFor("regulator").GetAsync("/api/v1/cases?listed=true&limit=200")).Json();
        var unlisted = await (await app.ClientFor("regulator").GetAsync("/api/v1/cases?listed=false&limit=200")).Json();

        Assert.That(listed["listed"]!.GetValue<bool>(), Is.True);
        Assert.That(listed.Text("listedLevel"), Is.EqualTo("district"));
        Assert.That(listed.Text("listingDeadline"), Is.EqualTo("2026-03-31"));
        var last = listed["history"]!.AsArray().Last()!;
        Assert.That(last.Text("action"), Is.EqualTo("list"));
        Assert.That(last.Text("reason"), Is.EqualTo("群众反映强烈"));
        Assert.That(last["details"]!.Text("listingDeadline"), Is.EqualTo("2026-03-31"));
        Assert.That(Ids(page, "items"), Does.Contain(CaseDriver.Id(hazard)));
        Assert.That(Ids(unlisted, "items"), Does.Not.Contain(CaseDriver.Id(hazard)));
    }

    [Test]
    public async Task List_ByATownshipOfficer_Returns403()
    {
        var hazard = await Assigned("街道无权挂牌");

        var response = await app.ClientFor("officer").Act(hazard, "list", new { level = "district", reason = "x", deadline = "2026-03-31" });

        await response.AssertProblem(403, "case.role_forbidden");
    }

    [Test]
    public async Task List_AtCityLevel_OnlyByTheCityAdmin()
    {
        var hazard = await Assigned("市级挂牌");

        var byDistrict = await app.ClientFor("regulator").Act(hazard, "list", new { level = "city", reason = "重大", deadline = "2026-03-31" });
        var byCity = await app.ClientFor("admin").Do(hazard, "list", new { level = "city", reason = "重大", deadline = "2026-03-31" });
        var delistByDistrict = await app.ClientFor("regulator").Act(byCity, "delist", new { reason = "整改进展顺利" });

        await byDistrict.AssertProblem(403, "case.list_city_requires_admin");
        Assert.That(byCity.Text("listedLevel"), Is.EqualTo("city"));
        await delistByDistrict.AssertProblem(403, "case.delist_city_requires_admin");
    }

    [Test]
    public async Task Delist_RemovesTheListingWithAHistoryRow()
    {
        var hazard = await Assigned("摘牌");
        var listed = await app.ClientFor("regulator").Do(hazard, "list", new { level = "district", reason = "逾期", deadline = "2026-03-31" });

        var delisted = await app.ClientFor("regulator").Do(listed, "delist", new { reason = "整改方案已落实" });

        Assert.That(delisted["listed"]!.GetValue<bool>(), Is.False);
        Assert.That(delisted["listedLevel"], Is.Null);
        Assert.That(delisted["listingDeadline"], Is.Null);
        Assert.That(delisted["history"]!.AsArray().Last()!.Text("action"), Is.EqualTo("delist"));
    }

    [Test]
    public async Task Close_DelistsAutomatically()
    {
        var hazard = await Assigned("销号自动摘牌");
        var listed = await app.ClientFor("regulator").Do(hazard, "list", new { level = "district", reason = "逾期", deadline = "2026-03-31" });
        var unit = app.ClientFor("unit");
        var fixedCase = await unit.Do(listed, "fix", new { attachmentIds = new[] { await unit.Upload() } });

        var closed = await app.ClientFor("officer").Do(fixedCase, "verify", new { passed = true });

        Assert.That(closed["listed"]!.GetValue<bool>(), Is.False);
        Assert.That(closed["listingDeadline"], Is.Null);
        Assert.That(closed["history"]!.AsArray().Last()!["details"]!.Text("delisted"), Is.EqualTo("true"));
    }

    [Test]
    public async Task List_WhenClosed_Returns409()
    {
        var closed = await app.ClosedByOfficer("已销号不可挂牌");

        var response = await app.ClientFor("regulator").Act(closed, "list", new { level = "district", reason = "x", deadline = "2026-03-31" });

        await response.AssertProblem(409, "case.invalid_transition");
    }

    [Test]
    public async Task List_WhenAlreadyListed_Returns409()
    {
        var hazard = await Assigned("重复挂牌");
        var listed = await app.ClientFor("regulator").Do(hazard, "list", new { level = "district", reason = "逾期", deadline = "2026-03-31" });

        var again = await app.ClientFor("regulator").Act(listed, "list", new { level = "district", reason = "逾期", deadline = "2026-03-31" });

        await again.AssertProblem(409, "case.already_listed");
    }

    [TestCase("""{"level":"district","deadline":"2026-03-31"}""")]
    [TestCase("""{"level":"province","reason":"x","deadline":"2026-03-31"}""")]
    public async Task List_WithABadBody_Returns400(string body)
    {
        var hazard = await Assigned("挂牌参数");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{CaseDriver.Id(hazard)}/list")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{CaseDriver.Version(hazard)}\"");

        var response = await app.ClientFor("regulator").SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task List_OutOfScope_Returns404()
    {
        var hazard = await Assigned("渝北无权");

        var response = await app.ClientFor("regulator2").Act(hazard, "list", new { level = "district", reason = "x", deadline = "2026-03-31" });

        await response.AssertProblem(404, "case.not_found");
    }

    [Test]
    public async Task List_WithoutIfMatch_Returns428()
    {
        var hazard = await Assigned("无版本");

        var response = await app.ClientFor("regulator").PostJson($"/api/v1/cases/{CaseDriver.Id(hazard)}/list",
            new { level = "district", reason = "x", deadline = "2026-03-31" });

        await response.AssertProblem(428, "concurrency.if_match_required");
    }

    private async Task<JsonNode> Assigned(string title)
    {
        var reported = await app.ClientFor("grid").Report(CaseDriver.Patrol(title, extra: new { unitId = CaseDriver.UnitOne }));
        return await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
    }
}
