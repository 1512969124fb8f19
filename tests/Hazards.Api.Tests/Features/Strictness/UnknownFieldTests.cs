using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Strictness;

/// <summary>A body member no request declares is refused, named, and writes nothing.</summary>
public sealed class UnknownFieldTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() =>
        app = await new HazardsApp(new Dictionary<string, string?> { ["PublicTips:PermitsPerMinute"] = "1000" }).WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Report_WithAMisspeltMember_Returns400NamingItAndWritesNothing()
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Patrol("拼错字段"), Http.Options))!.AsObject();
        body["titel"] = "拼错";
        var before = await Rows();

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body.ToJsonString());

        var problem = await response.AssertProblem(400, "validation.unknown_field");
        Assert.That(problem["field"]!.GetValue<string>(), Is.EqualTo("titel"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("'titel'"));
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    [Test]
    public async Task Report_WithAnUnknownNestedMember_NamesItsPath()
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Patrol("嵌套字段"), Http.Options))!.AsObject();
        body["location"]!["altitude"] = 300;

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body.ToJsonString());

        var problem = await response.AssertProblem(400, "validation.unknown_field");
        Assert.That(problem["field"]!.GetValue<string>(), Is.EqualTo("location.altitude"));
    }

    [Test]
    public async Task Plan_WithFundingForFunds_Returns400AndTheCaseKeepsNoPlan()
    {
        var regulator = app.ClientFor("regulator");
        var reported = await regulator.Report(new
        {
            title = "储罐方案拼错", description = "方案字段拼错", sector = "gas", origin = "regulatorInspection",
            unitId = UnitOne, level = "major", standardClause = "建城规〔2023〕4号",
        });
        var assigned = await regulator.Do(reported, "assign", new { responsibleUnitId = UnitOne });

        var response = await app.ClientFor("unit").Act(assigned, "plan", new
        {
            goals = "更换安全阀", measures = "停用储罐", funding = "5万元", people = "张三",
            timeLimit = "2026-04-30", safetyMeasures = "设置警戒区",
        });

        var problem = await response.AssertProblem(400, "validation.unknown_field");
        Assert.That(problem["field"]!.GetValue<string>(), Is.EqualTo("funding"));
        var after = await app.ClientFor("regulator").Fetch(assigned);
        Assert.That(after["plan"], Is.Null);
        Assert.That(Version(after), Is.EqualTo(Version(assigned)));
    }

    [Test]
    public async Task PublicTip_WithAnUnknownMember_Returns400NamingIt()
    {
        var before = await Rows();

        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", new
        {
            description = "地下车库堆放液化气罐",
            gridCode = GridOne,
            contact = "13800000000",
            phone = "13800000000",
        });

        var problem = await response.AssertProblem(400, "validation.unknown_field");
        Assert.That(problem["field"]!.GetValue<string>(), Is.EqualTo("phone"));
        Assert.That(await Rows(), Is.EqualTo(before));
    }

    [Test]
    public async Task Report_WithEveryMemberKnown_IsAccepted()
    {
        var response = await app.ClientFor("grid").PostJson("/api/v1/cases", Patrol("字段齐全"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private async Task<(long Cases, long History)> Rows() => (
        await app.Count("SELECT COUNT(*) FROM cases"),
        await app.Count("SELECT COUNT(*) FROM case_history"));
}
