using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Features.Supervision.SupervisionDriver;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Supervision;

/// <summary>举报: anonymous intake that answers only a tracking code, lands in the township's triage, and tells the tipster the state alone.</summary>
public sealed class PublicTipTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp(new Dictionary<string, string?> { ["PublicTips:PermitsPerMinute"] = "1000" }).WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    public static object Tip(string description = "小区地下车库堆放大量液化气罐", object? photo = null) => new
    {
        description,
        gridCode = CaseDriver.GridOne,
        location = new { latitude = 29.5577, longitude = 106.5770, address = "渝中区某小区地下车库" },
        contact = "13800000000",
        photo,
    };

    [Test]
    public async Task Tip_WithoutAToken_AnswersOnlyATrackingCode()
    {
        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", Tip());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = (await response.Json()).AsObject();
        Assert.That(body.Select(p => p.Key), Is.EqualTo(new[] { "trackingCode" }));
        Assert.That(body.Text("trackingCode"), Does.Match("^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{12}$"));
        Assert.That(response.Headers.ETag, Is.Null);
    }

    [Test]
    public async Task Tip_LandsInTheTownshipsTriageAsAPublicTipByPublic()
    {
        var code = await Submit(Tip("网格内违规动火作业"));

        var officer = await app.Tasks("officer");
        var officer2 = await app.Tasks("officer2");

        var tip = officer["toTriage"]!["items"]!.AsArray().Single(c => c!.Text("description") == "网格内违规动火作业")!;
        Assert.That(tip.Text("status"), Is.EqualTo("reported"));
        Assert.That(tip.Text("origin"), Is.EqualTo("publicTip"));
        Assert.That(tip.Text("reportedBy"), Is.EqualTo("public"));
        Assert.That(tip.Text("penalty"), Is.EqualTo("aggravated"));
        Assert.That(tip.Text("gridCode"), Is.EqualTo(CaseDriver.GridOne));
        Assert.That(officer2["toTriage"]!["items"]!.AsArray().Select(c => c!.Text("description")), Does.Not.Contain("网格内违规动火作业"));
        Assert.That(await app.Text("SELECT contact FROM public_tips WHERE tracking_code = @Code", new { Code = code }), Is.EqualTo("13800000000"));
        var full = await app.ClientFor("officer").Fetch(tip);
        Assert.That(full["history"]!.AsArray().Single()!.Text("action"), Is.EqualTo("reportTip"));
        Assert.That(full["history"]!.AsArray().Single()!.Text("role"), Is.EqualTo("public"));
    }

    [Test]
    public async Task Status_FollowsTheCaseWithoutLeakingAnythingInternal()
    {
        var code = await Submit(Tip("举报跟踪"));
        var hazard = (await app.Tasks("officer"))["toTriage"]!["items"]!.AsArray().Single(c => c!.Text("description") == "举报跟踪")!;
        var anonymous = app.ClientFor(null);

        var received = await (await anonymous.GetAsync($"/api/v1/public/tips/{code}")).Json();
        await app.ClientFor("officer").Do(hazard, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
        var confirmed = await (await anonymous.GetAsync($"/api/v1/public/tips/{code.ToLowerInvariant()}")).Json();

        Assert.That(received.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "trackingCode", "state", "updatedOn" }));
        Assert.That(received.Text("state"), Is.EqualTo("received"));
        Assert.That(received.Text("updatedOn"), Is.EqualTo("2026-03-02"));
        Assert.That(confirmed.Text("state"), Is.EqualTo("confirmed"));
        Assert.That(confirmed.Text("trackingCode"), Is.EqualTo(code));
        var text = confirmed.ToJsonString();
        Assert.That(text, Does.Not.Contain(CaseDriver.Id(hazard).ToString()).And.Not.Contain("YH-").And.Not.Contain("500103"));
    }

    [Test]
    public async Task Status_WhenRejected_SaysRejected()
    {
        var code = await Submit(Tip("重复举报"));
        var hazard = (await app.Tasks("officer"))["toTriage"]!["items"]!.AsArray().Single(c => c!.Text("description") == "重复举报")!;

        await app.ClientFor("officer").Do(hazard, "reject", new { reason = "经核实不属于安全隐患" });
        var status = await (await app.ClientFor(null).GetAsync($"/api/v1/public/tips/{code}")).Json();

        Assert.That(status.Text("state"), Is.EqualTo("rejected"));
    }

    [TestCase("ZZZZZZZZZZZZ")]
    [TestCase("not-a-code")]
    public async Task Status_WhenTheCodeIsUnknown_Returns404(string code)
    {
        var response = await app.ClientFor(null).GetAsync($"/api/v1/public/tips/{code}");

        await response.AssertProblem(404, "tip.not_found");
    }

    [Test]
    public async Task Tip_WithAPhoto_KeepsItAsTheCasesEvidence()
    {
        var code = await Submit(Tip("附照片举报", photo: Convert.ToBase64String(CaseDriver.Png)));

        var hazard = (await app.Tasks("officer"))["toTriage"]!["items"]!.AsArray().Single(c => c!.Text("description") == "附照片举报")!;
        var evidence = (await app.ClientFor("officer").Fetch(hazard))["history"]![0]!["evidenceIds"]!.AsArray();
        var photo = await app.ClientFor("officer").GetAsync($"/api/v1/attachments/{evidence.Single()!.GetValue<Guid>()}");

        Assert.That(code, Has.Length.EqualTo(12));
        Assert.That(photo.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(photo.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
    }

    [TestCase("JVBERi0xLjQK", 415, "tip.photo_unsupported_type")]
    [TestCase("not base64!", 400, "tip.photo_invalid")]
    public async Task Tip_WithABadPhoto_IsRefusedAndWritesNothing(string photo, int status, string code)
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", Tip("坏照片", photo));

        await response.AssertProblem(status, code);
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    [Test]
    public async Task Tip_WithNeitherGridTownshipNorPosition_Returns400AskingWhere()
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips",
            new { description = "只有地址", location = new { address = "解放碑附近" } });

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("gridCode"));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    /// <summary>Here no grid has a boundary, so a position alone places nothing (DemoBoundaryTests places one that does).</summary>
    [Test]
    public async Task Tip_WithOnlyAPositionNoBoundaryHolds_Returns422AndWritesNothing()
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips",
            new { description = "只有坐标", location = new { latitude = 29.55, longitude = 106.57 } });

        await response.AssertProblem(422, "location.unresolved");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    [Test]
    public async Task Tip_NamingOnlyATownship_WaitsInThatTownshipsTriageWithoutAGrid()
    {
        await Submit(new { description = "街道背街小巷电动车违规充电", township = "500103001", location = new { address = "某街道背街小巷" } });

        var tip = (await app.Tasks("officer"))["toTriage"]!["items"]!.AsArray().Single(c => c!.Text("description") == "街道背街小巷电动车违规充电")!;
        var elsewhere = await app.Tasks("officer2");

        Assert.That(tip["gridCode"], Is.Null);
        Assert.That(tip.Text("origin"), Is.EqualTo("publicTip"));
        Assert.That(tip["location"]!.Text("address"), Is.EqualTo("某街道背街小巷"));
        Assert.That(elsewhere["toTriage"]!["items"]!.AsArray().Select(c => c!.Text("description")), Does.Not.Contain("街道背街小巷电动车违规充电"));
        Assert.That(await app.Text("SELECT org_path FROM cases WHERE id = @Id", new { Id = CaseDriver.Id(tip).ToString() }),
            Is.EqualTo("/500000/500103/500103001/"));

        var assigned = await app.ClientFor("officer").Do(tip, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
        Assert.That(assigned.Text("status"), Is.EqualTo("rectifying"));
        Assert.That((await app.Tasks("unit"))["toFix"]!["items"]!.AsArray().Select(c => c!.Text("description")), Does.Contain("街道背街小巷电动车违规充电"));
    }

    [TestCase("999999999", null, "tip.place_unresolved")]
    [TestCase("500103002", CaseDriver.GridOne, "tip.place_mismatch")]
    [TestCase(null, "500103001001999", "tip.place_unresolved")]
    public async Task Tip_WithAPlaceThatDoesNotHold_Returns400AndWritesNothing(string? township, string? gridCode, string code)
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", new { description = "地点不符", township, gridCode });

        await response.AssertProblem(400, code);
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    [Test]
    public async Task Places_ListTheDistrictsThenTheTownshipsOfOne_WithoutAToken()
    {
        var anonymous = app.ClientFor(null);

        var districts = (await (await anonymous.GetAsync("/api/v1/public/places")).Json())["items"]!.AsArray();
        var townships = (await (await anonymous.GetAsync("/api/v1/public/places?district=500103")).Json())["items"]!.AsArray();
        var notADistrict = await anonymous.GetAsync("/api/v1/public/places?district=500103001");

        Assert.That(districts, Has.Count.EqualTo(38));
        Assert.That(districts.Select(d => (d!.Text("code"), d!.Text("name"))), Does.Contain(("500103", "渝中区")));
        Assert.That(townships.Select(t => t!.Text("code")), Does.Contain("500103001").And.All.StartWith("500103").And.All.Length.EqualTo(9));
        await notADistrict.AssertProblem(404, "place.not_found");
    }

    [Test]
    public async Task Tip_WithoutDescriptionOrPlace_Returns400()
    {
        var response = await app.ClientFor(null).PostRaw("/api/v1/public/tips", "{}");

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[] { "description", "gridCode" }));
    }

    [Test]
    public async Task Tip_WhenTheBodyIsTooLarge_Returns413AndWritesNothing()
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");
        var huge = new StringBuilder("""{"gridCode":"500103001001001","description":""").Append('x', 3_000_000).Append("\"}").ToString();

        var response = await app.ClientFor(null).PostRaw("/api/v1/public/tips", huge);

        await response.AssertProblem(413, "request.too_large");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    [Test]
    public async Task Tip_RetriedWithTheSameKey_GetsTheSameCodeAndOneCase()
    {
        var client = app.ClientFor(null);

        var key = Guid.NewGuid().ToString();
        var first = await (await client.PostJson("/api/v1/public/tips", Tip("重试举报"), idempotencyKey: key)).Json();
        var second = await (await client.PostJson("/api/v1/public/tips", Tip("重试举报"), idempotencyKey: key)).Json();

        Assert.That(second.Text("trackingCode"), Is.EqualTo(first.Text("trackingCode")));
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases WHERE description = '重试举报'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Tip_PastTheLimitPerAddress_Returns429WithRetryAfter()
    {
        using var limited = await new HazardsApp(new Dictionary<string, string?> { ["PublicTips:PermitsPerMinute"] = "3" }).WithDemo();
        var client = limited.ClientFor(null);

        var accepted = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            accepted.Add((await client.PostJson("/api/v1/public/tips", Tip($"限流{i}"))).StatusCode);
        }

        var refused = await client.PostJson("/api/v1/public/tips", Tip("限流超出"));

        Assert.That(accepted, Has.All.EqualTo(HttpStatusCode.Created));
        await refused.AssertProblem(429, "request.rate_limited");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(await limited.Count("SELECT COUNT(*) FROM cases WHERE description = '限流超出'"), Is.Zero);
    }

    [Test]
    public async Task Tip_BehindTheConfiguredProxy_IsLimitedPerForwardedAddressNotPerSpoofedOne()
    {
        using var limited = await BehindProxy(permitsPerMinute: 1);

        var first = await SendFrom(limited, "1.1.1.1, 10.0.0.1", "代理一");
        var spoofed = await SendFrom(limited, "9.9.9.9, 10.0.0.1", "代理伪造");
        var other = await SendFrom(limited, "10.0.0.2", "代理二");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(spoofed.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [TestCase("tip-retry-1")]
    [TestCase("12345")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    [TestCase("00000000-0000-4000-8000-000000000001")]
    [TestCase("0190f0a0-0000-7000-8000-000000000001")]
    [TestCase("{3f2504e0-4f89-41d3-9a0c-0305e82c3301}")]
    public async Task Tip_WithAGuessableIdempotencyKey_Returns400AndWritesNothing(string key)
    {
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", Tip("可猜的幂等键"), idempotencyKey: key);

        await response.AssertProblem(400, "idempotency.key_weak");
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before));
    }

    [Test]
    public async Task Tip_SameKeyFromAnotherAddress_NeverGetsTheFirstClientsAnswer()
    {
        using var proxied = await BehindProxy(permitsPerMinute: 1000);
        var key = Guid.NewGuid().ToString();

        var first = await SendFrom(proxied, "203.0.113.7", "同键举报", key);
        var retry = await SendFrom(proxied, "203.0.113.7", "同键举报", key);
        var elsewhere = await SendFrom(proxied, "198.51.100.9", "同键举报", key);
        var squatted = await SendFrom(proxied, "198.51.100.10", "另一举报", key);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var code = (await first.Json()).Text("trackingCode");
        Assert.That((await retry.Json()).Text("trackingCode"), Is.EqualTo(code), "the same client retrying gets its own answer back");
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await elsewhere.Json()).Text("trackingCode"), Is.Not.EqualTo(code), "another client never receives the first one's code");
        Assert.That(squatted.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a key used elsewhere cannot be squatted");
        Assert.That(await proxied.Count("SELECT COUNT(*) FROM cases WHERE description = '同键举报'"), Is.EqualTo(2));
    }

    [Test]
    public async Task Tip_BehindOneCarrierAddress_TwoPhonesWithTheirOwnKeysGetTheirOwnCodes()
    {
        using var proxied = await BehindProxy(permitsPerMinute: 1000);

        var phoneA = await SendFrom(proxied, "100.64.0.1", "运营商网关举报", Guid.NewGuid().ToString());
        var phoneB = await SendFrom(proxied, "100.64.0.1", "运营商网关举报", Guid.NewGuid().ToString());

        Assert.That((await phoneA.Json()).Text("trackingCode"), Is.Not.EqualTo((await phoneB.Json()).Text("trackingCode")));
    }

    [Test]
    public async Task Tip_Limit_CountsEveryAttemptAsTheReadmeSays()
    {
        using var limited = await new HazardsApp(new Dictionary<string, string?> { ["PublicTips:PermitsPerMinute"] = "2" }).WithDemo();
        var client = limited.ClientFor(null);

        var invalid = await client.PostRaw("/api/v1/public/tips", "{}");
        var valid = await client.PostJson("/api/v1/public/tips", Tip("限流计数"));
        var third = await client.PostJson("/api/v1/public/tips", Tip("限流计数二"));

        await invalid.AssertProblem(400, "validation.failed");
        Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await third.AssertProblem(429, "request.rate_limited");
        Assert.That(SupervisionGuideRow("PublicTips:PermitsPerMinute"), Does.Contain("attempt").And.Not.Contain("accepted"));
    }

    /// <summary>An app behind a reverse proxy that names the client in X-Forwarded-For.</summary>
    private static Task<HazardsApp> BehindProxy(int permitsPerMinute) => new HazardsApp(new Dictionary<string, string?>
    {
        ["PublicTips:PermitsPerMinute"] = permitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PublicTips:ClientAddressHeader"] = "X-Forwarded-For",
    }).WithDemo();

    /// <summary>The configuration row for a key in the supervision guide (docs/supervision.md), which must say what the service does.</summary>
    private static string SupervisionGuideRow(string key) =>
        File.ReadAllLines(Repository.PathOf("docs", "supervision.md")).Single(l => l.StartsWith($"| `{key}`", StringComparison.Ordinal));

    private static Task<HttpResponseMessage> SendFrom(HazardsApp target, string forwardedFor, string description, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/tips") { Content = JsonContent.Create(Tip(description), options: Http.Options) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("Idempotency-Key", key);
        return target.ClientFor(null).SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendFrom(HazardsApp target, string forwardedFor, string description)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/tips") { Content = JsonContent.Create(Tip(description), options: Http.Options) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return target.ClientFor(null).SendAsync(request);
    }

    private async Task<string> Submit(object tip)
    {
        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", tip);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Json()).Text("trackingCode");
    }
}
