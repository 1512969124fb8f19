using System.Net;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Units;

public sealed class UnitTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    private static object NewUnit(string name, string grid = "500103001001001") => new
    {
        name,
        gridCode = grid,
        sectors = new[] { "fire", "gas" },
        riskColour = "orange",
        address = "渝中区解放碑",
        responsiblePersons = new
        {
            administrative = new { name = "李街道", phone = "023-63000000", email = "li@hazards.example" },
            enterprise = new { name = "张老板", phone = "13800000000", email = "zhang@hazards.example" },
        },
    };

    [Test]
    public async Task Create_ByTownshipOfficer_Returns201WithLocationAndETag()
    {
        var client = app.ClientFor("officer");

        var response = await client.PostJson("/api/v1/units", NewUnit("解放碑火锅店"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        var created = await response.Json();
        var fetched = await (await client.GetAsync(response.Headers.Location)).Json();
        Assert.That(fetched["name"]!.GetValue<string>(), Is.EqualTo("解放碑火锅店"));
        Assert.That(fetched["sectors"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "fire", "gas" }));
        Assert.That(fetched["riskColour"]!.GetValue<string>(), Is.EqualTo("orange"));
        Assert.That(fetched["responsiblePersons"]!["enterprise"]!["name"]!.GetValue<string>(), Is.EqualTo("张老板"));
        Assert.That(fetched["responsiblePersons"]!["industryRegulator"], Is.Null);
        Assert.That(fetched["id"]!.GetValue<Guid>(), Is.EqualTo(created["id"]!.GetValue<Guid>()));
        Assert.That(fetched["createdAt"]!.GetValue<string>(), Does.EndWith("Z"));
    }

    [Test]
    public async Task Create_WithInvalidFields_Returns400WithEachFieldAndWritesNothing()
    {
        var before = await app.Count("SELECT COUNT(*) FROM units");

        var response = await app.ClientFor("officer").PostJson("/api/v1/units", new
        {
            name = "",
            gridCode = "5001",
            sectors = Array.Empty<string>(),
            responsiblePersons = new { enterprise = new { name = "", email = "not-an-email" } },
        });

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key),
            Is.SupersetOf(new[] { "name", "gridCode", "sectors", "riskColour", "responsiblePersons.enterprise.name", "responsiblePersons.enterprise.email" }));
        Assert.That(await app.Count("SELECT COUNT(*) FROM units"), Is.EqualTo(before));
    }

    [TestCase("""{"name": "x", "gridCode": "500103001001001", "sectors": ["fire"], "riskColour": "purple"}""")]
    [TestCase("""{"name": "x", "gridCode": "500103001001001", "sectors": ["volcano"], "riskColour": "red"}""")]
    [TestCase("""{"name": 12, "gridCode": "500103001001001", "sectors": ["fire"], "riskColour": "red"}""")]
    [TestCase("""{"name": "x", "gridCode": "500103001001001", "sectors": ["fire"], "riskColour": 1}""")]
    [TestCase("""{"name": "x", """)]
    [TestCase("""[1, 2, 3]""")]
    public async Task Create_WithMalformedBody_Returns400AndWritesNothing(string body)
    {
        var before = await app.Count("SELECT COUNT(*) FROM units");

        var response = await app.ClientFor("officer").PostRaw("/api/v1/units", body);

        await response.AssertProblem(400, "request.malformed");
        Assert.That(await app.Count("SELECT COUNT(*) FROM units"), Is.EqualTo(before));
    }

    [Test]
    public async Task Create_InAGridOutsideScope_Returns404()
    {
        var response = await app.ClientFor("officer").PostJson("/api/v1/units", NewUnit("越界企业", "500112001001001"));

        await response.AssertProblem(404, "grid.not_found");
    }

    [Test]
    public async Task Create_ByGridWorker_Returns403()
    {
        var response = await app.ClientFor("grid").PostJson("/api/v1/units", NewUnit("网格员登记"));

        await response.AssertProblem(403, "unit.create_forbidden");
    }

    [Test]
    public async Task Get_ByUnitOfficer_SeesOwnUnitOnly()
    {
        var own = DemoSeeder.DemoUnitId("500103001001001", 1);
        var other = DemoSeeder.DemoUnitId("500103002001001", 1);
        var client = app.ClientFor("unit");

        var ownResponse = await client.GetAsync($"/api/v1/units/{own}");
        var otherResponse = await client.GetAsync($"/api/v1/units/{other}");

        Assert.That(ownResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await otherResponse.AssertProblem(404, "unit.not_found");
    }

    [Test]
    public async Task Get_ByAnotherDistrictsRegulator_Returns404()
    {
        var response = await app.ClientFor("regulator2").GetAsync($"/api/v1/units/{DemoSeeder.DemoUnitId("500103001001001", 1)}");

        await response.AssertProblem(404, "unit.not_found");
    }

    [Test]
    public async Task Create_RetriedWithSameIdempotencyKey_ReturnsTheFirstAnswerAndCreatesOnce()
    {
        var client = app.ClientFor("officer");
        var body = NewUnit("重试企业");

        var first = await client.PostJson("/api/v1/units", body, idempotencyKey: "unit-retry-1");
        var second = await client.PostJson("/api/v1/units", body, idempotencyKey: "unit-retry-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(await app.Count("SELECT COUNT(*) FROM units WHERE name = '重试企业'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Create_WithReusedKeyAndDifferentBody_Returns422()
    {
        var client = app.ClientFor("officer");
        await client.PostJson("/api/v1/units", NewUnit("原请求"), idempotencyKey: "unit-retry-2");

        var response = await client.PostJson("/api/v1/units", NewUnit("另一请求"), idempotencyKey: "unit-retry-2");

        await response.AssertProblem(422, "idempotency.key_reused");
        Assert.That(await app.Count("SELECT COUNT(*) FROM units WHERE name = '另一请求'"), Is.Zero);
    }

    [Test]
    public async Task Create_SameKeyFromAnotherUser_IsAnotherRequest()
    {
        await app.ClientFor("officer").PostJson("/api/v1/units", NewUnit("甲"), idempotencyKey: "shared-key");

        var response = await app.ClientFor("regulator").PostJson("/api/v1/units", NewUnit("乙"), idempotencyKey: "shared-key");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await app.Count("SELECT COUNT(*) FROM units WHERE name = '乙'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Create_ConcurrentRetriesWithOneKey_CreateOnce()
    {
        var client = app.ClientFor("officer");
        var body = NewUnit("并发重试");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostJson("/api/v1/units", body, idempotencyKey: "unit-race")));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        Assert.That(responses.Select(r => r.Headers.Location).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM units WHERE name = '并发重试'"), Is.EqualTo(1));
    }
}
