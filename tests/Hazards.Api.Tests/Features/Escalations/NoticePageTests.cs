using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.Escalations;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// From a received mail to the page behind its link, 签收 with its button, and 叫应 — through the real app, a
/// real SMTP server on 127.0.0.1 and the links exactly as the mail carries them.
/// </summary>
[NonParallelizable]
public sealed partial class NoticePageTests
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Four weeks on: the fix deadline is well past five working days, a 警示函 (step 2).</summary>
    public static readonly DateTimeOffset WarningDay = new(2026, 3, 30, 2, 0, 0, TimeSpan.Zero);

    [GeneratedRegex(@"http://127\.0\.0\.1:5080(/notices/[A-Za-z0-9_-]{92})")]
    internal static partial Regex NoticeLink();

    [GeneratedRegex(@"http://127\.0\.0\.1:5080(/digests/[A-Za-z0-9_-]{92})")]
    internal static partial Regex DigestLink();

    [GeneratedRegex("name=\"formToken\" value=\"([A-Za-z0-9_-]+)\"")]
    private static partial Regex FormToken();

    [Test]
    public async Task ReceivedLink_OpensThePageWithTheCaseItsPhotoAndWhoElseWasTold()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var path = world.LinkOf("grid@hazards.example");

        var page = await world.Page(path);
        var html = await page.Content.ReadAsStringAsync();
        var photo = Regex.Match(html, "<img src=\"(/notices/[^\"]+/files/[0-9a-f-]{36})\"").Groups[1].Value;
        var image = await world.Browser.GetAsync(photo);

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
            Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain(world.CaseCode).And.Contain("警示函").And.Contain("渝中安警〔2026〕1号"));
            Assert.That(html, Does.Contain("办理记录").And.Contain("交办"), "the case's history");
            Assert.That(html, Does.Contain("工作日"), "the working days left or overdue");
            Assert.That(html, Does.Contain("抄送").And.Contain("责任对象"), "who else was told");
            Assert.That(html, Does.Not.Contain("<script"));
            Assert.That(photo, Is.Not.Empty, "the photo is on the page");
            Assert.That(image.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(image.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
            Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("img-src 'self'").And.Contain("form-action 'self'"));
            Assert.That(page.Headers.CacheControl!.NoStore, Is.True, "the link is a credential: nothing cached");
        });
    }

    [Test]
    public async Task Acknowledgement_IsRecordedOnceHoweverOftenTheButtonIsPressed()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var path = world.LinkOf("grid@hazards.example");
        var html = await (await world.Page(path)).Content.ReadAsStringAsync();
        var token = FormToken().Match(html).Groups[1].Value;

        var first = await world.Press(path, token);
        world.App.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await world.Press(path, token);
        var after = await (await world.Page(path)).Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(first.Headers.Location!.OriginalString, Is.EqualTo(path), "post, redirect, get");
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(await world.Count("SELECT COUNT(*) FROM notice_acknowledgements"), Is.EqualTo(1));
            Assert.That(await world.Count("SELECT COUNT(*) FROM escalation_notices WHERE acknowledged_at IS NOT NULL"), Is.EqualTo(1),
                "the grid worker is an addressee: the warning is answered");
            Assert.That(await world.Count("SELECT COUNT(*) FROM case_history WHERE action = 'acknowledgeNotice'"), Is.EqualTo(1));
            Assert.That(after, Does.Contain("id=\"acknowledged\"").And.Not.Contain("id=\"acknowledge\""));
        });
    }

    [Test]
    public async Task PrefetchedLink_AcknowledgesNothing_AndAFormWithoutItsTokenIsRefused()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var path = world.LinkOf("grid@hazards.example");

        await world.Page(path);
        await world.Page(path);
        var missing = await world.Press(path, null);
        var forged = await world.Press(path, new string('A', 43));
        var json = await world.Browser.PostAsync($"{path}/acknowledge", System.Net.Http.Json.JsonContent.Create(new { formToken = "x" }));

        await missing.AssertProblem(400, "notice_link.form_token_invalid");
        await forged.AssertProblem(400, "notice_link.form_token_invalid");
        await json.AssertProblem(415, "request.unsupported_media_type");
        Assert.That(await world.Count("SELECT COUNT(*) FROM notice_acknowledgements"), Is.Zero);
    }

    [Test]
    public async Task LinkEditedByOneCharacter_Is404_AndAnExpiredOne410WithAPageSayingHowToGetANewOne()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var path = world.LinkOf("grid@hazards.example");
        var edits = Enumerable.Range(0, 92).Select(i => Edit(path, path.Length - 92 + i)).ToList();

        var edited = new List<HttpStatusCode>();
        foreach (var e in edits)
        {
            edited.Add((await world.Page(e, html: false)).StatusCode);
        }

        var shown = await world.Page(edits[40]);
        world.App.Clock.Advance(TimeSpan.FromDays(31));
        var expired = await world.Page(path);
        var expiredJson = await world.Page(path, html: false);

        Assert.That(edited, Has.All.EqualTo(HttpStatusCode.NotFound), "every one-character edit of the 92 is refused");
        Assert.That(await shown.Content.ReadAsStringAsync(), Does.Contain("找不到此页面"));
        Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That(await expired.Content.ReadAsStringAsync(), Does.Contain("链接已过期").And.Contain("登录系统"));
        await expiredJson.AssertProblem(410, "notice_link.expired");
    }

    [Test]
    public async Task DeactivatedRecipient_SeesTheLinkGone_AndOneMovedAwaySeesNothing()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var gridLink = world.LinkOf("grid@hazards.example");
        var officerLink = world.LinkOf("officer@hazards.example");

        await world.App.Exec("UPDATE users SET active = 0 WHERE login = 'grid'");
        await world.App.Exec("UPDATE users SET org_code = '500103002' WHERE login = 'officer'");
        var deactivated = await world.Page(gridLink, html: false);
        var moved = await world.Page(officerLink, html: false);

        await deactivated.AssertProblem(410, "notice_link.recipient_inactive");
        await moved.AssertProblem(404, "notice.not_found");
    }

    [Test]
    public async Task AppAcknowledgement_IsRecordedOnce_AndTheListShowsIt()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var unit = world.App.ClientFor("unit");
        var list = await (await unit.GetAsync($"/api/v1/escalations?subject={world.CaseId}")).Json();
        var notice = list["items"]!.AsArray().Single()!;
        var id = notice["id"]!.GetValue<Guid>();

        var first = await (await unit.PostJson($"/api/v1/escalations/{id}/acknowledge", new { })).Json();
        var again = await (await unit.PostJson($"/api/v1/escalations/{id}/acknowledge", new { })).Json();
        var stranger = await world.App.ClientFor("grid2").PostJson($"/api/v1/escalations/{id}/acknowledge", new { });
        var listed = (await (await unit.GetAsync($"/api/v1/escalations?subject={world.CaseId}")).Json())["items"]![0]!;

        Assert.Multiple(async () =>
        {
            Assert.That(notice["acknowledgedAt"], Is.Null);
            Assert.That(notice["acknowledgeBy"]!.GetValue<DateTimeOffset>(), Is.EqualTo(WarningDay.AddHours(24)));
            Assert.That(first["alreadyAcknowledged"]!.GetValue<bool>(), Is.False);
            Assert.That(first["addressee"]!.GetValue<bool>(), Is.True, "the responsible unit's officer is an addressee");
            Assert.That(again["alreadyAcknowledged"]!.GetValue<bool>(), Is.True);
            Assert.That(again["acknowledgedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(first["acknowledgedAt"]!.GetValue<DateTimeOffset>()));
            await stranger.AssertProblem(404, "notice.not_found");
            Assert.That(listed["acknowledgedAt"], Is.Not.Null);
            Assert.That(listed["acknowledgements"]!.AsArray().Select(a => a!["login"]!.GetValue<string>()), Is.EqualTo(new[] { "unit" }));
            Assert.That(await world.Count("SELECT COUNT(*) FROM case_history WHERE action = 'acknowledgeNotice'"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task UnacknowledgedWarning_IsChasedOnceToTheTownship_AfterItsWindow_AndNeverTwice()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var before = smtp.Messages.Count;

        world.App.Clock.Advance(TimeSpan.FromHours(23));
        var early = await Sweep(world.App);
        world.App.Clock.Advance(TimeSpan.FromHours(2));
        var chased = await Sweep(world.App);
        var doubled = await Sweep(world.App);
        await Dispatch(world.App);
        using var restarted = world.App.WithWebHostBuilder(_ => { });
        var afterRestart = await Sweep(restarted.Services);
        await Dispatch(world.App);
        var mails = smtp.Messages.Skip(before).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(early.Chases, Is.Zero, "within 24 hours nobody is called");
            Assert.That(chased.Chases, Is.EqualTo(1));
            Assert.That(doubled.Chases, Is.Zero);
            Assert.That(afterRestart.Chases, Is.Zero);
            Assert.That(mails.Select(m => m.To.Mailboxes.Single().Address), Is.EqualTo(new[] { "officer@hazards.example" }),
                "the level above the grid: the township's officer, once");
            Assert.That(mails.Single().Subject, Does.StartWith("【未签收】"));
            Assert.That(mails.Single().TextBody, Does.Contain("警示函（未签收）").And.Contain(world.CaseCode));
        });
    }

    [Test]
    public async Task WarningAcknowledgedInTime_IsNotChased()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var path = world.LinkOf("grid@hazards.example");
        var token = FormToken().Match(await (await world.Page(path)).Content.ReadAsStringAsync()).Groups[1].Value;
        world.App.Clock.Advance(TimeSpan.FromHours(20));
        await world.Press(path, token);

        world.App.Clock.Advance(TimeSpan.FromHours(10));
        var swept = await Sweep(world.App);

        Assert.That(swept.Chases, Is.Zero);
    }

    [Test]
    public async Task ChasedOfficer_OpensTheWarningFromTheChaseMail()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var before = smtp.Messages.Count;
        world.App.Clock.Advance(TimeSpan.FromHours(25));
        await Sweep(world.App);
        await Dispatch(world.App);
        var chase = smtp.Messages.Skip(before).Single();
        var path = NoticeLink().Match(chase.TextBody ?? "").Groups[1].Value;

        var html = await (await world.Page(path)).Content.ReadAsStringAsync();

        Assert.That(html, Does.Contain(world.CaseCode).And.Contain("因逾时未签收，已通知上一级").And.Contain("叫应（未签收通知）"));
    }

    [Test]
    public async Task ClearanceReport_CountsTheAcknowledgementRateAndTheMedianTime_InJsonAndCsv()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await Warned(smtp);
        var path = world.LinkOf("grid@hazards.example");
        var token = FormToken().Match(await (await world.Page(path)).Content.ReadAsStringAsync()).Groups[1].Value;
        world.App.Clock.Advance(TimeSpan.FromHours(3));
        await world.Press(path, token);
        world.App.Clock.Advance(TimeSpan.FromDays(2));
        var admin = world.App.ClientFor("admin");
        const string Query = "orgUnit=500103&from=2026-03-30&to=2026-04-01";

        var report = await (await admin.GetAsync($"/api/v1/reports/clearance?{Query}")).Json();
        var csv = await admin.GetStringAsync($"/api/v1/reports/clearance?{Query}&format=csv");
        var township = report["children"]!.AsArray().Single(c => c!["code"]!.GetValue<string>() == "500103001")!["acknowledgements"]!;
        var other = report["children"]!.AsArray().Single(c => c!["code"]!.GetValue<string>() == "500103002")!["acknowledgements"]!;
        var lines = csv.TrimStart('\uFEFF').Split(["\r\n", "\n"], StringSplitOptions.None);
        var row = lines.Single(l => l.StartsWith("500103001,", StringComparison.Ordinal)).Split(',');
        var header = lines[0].Split(',');

        Assert.Multiple(() =>
        {
            Assert.That(township["due"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(township["inTime"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(township["rate"]!["value"]!.GetValue<double>(), Is.EqualTo(1.0));
            Assert.That(township["medianHours"]!.GetValue<double>(), Is.EqualTo(3.0));
            Assert.That(other["rate"], Is.Null, "nothing due: no rate, never 0 or 100%");
            Assert.That(report["summary"]!["acknowledgements"]!["due"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(row[Array.IndexOf(header, "签收率")], Is.EqualTo("100%（1/1）"));
            Assert.That(row[Array.IndexOf(header, "签收用时中位数（小时）")], Is.EqualTo("3"));
        });
    }

    internal static string Edit(string path, int at)
    {
        var chars = path.ToCharArray();
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    /// <summary>A case reported with a photo, assigned, and left until its 警示函 went out and was mailed.</summary>
    internal static async Task<World> Warned(SmtpTestServer smtp, IDictionary<string, string?>? settings = null, int notices = 1)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Email:Mode"] = "Smtp",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        var app = await new HazardsApp(overrides, start: Start).WithDemo();
        var grid = app.ClientFor("grid");
        var photo = await grid.Upload();
        var reported = await grid.Report(Cases.Patrol("楼道堆放杂物堵塞安全出口", extra: new { unitId = Cases.UnitOne, attachmentIds = new[] { photo } }));
        await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = Cases.UnitOne });
        for (var more = 1; more < notices; more++)
        {
            var another = await grid.Report(Cases.Patrol($"配电箱前堆放杂物{more}", extra: new { unitId = Cases.UnitOne }));
            await app.ClientFor("officer").Do(another, "assign", new { responsibleUnitId = Cases.UnitOne });
        }

        app.Clock.SetUtcNow(WarningDay);
        var swept = await Sweep(app);
        Assert.That(swept.Notices, Is.EqualTo(notices));
        await Dispatch(app);
        var step = await app.Text("SELECT CAST(MIN(step) AS TEXT) FROM escalation_notices");
        Assert.That(step, Is.EqualTo("2"), "the sweep wrote a 警示函");
        return new World(app, smtp, Cases.Id(reported), reported.Text("code"));
    }

    internal static Task<EscalationResult> Sweep(HazardsApp app) => Sweep(app.Services);

    internal static async Task<EscalationResult> Sweep(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new EscalateCasesCommand());
    }

    internal static async Task Dispatch(HazardsApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DispatchMailCommand());
    }

    internal sealed class World(HazardsApp app, SmtpTestServer smtp, Guid caseId, string caseCode) : IDisposable
    {
        public HazardsApp App { get; } = app;

        public Guid CaseId { get; } = caseId;

        public string CaseCode { get; } = caseCode;

        /// <summary>A client with no token that does not follow redirects, as a mail reader's browser comes to the page.</summary>
        public HttpClient Browser { get; } = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        public string LinkOf(string address)
        {
            var mail = smtp.Messages.Last(m => m.To.Mailboxes.Single().Address == address);
            return NoticeLink().Match(mail.TextBody ?? "").Groups[1].Value is { Length: > 0 } path ? path : throw new AssertionException($"no link in {mail.TextBody}");
        }

        public Task<HttpResponseMessage> Page(string path, bool html = true)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd(html ? "text/html" : "application/json");
            return Browser.SendAsync(request);
        }

        public Task<HttpResponseMessage> Press(string path, string? formToken)
        {
            var fields = formToken is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["formToken"] = formToken };
            var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/acknowledge") { Content = new FormUrlEncodedContent(fields) };
            request.Headers.Accept.ParseAdd("application/json");
            return Browser.SendAsync(request);
        }

        public async Task<int> Count(string sql) => int.Parse(await App.Text($"SELECT CAST(({sql}) AS TEXT)"), CultureInfo.InvariantCulture);

        public void Dispose() => App.Dispose();
    }
}
