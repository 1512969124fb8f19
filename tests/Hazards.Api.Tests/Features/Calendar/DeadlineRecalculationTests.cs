using System.Text.Json.Nodes;
using Hazards.Api.Features.Calendar;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Features.Calendar.CalendarDriver;

namespace Hazards.Api.Tests.Features.Calendar;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>A loaded notice lengthens open deadlines and never shortens one; the service warns before a provisional year.</summary>
public sealed class DeadlineRecalculationTests
{
    private readonly OwnApps apps = new();

    [TearDown]
    public void Stop() => apps.Dispose();

    [Test]
    public async Task Put_ANoticeWithAnExtraHoliday_LengthensTheAffectedDeadlineWithAHistoryRowAndNeverShortensAnother()
    {
        // Assigned Mon 12-28 under provisional 2027: 12-29, 12-30, 12-31, 01-04, 05, 06, 07 → 01-07.
        var app = await apps.Start(At("2026-12-28T02:00:00Z"));
        var assigned = await app.ClientFor("officer").Do(await app.ClientFor("grid").Report(Cases.Patrol()), "assign");
        var untouched = await app.ClientFor("officer").Do(await app.ClientFor("grid").Report(Cases.Patrol("楼道堆物")), "assign",
            new { responsibleUnitId = Cases.UnitOne, deadline = "2026-12-30T15:59:59Z" });
        app.Clock.SetUtcNow(At("2026-12-31T02:00:00Z"));
        // Reported Thu 12-31: triage due Mon 01-04; a make-up Saturday 01-02 would make it 01-02, which is shorter.
        var reported = await app.ClientFor("grid").Report(Cases.Patrol("灭火器过期"));

        // The notice: 01-02 a make-up workday, 01-04 and 01-05 holidays. The fix: 12-29, 12-30, 12-31, 01-02, 01-06, 07, 08 → 01-08.
        var response = await app.ClientFor("admin").Put(2027, Body(
            Day("2027-01-01", "holiday", "元旦"), Day("2027-01-02", "workday", "元旦"), Day("2027-01-04", "holiday", "元旦"), Day("2027-01-05", "holiday", "元旦")), "\"0\"");
        var fixCase = await app.ClientFor("officer").Fetch(assigned);
        var triageCase = await app.ClientFor("officer").Fetch(reported);
        var chosen = await app.ClientFor("officer").Fetch(untouched);
        var last = fixCase["history"]!.AsArray()[^1]!;
        var chain = await (await app.ClientFor("officer").GetAsync($"/api/v1/cases/{Cases.Id(assigned)}/history/verify")).Json();

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var body = await response.Json();
        Assert.That(body["recalculated"]!["fix"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(body["recalculated"]!["triage"]!.GetValue<int>(), Is.Zero);
        Assert.That(fixCase.Text("deadline"), Is.EqualTo("2027-01-08T15:59:59Z"));
        Assert.That(fixCase["version"]!.GetValue<int>(), Is.EqualTo(Cases.Version(assigned) + 1));
        Assert.That(last.Text("action"), Is.EqualTo(DeadlineRecalculation.Action));
        Assert.That(last["details"]!.Text("oldDeadline"), Is.EqualTo("2027-01-07T15:59:59Z"));
        Assert.That(last["details"]!.Text("newDeadline"), Is.EqualTo("2027-01-08T15:59:59Z"));
        Assert.That(last.Text("actor"), Is.EqualTo("admin"));
        Assert.That(chain["valid"]!.GetValue<bool>(), Is.True);
        Assert.That(triageCase.Text("triageDeadline"), Is.EqualTo("2027-01-04T15:59:59Z"), "never shortened");
        Assert.That(triageCase["version"]!.GetValue<int>(), Is.EqualTo(Cases.Version(reported)));
        Assert.That(chosen.Text("deadline"), Is.EqualTo("2026-12-30T15:59:59Z"), "a deadline a person chose is no count of working days");
        Assert.That(await app.Count("SELECT COUNT(*) FROM calendar_shifts"), Is.Zero);
    }

    [Test]
    public async Task Put_TheSameNoticeTwice_RecalculatesNothingTheSecondTime()
    {
        var app = await apps.Start(At("2026-12-28T02:00:00Z"));
        var assigned = await app.ClientFor("officer").Do(await app.ClientFor("grid").Report(Cases.Patrol()), "assign");
        var notice = Body(Day("2027-01-01", "holiday", "元旦"), Day("2027-01-04", "holiday", "元旦"));

        var first = await (await app.ClientFor("admin").Put(2027, notice, "\"0\"")).Json();
        var second = await (await app.ClientFor("admin").Put(2027, notice, "\"1\"")).Json();
        var hazard = await app.ClientFor("officer").Fetch(assigned);

        Assert.That(first["recalculated"]!["fix"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(second["recalculated"]!["fix"]!.GetValue<int>(), Is.Zero);
        Assert.That(hazard["history"]!.AsArray().Count(h => h!.Text("action") == DeadlineRecalculation.Action), Is.EqualTo(1));
        Assert.That(hazard.Text("deadline"), Is.EqualTo("2027-01-08T15:59:59Z"));
    }

    [Test]
    public async Task Put_ANotice_LengthensVerificationAndTriageDeadlinesToo()
    {
        // Fixed on Wed 12-30: verification 3 working days, 12-31, 01-04, 01-05 → with 01-04 a holiday, 01-06.
        var app = await apps.Start(At("2026-12-30T02:00:00Z"));
        var assigned = await app.ClientFor("officer").Do(await app.ClientFor("grid").Report(Cases.Patrol()), "assign");
        var photo = await app.ClientFor("grid").Upload();
        var fixedCase = await app.ClientFor("grid").Do(assigned, "fix", new { note = "已清理", attachmentIds = new[] { photo } });
        app.Clock.SetUtcNow(At("2026-12-31T02:00:00Z"));
        var reported = await app.ClientFor("grid").Report(Cases.Patrol("灭火器过期"));

        var response = await (await app.ClientFor("admin").Put(2027, Body(Day("2027-01-01", "holiday", "元旦"), Day("2027-01-04", "holiday", "元旦")), "\"0\"")).Json();

        Assert.That(fixedCase.Text("verificationDeadline"), Is.EqualTo("2027-01-05T15:59:59Z"));
        Assert.That((await app.ClientFor("officer").Fetch(fixedCase)).Text("verificationDeadline"), Is.EqualTo("2027-01-06T15:59:59Z"));
        Assert.That((await app.ClientFor("officer").Fetch(reported)).Text("triageDeadline"), Is.EqualTo("2027-01-05T15:59:59Z"));
        Assert.That(response["recalculated"]!["verification"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(response["recalculated"]!["triage"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Put_ANotice_LengthensTheAnswerPeriodOfAnOpenEscalationNoticeAndTheLadderFollowsTheNewDeadline()
    {
        // Assigned Mon 12-28: due Thu 01-07. On Mon 01-04 the sweep warns (预警): the answer is due 3 working days on, 01-07.
        var app = await apps.Start(At("2026-12-28T02:00:00Z"));
        var assigned = await app.ClientFor("officer").Do(await app.ClientFor("grid").Report(Cases.Patrol()), "assign");
        app.Clock.SetUtcNow(At("2027-01-04T02:00:00Z"));
        var swept = (Hazards.Api.Features.Escalations.EscalationResult)(await Send(app, new Hazards.Api.Features.Escalations.EscalateCasesCommand()))!;
        var notice = (await (await app.ClientFor("officer").GetAsync($"/api/v1/escalations?subject={Cases.Id(assigned)}")).Json())["items"]!.AsArray().Single()!;

        var response = await (await app.ClientFor("admin").Put(2027, Body(Day("2027-01-01", "holiday", "元旦"), Day("2027-01-05", "holiday", "元旦")), "\"0\"")).Json();
        var moved = (await (await app.ClientFor("officer").GetAsync($"/api/v1/escalations?subject={Cases.Id(assigned)}")).Json())["items"]!.AsArray().Single()!;
        var again = (Hazards.Api.Features.Escalations.EscalationResult)(await Send(app, new Hazards.Api.Features.Escalations.EscalateCasesCommand()))!;
        var notices = (await (await app.ClientFor("officer").GetAsync($"/api/v1/escalations?subject={Cases.Id(assigned)}")).Json())["items"]!.AsArray();

        Assert.That(swept.Notices, Is.EqualTo(1));
        Assert.That(notice.Text("respondBy"), Is.EqualTo("2027-01-07T15:59:59Z"));
        Assert.That(response["recalculated"]!["escalationResponse"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(moved.Text("respondBy"), Is.EqualTo("2027-01-08T15:59:59Z"));
        Assert.That((await app.ClientFor("officer").Fetch(assigned)).Text("deadline"), Is.EqualTo("2027-01-08T15:59:59Z"));
        Assert.That(again.Notices, Is.EqualTo(1), "the ladder follows the new deadline: a warning that names it");
        Assert.That(notices.Select(n => n!.Text("dueAt")), Is.EquivalentTo(new[] { "2027-01-07T15:59:59Z", "2027-01-08T15:59:59Z" }));
        Assert.That(notices.Select(n => n!["step"]!.GetValue<int>()).Distinct(), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public async Task Put_ANoticeThatLengthensAnAnswerPeriod_WritesTheCaseAHistoryRowAndMovesItsVersion()
    {
        // Assigned Mon 12-28 with a chosen deadline 12-31, so the notice moves only the warning's answer period, not the case's own deadline.
        var app = await apps.Start(At("2026-12-28T02:00:00Z"));
        var assigned = await app.ClientFor("officer").Do(await app.ClientFor("grid").Report(Cases.Patrol()), "assign",
            new { responsibleUnitId = Cases.UnitOne, deadline = "2026-12-31T15:59:59Z" });
        app.Clock.SetUtcNow(At("2027-01-04T02:00:00Z"));
        await Send(app, new Hazards.Api.Features.Escalations.EscalateCasesCommand());
        var notice = (await (await app.ClientFor("officer").GetAsync($"/api/v1/escalations?subject={Cases.Id(assigned)}")).Json())["items"]!.AsArray().Single()!;
        var before = await app.ClientFor("officer").Fetch(assigned);

        var response = await (await app.ClientFor("admin").Put(2027, Body(Day("2027-01-01", "holiday", "元旦"), Day("2027-01-05", "holiday", "元旦")), "\"0\"")).Json();
        var after = await app.ClientFor("officer").Fetch(assigned);
        var rows = after["history"]!.AsArray().Where(h => h!.Text("action") == DeadlineRecalculation.Action).ToList();
        var chain = await (await app.ClientFor("officer").GetAsync($"/api/v1/cases/{Cases.Id(assigned)}/history/verify")).Json();

        Assert.That(response["recalculated"]!["escalationResponse"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(response["recalculated"]!["fix"]!.GetValue<int>(), Is.Zero, "a chosen deadline stays");
        Assert.That(after.Text("deadline"), Is.EqualTo("2026-12-31T15:59:59Z"));
        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0]!["details"]!.Text("kind"), Is.EqualTo("escalationResponse"));
        Assert.That(rows[0]!["details"]!.Text("noticeId"), Is.EqualTo(notice.Text("id")));
        Assert.That(rows[0]!["details"]!.Text("oldDeadline"), Is.EqualTo(notice.Text("respondBy")));
        Assert.That(rows[0]!["details"]!.Text("newDeadline"), Is.Not.EqualTo(notice.Text("respondBy")));
        Assert.That(rows[0]!.Text("actor"), Is.EqualTo("admin"));
        Assert.That(after["version"]!.GetValue<int>(), Is.EqualTo(before["version"]!.GetValue<int>() + 1));
        Assert.That(chain["valid"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Put_ANoticeThatMovesTheFixDeadlineAndTheAnswerPeriod_ChainsBothHistoryRowsOfTheCase()
    {
        var app = await apps.Start(At("2026-12-28T02:00:00Z"));
        var assigned = await app.ClientFor("officer").Do(await app.ClientFor("grid").Report(Cases.Patrol()), "assign");
        app.Clock.SetUtcNow(At("2027-01-04T02:00:00Z"));
        await Send(app, new Hazards.Api.Features.Escalations.EscalateCasesCommand());

        await app.ClientFor("admin").Put(2027, Body(Day("2027-01-01", "holiday", "元旦"), Day("2027-01-05", "holiday", "元旦")), "\"0\"");
        var hazard = await app.ClientFor("officer").Fetch(assigned);
        var kinds = hazard["history"]!.AsArray().Where(h => h!.Text("action") == DeadlineRecalculation.Action).Select(h => h!["details"]!.Text("kind"));
        var chain = await (await app.ClientFor("officer").GetAsync($"/api/v1/cases/{Cases.Id(assigned)}/history/verify")).Json();

        Assert.That(kinds, Is.EqualTo(new[] { "fix", "escalationResponse" }));
        Assert.That(chain["valid"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task HealthReady_WithinNinetyDaysOfAProvisionalYear_IsDegradedNamingTheYearUntilItsNoticeIsLoaded()
    {
        var app = await apps.Start(At("2026-10-01T02:00:00Z"));
        var anonymous = app.ClientFor(null);

        var healthy = await anonymous.GetAsync("/health/ready");
        var healthyBody = await healthy.Json();
        app.Clock.SetUtcNow(At("2026-10-10T02:00:00Z"));
        var degraded = await anonymous.GetAsync("/health/ready");
        var degradedBody = await degraded.Json();
        await app.ClientFor("admin").Put(2027, Body(Day("2027-01-01", "holiday", "元旦")), "\"0\"");
        var back = await (await anonymous.GetAsync("/health/ready")).Json();

        Assert.That((int)healthy.StatusCode, Is.EqualTo(200));
        Assert.That(healthyBody["checks"]!["calendar"]!.Text("status"), Is.EqualTo("healthy"));
        Assert.That((int)degraded.StatusCode, Is.EqualTo(200), "an instance that can serve stays in rotation");
        Assert.That(degradedBody.Text("status"), Is.EqualTo("degraded"));
        Assert.That(degradedBody["checks"]!["calendar"]!.Text("status"), Is.EqualTo("degraded"));
        Assert.That(degradedBody["checks"]!["calendar"]!.Text("description"), Does.Contain("2027"));
        Assert.That(back["checks"]!["calendar"]!.Text("status"), Is.EqualTo("healthy"));
        Assert.That(back.Text("status"), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Remind_WhenAProvisionalYearComesWithinNinetyDays_MailsTheCityAdminsOnceAcrossRunsAndRestarts()
    {
        var app = await apps.Start(At("2026-09-01T02:00:00Z"));
        var early = (CalendarReminderResult)(await Send(app, new RemindCalendarCommand()))!;
        app.Clock.SetUtcNow(At("2026-10-03T02:00:00Z"));

        var first = (CalendarReminderResult)(await Send(app, new RemindCalendarCommand()))!;
        var second = (CalendarReminderResult)(await Send(app, new RemindCalendarCommand()))!;
        var restarted = apps.Beside(app, At("2026-10-04T02:00:00Z"));
        var third = (CalendarReminderResult)(await Send(restarted, new RemindCalendarCommand()))!;
        var dispatched = (DispatchResult)(await Send(app, new DispatchMailCommand()))!;
        var message = await MimeKit.MimeMessage.LoadAsync(Directory.GetFiles(Path.Combine(app.Folder, "mail")).Single());
        var mail = message.TextBody;

        Assert.That(early, Is.EqualTo(new CalendarReminderResult(null, 0)));
        Assert.That(first, Is.EqualTo(new CalendarReminderResult(2027, 1)));
        Assert.That(second.Mails, Is.Zero);
        Assert.That(third.Mails, Is.Zero);
        Assert.That(dispatched.Sent, Is.EqualTo(1));
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'calendarReminder'"), Is.EqualTo(1));
        Assert.That(mail, Does.Contain("/api/v1/calendar/2027"));
        Assert.That(message.HtmlBody, Does.Not.Contain("href="), "an API address a browser cannot open is no link");
        Assert.That(mail, Does.Not.Contain("http"), "the mail describes the action instead of giving an address to open");
    }
}
