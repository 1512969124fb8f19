using System.Text.Json.Nodes;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Inspections;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Tests.Features.Supervision;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
namespace Hazards.Api.Tests.Features.Escalations;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// The 快警快控快处 ladder through the real app. 2026-03-02 is a Monday; a general case assigned that
/// morning has 7 working days, to Wed 2026-03-11 23:59:59 local.
/// </summary>
public sealed class EscalationSweepTests
{
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp(start: MondayMorning).WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task GeneralCase_WalksUpEveryStepAsWorkingDaysPass()
    {
        var hazard = await AssignedGeneralCase("逐级升级");
        var seen = new List<(int Step, string Letter, string Kind, string[] Recipients)>();

        foreach (var day in new[] { "2026-03-05", "2026-03-06", "2026-03-12", "2026-03-18", "2026-04-01", "2026-04-23" })
        {
            await SweepOn(day);
            seen.AddRange((await Notices(hazard)).Where(n => seen.All(s => s.Letter != n.Letter)));
        }

        var current = await app.ClientFor("regulator").Fetch(hazard);
        Assert.That(seen.Select(s => s.Step), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(seen.Select(s => s.Letter), Is.EqualTo(new[]
        {
            "渝中安预〔2026〕1号", "渝中安提〔2026〕1号", "渝中安警〔2026〕1号", "渝中安通〔2026〕1号", "渝中安曝〔2026〕1号",
        }));
        Assert.That(seen[0].Recipients, Is.EquivalentTo(new[] { "grid", "unit" }));
        Assert.That(seen[1].Recipients, Is.EquivalentTo(new[] { "grid", "unit", "officer" }));
        Assert.That(seen[2].Recipients, Is.EquivalentTo(new[] { "grid", "unit", "officer", "regulator" }));
        Assert.That(seen[3].Recipients, Is.EquivalentTo(new[] { "grid", "unit", "officer", "regulator", "admin" }));
        Assert.That(current["escalationStep"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(current["listed"]!.GetValue<bool>(), Is.True);
        Assert.That(current.Text("listedLevel"), Is.EqualTo("district"));
        Assert.That(current["history"]!.AsArray().Count(h => h!.Text("action") == "escalate"), Is.EqualTo(5));
        var chain = await (await app.ClientFor("regulator").GetAsync($"/api/v1/cases/{Cases.Id(hazard)}/history/verify")).Json();
        Assert.That(chain["valid"]!.GetValue<bool>(), Is.True, "the sweep's history rows keep the hash chain");
    }

    [Test]
    public async Task Sweep_BeforeTheWarningWindow_IssuesNothing()
    {
        var hazard = await AssignedGeneralCase("尚早");

        var result = await SweepOn("2026-03-05");

        Assert.That(result.Notices, Is.Zero);
        Assert.That(await Notices(hazard), Is.Empty);
    }

    [Test]
    public async Task OverdueMajorCase_JumpsToCircularAndIsListedAtCityLevel()
    {
        var regulator = app.ClientFor("regulator");
        var reported = await regulator.Report(new
        {
            title = "燃气管道腐蚀", description = "重大隐患", sector = "gas", origin = "regulatorInspection",
            unitId = Cases.UnitOne, level = "major", standardClause = "建城规〔2023〕4号",
        });
        var assigned = await regulator.Do(reported, "assign", new { deadline = "2026-03-10T15:59:59Z" });

        await SweepOn("2026-03-11");

        var notices = await Notices(assigned);
        var current = await app.ClientFor("regulator").Fetch(assigned);
        Assert.That(notices.Select(n => n.Step), Is.EqualTo(new[] { 3 }));
        Assert.That(notices[0].Recipients, Does.Contain("admin"));
        Assert.That(current["listed"]!.GetValue<bool>(), Is.True);
        Assert.That(current.Text("listedLevel"), Is.EqualTo("city"));
    }

    [Test]
    public async Task ClosingTheCase_EndsItsLadderAndDelists()
    {
        var hazard = await AssignedGeneralCase("闭环摘牌");
        await SweepOn("2026-04-01");
        var listed = await app.ClientFor("unit").Fetch(hazard);
        var unit = app.ClientFor("unit");
        var fixedCase = await unit.Do(listed, "fix", new { attachmentIds = new[] { await unit.Upload() } });

        var closed = await app.ClientFor("officer").Do(fixedCase, "verify", new { passed = true });
        var later = await SweepOn("2026-04-30");

        Assert.That(listed["listed"]!.GetValue<bool>(), Is.True);
        Assert.That(closed["listed"]!.GetValue<bool>(), Is.False);
        Assert.That(closed["listedLevel"], Is.Null);
        Assert.That(closed["history"]!.AsArray().Last()!["details"]!["delisted"]?.GetValue<string>(), Is.EqualTo("true"));
        Assert.That(later.Notices, Is.Zero);
    }

    [Test]
    public async Task Sweep_RunTwice_AddsNothingTheSecondTime()
    {
        await AssignedGeneralCase("重复扫描");

        var first = await SweepOn("2026-03-12");
        var outbox = await app.Count("SELECT COUNT(*) FROM mail_outbox");
        var second = await Sweep();

        Assert.That(first.Notices, Is.EqualTo(1));
        Assert.That(second, Is.EqualTo(new EscalationResult(0, 0, 0, 0)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox"), Is.EqualTo(outbox));
        Assert.That(await app.Count("SELECT COUNT(*) FROM escalation_notices"), Is.EqualTo(1));
    }

    [Test]
    public async Task Sweep_RunConcurrently_IssuesEachNoticeOnce()
    {
        await AssignedGeneralCase("并发扫描一");
        await AssignedGeneralCase("并发扫描二");
        app.Clock.SetUtcNow(TenAm("2026-03-12"));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Sweep()));

        Assert.That(results.Sum(r => r.Notices), Is.EqualTo(2));
        Assert.That(await app.Count("SELECT COUNT(*) FROM escalation_notices"), Is.EqualTo(2));
        Assert.That(await app.Count("SELECT COUNT(DISTINCT letter_seq) FROM escalation_notices"), Is.EqualTo(2));
    }

    [Test]
    public async Task LetterNumbers_RunPerDistrictAndStepWithoutGaps()
    {
        var first = await AssignedGeneralCase("编号一");
        var second = await AssignedGeneralCase("编号二");
        var elsewhere = await AssignedCaseIn("500112001001001", "regulator2", "渝北编号");

        await SweepOn("2026-03-12");

        var letters = (await Notices(first)).Concat(await Notices(second)).Select(n => n.Letter).Order().ToList();
        Assert.That(letters, Is.EqualTo(new[] { "渝中安提〔2026〕1号", "渝中安提〔2026〕2号" }));
        Assert.That((await Notices(elsewhere, "regulator2")).Single().Letter, Is.EqualTo("渝北安提〔2026〕1号"));
    }

    [Test]
    public async Task Digest_OneMailPerRecipientPerSweep_ListsAllTheirNotices()
    {
        await AssignedGeneralCase("汇总一");
        await AssignedGeneralCase("汇总二");

        await SweepOn("2026-03-12");

        // Queued by the sweep, one row per recipient, the body still to be written by the dispatcher.
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox WHERE to_email = 'officer@hazards.example'"), Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox m JOIN escalation_digests d ON d.mail_id = m.id WHERE m.render = 'escalation-digest' AND m.subject = ''"),
            Is.EqualTo(3));

        // Sent three days later, the digest still tells the overdue days as of the sweep that wrote it.
        app.Clock.Advance(TimeSpan.FromDays(3));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var sent = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DispatchMailCommand());
            Assert.That(sent.Sent, Is.EqualTo(3));
        }

        var subject = await app.Text("SELECT subject FROM mail_outbox WHERE to_email = 'officer@hazards.example'");
        var html = await app.Text("SELECT html_body FROM mail_outbox WHERE to_email = 'officer@hazards.example'");
        Assert.That(subject, Is.EqualTo("【提示函】渝中区 2 起隐患整改逾期"));
        Assert.That(html, Does.Contain("渝中安提〔2026〕1号").And.Contain("渝中安提〔2026〕2号").And.Contain("汇总一").And.Contain("汇总二"));
        Assert.That(html, Does.Contain("1 个工作日"));
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox WHERE render IS NOT NULL OR status <> 'sent'"), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox"), Is.EqualTo(3));
    }

    [Test]
    public async Task Triage_PastItsWorkingDay_RemindsTheTownship()
    {
        var reported = await app.ClientFor("grid").Report(Cases.Patrol("无人交办"));

        await SweepOn("2026-03-04");

        var notices = await Notices(reported);
        Assert.That(notices.Select(n => (n.Step, n.Kind)), Is.EqualTo(new[] { (1, "triage") }));
        Assert.That(notices[0].Recipients, Does.Contain("officer"));
    }

    [Test]
    public async Task Triage_OfATipPlacedOnlyAtATownship_RemindsThatTownshipAndNoGrid()
    {
        var submitted = await app.ClientFor(null).PostJson("/api/v1/public/tips", new { description = "街道无网格举报", township = "500103001" });
        Assert.That(submitted.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());
        var tip = (await app.Tasks("officer"))["toTriage"]!["items"]!.AsArray().Single(c => c!.Text("description") == "街道无网格举报")!;

        var result = await SweepOn("2026-03-04");

        var notices = await Notices(tip);
        Assert.That(result.Notices, Is.GreaterThan(0));
        Assert.That(notices.Select(n => (n.Step, n.Kind)), Is.EqualTo(new[] { (1, "triage") }));
        Assert.That(notices[0].Recipients, Is.EquivalentTo(new[] { "officer" }));
    }

    [Test]
    public async Task MissedChecks_ThreeDailyInARow_RaiseAReminder()
    {
        app.Clock.SetUtcNow(TenAm("2026-03-05"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SweepMissedChecksCommand());
        }

        var result = await SweepOn("2026-03-05");

        var unitDaily = Hazards.Api.Infrastructure.Cli.DemoSeeder.DemoPlanId(Cases.UnitOne.ToString("N"), Hazards.Domain.Inspections.Cadence.Daily);
        var notices = await Notices(unitDaily, "unit");
        Assert.That(result.Notices, Is.GreaterThan(0));
        Assert.That(notices.Select(n => (n.Step, n.Kind)), Is.EqualTo(new[] { (1, "inspection") }));
        Assert.That(notices[0].Recipients, Is.SupersetOf(new[] { "unit", "officer" }));
    }

    [TestCase("regulator2", 0)]
    [TestCase("grid2", 0)]
    [TestCase("unit2", 0)]
    [TestCase("unit", 1)]
    [TestCase("grid", 1)]
    [TestCase("regulator", 1)]
    public async Task Escalations_AreListedOnlyWithinScope(string login, int expected)
    {
        var hazard = await AssignedGeneralCase("范围");
        await SweepOn("2026-03-12");

        var page = await (await app.ClientFor(login).GetAsync($"/api/v1/escalations?subject={Cases.Id(hazard)}")).Json();

        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(expected));
    }

    private async Task<JsonNode> AssignedGeneralCase(string title)
    {
        var reported = await app.ClientFor("grid").Report(Cases.Patrol(title, extra: new { unitId = Cases.UnitOne }));
        return await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = Cases.UnitOne });
    }

    private async Task<JsonNode> AssignedCaseIn(string grid, string assigner, string title)
    {
        var reported = await app.ClientFor("admin").Report(new { title, description = "测试", sector = "fire", origin = "regulatorInspection", gridCode = grid });
        return await app.ClientFor(assigner).Do(reported, "assign", new { });
    }

    private static DateTimeOffset TenAm(string day) => DateTimeOffset.Parse($"{day}T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<EscalationResult> SweepOn(string day)
    {
        app.Clock.SetUtcNow(TenAm(day));
        return await Sweep();
    }

    private async Task<EscalationResult> Sweep()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new EscalateCasesCommand());
    }

    private async Task<List<(int Step, string Letter, string Kind, string[] Recipients)>> Notices(JsonNode hazard, string login = "regulator") =>
        await Notices(Cases.Id(hazard), login);

    private async Task<List<(int Step, string Letter, string Kind, string[] Recipients)>> Notices(Guid subject, string login)
    {
        var page = await (await app.ClientFor(login).GetAsync($"/api/v1/escalations?subject={subject}&limit=200")).Json();
        return page["items"]!.AsArray()
            .Select(n => (n!["step"]!.GetValue<int>(), n.Text("letterNumber"), n.Text("subjectKind"),
                n["recipients"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray()))
            .OrderBy(n => n.Item1)
            .ToList();
    }
}
