using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Cases;

/// <summary>Bad input answers a 4xx problem with a stable code and writes nothing (design §12).</summary>
public sealed class CaseInputTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCase("""{"title": "坏JSON", """)]
    [TestCase("""[1, 2, 3]""")]
    public async Task Report_WithMalformedJson_Returns400AndWritesNothing(string body)
    {
        var before = await Rows();

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body, idempotencyKey: NewKey());

        await response.AssertProblem(400, "request.malformed");
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    [TestCase("title", "123", "request.malformed")]
    [TestCase("sector", "\"volcano\"", "request.malformed")]
    [TestCase("origin", "\"alien\"", "request.malformed")]
    [TestCase("sector", "3", "request.malformed")]
    [TestCase("location", """{"latitude": "north"}""", "request.malformed")]
    [TestCase("origin", "\"publicTip\"", "case.origin_not_allowed")]
    public async Task Report_WithBadField_Returns400WithCodeAndWritesNothing(string field, string value, string code)
    {
        var body = Patrol($"输入-{field}-{value}");
        body[field] = JsonNode.Parse(value);
        var before = await Rows();

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body.ToJsonString(), idempotencyKey: NewKey());

        await response.AssertProblem(400, code);
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    [TestCase("description", null, "description")]
    [TestCase("description", "\"   \"", "description")]
    [TestCase("gridCode", "\"123\"", "gridCode")]
    [TestCase("location", """{"latitude": 200, "longitude": 106.57, "address": "解放碑"}""", "location.latitude")]
    [TestCase("location", """{"latitude": 29.55, "longitude": -181, "address": "解放碑"}""", "location.longitude")]
    public async Task Report_WhenAFieldBreaksItsRule_Returns400NamingTheFieldAndWritesNothing(string field, string? value, string error)
    {
        var body = Patrol($"输入-规则-{field}-{value}");
        if (value is null)
        {
            body.Remove(field);
        }
        else
        {
            body[field] = JsonNode.Parse(value);
        }

        var before = await Rows();

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body.ToJsonString(), idempotencyKey: NewKey());

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(error));
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    [Test]
    public async Task Report_WithAHundredThousandCharacterTitle_Returns400AndWritesNothing()
    {
        var body = Patrol(new string('隐', 100_000));
        var before = await Rows();

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body.ToJsonString(), idempotencyKey: NewKey());

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("title"));
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    [Test]
    public async Task Report_ByUnitOfficerWithoutUnitId_Returns400UnitRequiredAndWritesNothing()
    {
        var before = await Rows();

        var response = await app.ClientFor("unit").PostJson("/api/v1/cases", new
        {
            title = "输入-企业未指明",
            description = "日常自查发现配电箱外壳未接地",
            sector = "specialEquipment",
            origin = "selfCheck",
            gridCode = CaseDriver.GridOne,
        }, idempotencyKey: NewKey());

        await response.AssertProblem(400, "case.unit_required");
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    [Test]
    public async Task Report_WhenUnitIsNotInTheGridNamed_Returns400AndWritesNothing()
    {
        var before = await Rows();

        var response = await app.ClientFor("unit").PostJson("/api/v1/cases", CaseDriver.SelfCheck(CaseDriver.UnitOne, "输入-网格不符",
            new { gridCode = "500103001001002" }), idempotencyKey: NewKey());

        await response.AssertProblem(400, "case.grid_mismatch");
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    // A server-owned field is a member no request declares, so it is refused rather than dropped in silence.
    [Test]
    public async Task Report_WithServerOwnedFields_Returns400NamingOneAndWritesNothing()
    {
        var forgedId = Guid.NewGuid();
        var body = Patrol("输入-伪造字段");
        body["status"] = "closed";
        body["version"] = 99;
        body["penalty"] = "exempt";
        body["listed"] = true;
        body["code"] = "YH-500103-2026-999999";
        body["id"] = forgedId.ToString();
        var before = await Rows();

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body.ToJsonString(), idempotencyKey: NewKey());

        var problem = await response.AssertProblem(400, "validation.unknown_field");
        Assert.That(problem["field"]!.GetValue<string>(), Is.AnyOf("status", "version", "penalty", "listed", "code", "id"));
        Assert.That(await Rows(), Is.EqualTo(before));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE id = @Id", new { Id = forgedId }), Is.Zero);
    }

    [Test]
    public async Task Report_ByRegulatorWithForgedExemptPenalty_Returns400AndTheReportWithoutItIsAggravated()
    {
        var body = Patrol("输入-伪造免罚");
        body["origin"] = "regulatorInspection";
        body["penalty"] = "exempt";
        var regulator = app.ClientFor("regulator");

        var forged = await regulator.PostRaw("/api/v1/cases", body.ToJsonString(), idempotencyKey: NewKey());
        body.Remove("penalty");
        var created = await regulator.Report(body);

        var problem = await forged.AssertProblem(400, "validation.unknown_field");
        Assert.That(problem["field"]!.GetValue<string>(), Is.EqualTo("penalty"));
        Assert.That(created.Text("penalty"), Is.EqualTo("aggravated"));
    }

    [Test]
    public async Task Assign_WithDeadlineWithoutOffset_Returns400AndChangesNothing()
    {
        var hazard = await app.ClientFor("grid").Report(Patrol("输入-无时区期限"));
        var before = await Rows();

        var response = await app.ClientFor("officer").Act(hazard, "assign", JsonNode.Parse("""{"deadline": "2026-03-05T10:00:00"}""")!, key: NewKey());

        await response.AssertProblem(400, "request.malformed");
        Assert.That(await Rows(), Is.EqualTo(before));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE id = @Id AND status = 'reported' AND version = 1", new { Id = CaseDriver.Id(hazard) }), Is.EqualTo(1));
    }

    [Test]
    public async Task Assign_WithDeadlineInThePast_Returns409AndChangesNothing()
    {
        var hazard = await app.ClientFor("grid").Report(Patrol("输入-过去期限"));
        var before = await Rows();

        var response = await app.ClientFor("officer").Act(hazard, "assign", new { deadline = "2026-03-01T10:00:00Z" }, key: NewKey());

        await response.AssertProblem(409, "case.deadline_in_past");
        Assert.That(await Rows(), Is.EqualTo(before));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE id = @Id AND status = 'reported' AND version = 1", new { Id = CaseDriver.Id(hazard) }), Is.EqualTo(1));
    }

    [TestCase("officer", "verify", """{"note": "看过了"}""", "passed")]
    [TestCase("officer", "reject", """{"duplicateOf": null}""", "reason")]
    [TestCase("officer", "reject", """{"reason": ""}""", "reason")]
    [TestCase("grid", "fix", """{"note": "已清理"}""", "attachmentIds")]
    [TestCase("grid", "fix", """{"note": "已清理", "attachmentIds": []}""", "attachmentIds")]
    public async Task Act_WithoutARequiredField_Returns400NamingItAndChangesNothing(string login, string action, string body, string error)
    {
        var hazard = await app.ClientFor("grid").Report(Patrol($"输入-缺字段-{action}-{body}"));
        var before = await Rows();

        var response = await app.ClientFor(login).Act(hazard, action, JsonNode.Parse(body)!, key: NewKey());

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(error));
        Assert.That(await Rows(), Is.EqualTo(before));
        Assert.That(await app.Count("SELECT version FROM cases WHERE id = @Id", new { Id = CaseDriver.Id(hazard) }), Is.EqualTo(1));
    }

    [Test]
    public async Task Fix_WithAnAttachmentThatDoesNotExist_Returns400AndChangesNothing()
    {
        var grid = app.ClientFor("grid");
        var hazard = await grid.Report(Patrol("输入-不存在的证据"));
        hazard = await app.ClientFor("officer").Do(hazard, "assign");
        var real = await grid.Upload();
        var before = await Rows();

        var response = await grid.Act(hazard, "fix", new { note = "已清理", attachmentIds = new[] { real, Guid.NewGuid() } }, key: NewKey());

        await response.AssertProblem(400, "case.evidence_invalid");
        Assert.That(await Rows(), Is.EqualTo(before));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE id = @Id AND status = 'rectifying' AND version = 2 AND fix_submitted_by IS NULL",
            new { Id = CaseDriver.Id(hazard) }), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments WHERE id = @Id AND case_id IS NULL", new { Id = real }), Is.EqualTo(1));
    }

    [Test]
    public async Task Report_WithAnAttachmentThatDoesNotExist_Returns400AndWritesNothing()
    {
        var body = Patrol("输入-上报不存在的证据");
        body["attachmentIds"] = new JsonArray(Guid.NewGuid().ToString());
        var before = await Rows();

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body.ToJsonString(), idempotencyKey: NewKey());

        await response.AssertProblem(400, "case.evidence_invalid");
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    [TestCase("cursor=zzz", "request.invalid_cursor")]
    [TestCase("cursor=YzE6bm90LWEtZ3VpZA", "request.invalid_cursor")]
    [TestCase("limit=0", "request.invalid_limit")]
    [TestCase("limit=1000", "request.invalid_limit")]
    [TestCase("limit=-5", "request.invalid_limit")]
    [TestCase("status=unknown", "request.invalid_filter")]
    [TestCase("level=huge", "request.invalid_filter")]
    [TestCase("sector=volcano", "request.invalid_filter")]
    [TestCase("overdue=maybe", "request.malformed")]
    [TestCase("listed=perhaps", "request.malformed")]
    [TestCase("limit=ten", "request.malformed")]
    public async Task List_WithBadQuery_Returns400WithCode(string query, string code)
    {
        var response = await app.ClientFor("officer").GetAsync($"/api/v1/cases?{query}");

        await response.AssertProblem(400, code);
    }

    [Test]
    public async Task List_WithLimitAtTheBounds_Returns200()
    {
        var client = app.ClientFor("officer");

        var lowest = await client.GetAsync("/api/v1/cases?limit=1");
        var highest = await client.GetAsync("/api/v1/cases?limit=200");

        Assert.That(lowest.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(highest.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static JsonObject Patrol(string title) => (JsonObject)CaseDriver.Patrol(title);

    private static string NewKey() => $"input-{Guid.NewGuid():N}";

    private async Task<(long Cases, long History, long Idempotency)> Rows() => (
        await app.Count("SELECT COUNT(*) FROM cases"),
        await app.Count("SELECT COUNT(*) FROM case_history"),
        await app.Count("SELECT COUNT(*) FROM idempotency_records"));
}
