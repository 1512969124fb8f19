using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Features.Supervision.SupervisionDriver;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Supervision;

/// <summary>举报奖励: only on a confirmed public tip of a major hazard, 3,000–300,000 yuan, 15% of the fine unless a reason is given.</summary>
public sealed class RewardTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp(new Dictionary<string, string?> { ["PublicTips:PermitsPerMinute"] = "1000" }).WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Reward_OnAConfirmedMajorTip_IsRecordedInHistoryAndTheLedger()
    {
        var tip = await ConfirmedTip("重大隐患举报-标准奖励", major: true);

        var rewarded = await app.ClientFor("regulator").Do(tip, "reward",
            new { fineAmount = 200000, amount = 30000, basis = "《安全生产领域举报奖励办法》第十四条" });

        var last = rewarded["history"]!.AsArray().Last()!;
        Assert.That(last.Text("action"), Is.EqualTo("reward"));
        Assert.That(last.Text("actor"), Is.EqualTo("regulator"));
        Assert.That(last["details"]!.Text("amount"), Is.EqualTo("30000.00"));
        Assert.That(last["details"]!.Text("standardAmount"), Is.EqualTo("30000.00"));
        Assert.That(last["details"]!.Text("deviates"), Is.EqualTo("false"));
        Assert.That(await app.Count("SELECT amount_fen FROM tip_rewards WHERE case_id = @Id", new { Id = CaseDriver.Id(tip).ToString() }), Is.EqualTo(3_000_000));
    }

    [Test]
    public async Task Reward_OtherThanFifteenPercent_NeedsAReason()
    {
        var tip = await ConfirmedTip("重大隐患举报-调整奖励", major: true);

        var refused = await app.ClientFor("regulator").Act(tip, "reward", new { fineAmount = 100000, amount = 20000, basis = "2018年办法" });
        var accepted = await app.ClientFor("regulator").Do(tip, "reward",
            new { fineAmount = 100000, amount = 20000, basis = "2018年办法", note = "举报人提供关键证据，经集体研究提高奖励" });

        var problem = await refused.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!["note"]![0]!.GetValue<string>(), Does.Contain("15000.00"));
        Assert.That(accepted["history"]!.AsArray().Last()!["details"]!.Text("deviates"), Is.EqualTo("true"));
        Assert.That(accepted["history"]!.AsArray().Last()!.Text("reason"), Does.Contain("关键证据"));
    }

    [TestCase(2999)]
    [TestCase(300001)]
    public async Task Reward_OutsideTheNationalRange_Returns400(int amount)
    {
        var tip = await ConfirmedTip($"重大隐患举报-越界{amount}", major: true);

        var response = await app.ClientFor("regulator").Act(tip, "reward", new { fineAmount = 10_000_000, amount, basis = "2018年办法", note = "x" });

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!["amount"], Is.Not.Null);
    }

    [Test]
    public async Task Reward_TwiceOnOneTip_Returns409()
    {
        var tip = await ConfirmedTip("重大隐患举报-重复奖励", major: true);
        var rewarded = await app.ClientFor("regulator").Do(tip, "reward", new { fineAmount = 100000, amount = 15000, basis = "2018年办法" });

        var again = await app.ClientFor("regulator").Act(rewarded, "reward", new { fineAmount = 100000, amount = 15000, basis = "2018年办法" });

        await again.AssertProblem(409, "reward.already_decided");
    }

    [Test]
    public async Task Reward_OnAGeneralTip_Returns409NotMajor()
    {
        var tip = await ConfirmedTip("一般隐患举报", major: false);

        var response = await app.ClientFor("regulator").Act(tip, "reward", new { fineAmount = 100000, amount = 15000, basis = "2018年办法" });

        await response.AssertProblem(409, "reward.not_major");
    }

    [Test]
    public async Task Reward_OnAnUnconfirmedTip_Returns409()
    {
        var tip = await ReportedTip("未确认举报");

        var response = await app.ClientFor("regulator").Act(tip, "reward", new { fineAmount = 100000, amount = 15000, basis = "2018年办法" });

        await response.AssertProblem(409, "case.invalid_transition");
    }

    [Test]
    public async Task Reward_OnACaseThatIsNotATip_Returns409()
    {
        var regulator = app.ClientFor("regulator");
        var reported = await regulator.Report(new
        {
            title = "执法检查重大隐患", description = "非举报", sector = "gas", origin = "regulatorInspection",
            unitId = CaseDriver.UnitOne, level = "major", standardClause = "建城规〔2023〕4号",
        });
        var assigned = await regulator.Do(reported, "assign", new { });

        var response = await regulator.Act(assigned, "reward", new { fineAmount = 100000, amount = 15000, basis = "2018年办法" });

        await response.AssertProblem(409, "reward.not_public_tip");
    }

    [TestCase("officer", 403, "case.role_forbidden")]
    [TestCase("regulator2", 404, "case.not_found")]
    public async Task Reward_OutsideTheRoleOrScope_IsRefused(string login, int status, string code)
    {
        var tip = await ConfirmedTip($"举报奖励-{login}", major: true);

        var response = await app.ClientFor(login).Act(tip, "reward", new { fineAmount = 100000, amount = 15000, basis = "2018年办法" });

        await response.AssertProblem(status, code);
        Assert.That(await app.Count("SELECT COUNT(*) FROM tip_rewards WHERE case_id = @Id", new { Id = CaseDriver.Id(tip).ToString() }), Is.Zero);
    }

    private async Task<JsonNode> ReportedTip(string description)
    {
        var response = await app.ClientFor(null).PostJson("/api/v1/public/tips", PublicTipTests.Tip(description));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await app.Tasks("regulator"))["toTriage"]!["items"]!.AsArray().Single(c => c!.Text("description") == description)!;
    }

    private async Task<JsonNode> ConfirmedTip(string description, bool major)
    {
        var tip = await ReportedTip(description);
        return major
            ? await app.ClientFor("regulator").Do(tip, "assign",
                new { level = "major", standardClause = "建城规〔2023〕4号 第三条", responsibleUnitId = CaseDriver.UnitOne })
            : await app.ClientFor("officer").Do(tip, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
    }
}
