using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Cases;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>Design §11–§12: If-Match on every state change, Idempotency-Key on every POST, no lost update.</summary>
public sealed class CaseConcurrencyTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Assign_WithoutIfMatch_Returns428AndChangesNothing()
    {
        var officer = app.ClientFor("officer");
        var reported = await Reported();

        var response = await officer.PostJson($"/api/v1/cases/{Cases.Id(reported)}/assign", new { });

        await response.AssertProblem(428, "concurrency.if_match_required");
        var after = await officer.Fetch(reported);
        Assert.That(after.Text("status"), Is.EqualTo("reported"));
        Assert.That(Cases.Version(after), Is.EqualTo(1));
        Assert.That(after["history"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task RequestExtension_WithStaleVersion_Returns412AndChangesNothing()
    {
        var unit = app.ClientFor("unit");
        var reported = await Reported();
        var assigned = await app.ClientFor("officer").Do(reported, "assign");

        var response = await unit.Act(reported, "extension", new { until = "2026-03-20", reason = "设备到货延迟" });

        await response.AssertProblem(412, "concurrency.stale_version");
        var after = await unit.Fetch(assigned);
        Assert.That(Cases.Version(after), Is.EqualTo(2));
        Assert.That(after["pendingExtension"], Is.Null);
        Assert.That(after["history"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [TestCase("abc")]
    [TestCase("\"abc\"")]
    [TestCase("\"-1\"")]
    [TestCase("\"1\", \"2\"")]
    [TestCase("*")]
    [TestCase("W/\"1\"")]
    [TestCase("\"01\"")]
    [TestCase("\"+1\"")]
    [TestCase("\" 1\"")]
    public async Task Assign_WithUnusableIfMatch_Returns412AndChangesNothing(string ifMatch)
    {
        var officer = app.ClientFor("officer");
        var reported = await Reported();

        var response = await officer.PostJson($"/api/v1/cases/{Cases.Id(reported)}/assign", new { }, ifMatch: ifMatch);

        await response.AssertProblem(412, "concurrency.if_match_invalid");
        var after = await officer.Fetch(reported);
        Assert.That(after.Text("status"), Is.EqualTo("reported"));
        Assert.That(Cases.Version(after), Is.EqualTo(1));
    }

    [Test]
    public async Task Report_Always_AnswersVersionOneWithItsETag()
    {
        var response = await app.ClientFor("unit").PostJson("/api/v1/cases", Cases.SelfCheck(Cases.UnitOne));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That(Cases.Version(await response.Json()), Is.EqualTo(1));
    }

    [Test]
    public async Task Actions_OnGeneralCase_EachAnswerTheNextVersionAndItsETag()
    {
        var unit = app.ClientFor("unit");
        var officer = app.ClientFor("officer");
        var hazard = await Reported();

        hazard = await Step(officer, hazard, "assign", new { });
        hazard = await Step(unit, hazard, "extension", new { until = "2026-03-20", reason = "设备到货延迟" });
        hazard = await Step(officer, hazard, "extension/decide", new { approved = true });
        hazard = await Step(unit, hazard, "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });
        hazard = await Step(officer, hazard, "verify", new { passed = false, note = "仍未接地" });
        hazard = await Step(unit, hazard, "fix", new { note = "已重新整改", attachmentIds = new[] { await unit.Upload() } });
        hazard = await Step(officer, hazard, "verify", new { passed = true });
        hazard = await Step(app.ClientFor("regulator"), hazard, "reopen", new { reason = "抽查发现假整改" });

        Assert.That(Cases.Version(hazard), Is.EqualTo(9));
        Assert.That(hazard.Text("status"), Is.EqualTo("rectifying"));
        Assert.That(hazard["history"]!.AsArray(), Has.Count.EqualTo(9));
    }

    [Test]
    public async Task Actions_OnMajorCase_EachAnswerTheNextVersionAndItsETag()
    {
        var regulator = app.ClientFor("regulator");
        var unit = app.ClientFor("unit");
        var hazard = await regulator.Report(Cases.SelfCheck(Cases.UnitOne, "液化气储罐安全阀失效", new
        {
            origin = "regulatorInspection",
            level = "major",
            standardClause = "重大事故隐患判定标准 第三条",
        }));

        hazard = await Step(regulator, hazard, "assign", new { });
        hazard = await Step(unit, hazard, "plan", new
        {
            goals = "消除隐患",
            measures = "更换安全阀",
            funds = "20万元",
            people = "设备部3人",
            timeLimit = "2026-06-30",
            safetyMeasures = "停用储罐，设置警戒区",
        });
        hazard = await Step(regulator, hazard, "plan/approve", null);

        Assert.That(Cases.Version(hazard), Is.EqualTo(4));
        Assert.That(hazard["plan"]!["approved"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Reject_Always_AnswersTheNextVersionAndItsETag()
    {
        var hazard = await Reported();

        var rejected = await Step(app.ClientFor("officer"), hazard, "reject", new { reason = "不属于安全隐患" });

        Assert.That(rejected.Text("status"), Is.EqualTo("rejected"));
    }

    [Test]
    public async Task Report_RetriedWithSameIdempotencyKey_ReturnsTheFirstAnswerAndCreatesOnce()
    {
        var client = app.ClientFor("grid");
        var body = Cases.Patrol("重试上报的隐患");

        var first = await client.PostJson("/api/v1/cases", body, idempotencyKey: "report-retry-1");
        var second = await client.PostJson("/api/v1/cases", body, idempotencyKey: "report-retry-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
        Assert.That(second.StatusCode, Is.EqualTo(first.StatusCode));
        Assert.That(second.Headers.Location, Is.Not.Null.And.EqualTo(first.Headers.Location));
        Assert.That(second.Headers.ETag, Is.Not.Null.And.EqualTo(first.Headers.ETag));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        var id = (await first.Json())["id"]!.GetValue<Guid>();
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE title = '重试上报的隐患'"), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM case_history WHERE case_id = @Id", new { Id = id }), Is.EqualTo(1));
    }

    [Test]
    public async Task Report_SentConcurrentlyWithSameIdempotencyKey_CreatesOnce()
    {
        var body = Cases.Patrol("并发重试的隐患");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            app.ClientFor("grid").PostJson("/api/v1/cases", body, idempotencyKey: "report-retry-concurrent")));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created), string.Join("\n", bodies));
        Assert.That(bodies.Distinct().Count(), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE title = '并发重试的隐患'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Report_WithReusedKeyAndDifferentBody_Returns422AndCreatesNothing()
    {
        var client = app.ClientFor("grid");
        await client.Report(Cases.Patrol("原始上报"), key: "report-retry-2");

        var response = await client.PostJson("/api/v1/cases", Cases.Patrol("另一上报"), idempotencyKey: "report-retry-2");

        await response.AssertProblem(422, "idempotency.key_reused");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE title = '另一上报'"), Is.Zero);
    }

    [Test]
    public async Task Assign_RetriedWithSameKeyAndSameIfMatch_ReturnsTheFirstAnswerAndAssignsOnce()
    {
        var officer = app.ClientFor("officer");
        var reported = await Reported();

        var first = await officer.Act(reported, "assign", key: "assign-retry-1");
        var second = await officer.Act(reported, "assign", key: "assign-retry-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), await second.Content.ReadAsStringAsync());
        Assert.That(second.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(await app.Count("SELECT COUNT(*) FROM case_history WHERE case_id = @Id AND action = 'assign'", new { Id = Cases.Id(reported) }),
            Is.EqualTo(1));
        Assert.That(await app.Count("SELECT version FROM cases WHERE id = @Id", new { Id = Cases.Id(reported) }), Is.EqualTo(2));
    }

    [Test]
    public async Task Verify_SentConcurrentlyWithSameIfMatch_ClosesOnceAndRefusesTheOther()
    {
        var unit = app.ClientFor("unit");
        var hazard = await app.ClientFor("officer").Do(await Reported(), "assign");
        hazard = await unit.Do(hazard, "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });

        var responses = await Task.WhenAll(
            app.ClientFor("officer").Act(hazard, "verify", new { passed = true }),
            app.ClientFor("regulator").Act(hazard, "verify", new { passed = true }));

        var statuses = responses.Select(r => r.StatusCode).OrderBy(s => s).ToArray();
        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }));
        await responses.Single(r => r.StatusCode == HttpStatusCode.PreconditionFailed).AssertProblem(412, "concurrency.stale_version");
        var after = await unit.Fetch(hazard);
        Assert.That(after.Text("status"), Is.EqualTo("closed"));
        Assert.That(Cases.Version(after), Is.EqualTo(Cases.Version(hazard) + 1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM case_history WHERE case_id = @Id AND action LIKE 'verify%'", new { Id = Cases.Id(hazard) }),
            Is.EqualTo(1));
    }

    [Test]
    public async Task Report_TenConcurrentlyInOneDistrict_GetConsecutiveCodesWithoutGap()
    {
        var last = await app.Count("SELECT COALESCE(MAX(last_value), 0) FROM case_code_sequences WHERE district_code = '500103' AND year = 2026");
        string[] reporters = ["grid", "grid2", "officer", "regulator", "unit"];

        var reports = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
        {
            var login = reporters[i % reporters.Length];
            var client = app.ClientFor(login);
            return login switch
            {
                "grid2" => client.Report(Cases.Patrol($"并发上报{i}", Cases.GridTwo)),
                "unit" => client.Report(Cases.SelfCheck(Cases.UnitOne, $"并发上报{i}")),
                "regulator" => client.Report(Cases.Patrol($"并发上报{i}", extra: new { origin = "regulatorInspection" })),
                _ => client.Report(Cases.Patrol($"并发上报{i}")),
            };
        }));

        var expected = Enumerable.Range((int)last + 1, 10).Select(n => $"YH-500103-2026-{n:000000}");
        Assert.That(reports.Select(r => r.Text("code")), Is.EquivalentTo(expected));
        Assert.That(reports.Select(Cases.Id).Distinct().Count(), Is.EqualTo(10));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE title LIKE '并发上报%'"), Is.EqualTo(10));
    }

    /// <summary>A general self-check case of UnitOne, just reported.</summary>
    private async Task<JsonNode> Reported() => await app.ClientFor("unit").Report(Cases.SelfCheck(Cases.UnitOne));

    /// <summary>Takes one action and checks that its answer carries the next version, in the body and as the ETag.</summary>
    private static async Task<JsonNode> Step(HttpClient client, JsonNode hazard, string action, object? body)
    {
        var response = await client.Act(hazard, action, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{action}: {text}");
        var next = JsonNode.Parse(text)!;
        Assert.That(Cases.Version(next), Is.EqualTo(Cases.Version(hazard) + 1), action);
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{Cases.Version(hazard) + 1}\""), action);
        Assert.That(response.Headers.ETag?.IsWeak, Is.False, action);
        return next;
    }
}
