using Hazards.Api.Features.Escalations;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.Escalations;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>From an overdue case to the supervisors' inboxes: the sweep, the outbox, a real SMTP server.</summary>
[NonParallelizable]
public sealed class EscalationMailTests
{
    [Test]
    public async Task OverdueCase_ReachesEachRecipientAsOneChineseDigestExactlyOnce()
    {
        using var smtp = new SmtpTestServer().Start();
        using var app = await new HazardsApp(new Dictionary<string, string?>
        {
            ["Email:Mode"] = "Smtp",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, start: new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)).WithDemo();
        var reported = await app.ClientFor("grid").Report(Cases.Patrol("邮件送达", extra: new { unitId = Cases.UnitOne }));
        await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = Cases.UnitOne });
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 12, 2, 0, 0, TimeSpan.Zero));

        await Send(app, new EscalateCasesCommand());
        await Send(app, new EscalateCasesCommand());
        var dispatched = await Send(app, new DispatchMailCommand());
        var again = await Send(app, new DispatchMailCommand());

        Assert.That(dispatched.Sent, Is.EqualTo(3));
        Assert.That(again.Sent, Is.Zero);
        Assert.That(smtp.Messages.SelectMany(m => m.To.Mailboxes.Select(b => b.Address)),
            Is.EquivalentTo(new[] { "grid@hazards.example", "unit@hazards.example", "officer@hazards.example" }));
        var officer = smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == "officer@hazards.example");
        Assert.That(officer.Subject, Is.EqualTo("【提示函】渝中区 1 起隐患整改逾期"));
        Assert.That(officer.HtmlBody, Does.Contain("渝中安提〔2026〕1号").And.Contain("邮件送达").And.Contain("http://127.0.0.1:5080/notices/"));
        Assert.That(officer.TextBody, Does.Contain("渝中安提〔2026〕1号"));
    }

    [Test]
    public async Task MissedGridPatrols_DigestNamesTheGridAndThePickupFileIsTheMailAsSmtpSendsIt()
    {
        using var app = await new HazardsApp(start: new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)).WithDemo();
        var gridName = await app.Text("SELECT name FROM org_units WHERE code = @Code", new { Code = Cases.GridOne });
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 16, 6, 0, 0, TimeSpan.Zero));

        await Send<Hazards.Api.Features.Inspections.SweepResult>(app, new Hazards.Api.Features.Inspections.SweepMissedChecksCommand());
        await Send(app, new EscalateCasesCommand());
        var dispatched = await Send(app, new DispatchMailCommand());

        var folder = Path.Combine(app.Folder, "mail");
        var gridWorkerMail = Directory.GetFiles(folder, "*.eml")
            .Select(File.ReadAllBytes)
            .Single(bytes => MimeKit.MimeMessage.Load(new MemoryStream(bytes)).To.Mailboxes.Single().Address == "grid@hazards.example");
        var message = MimeKit.MimeMessage.Load(new MemoryStream(gridWorkerMail));
        var patrolLine = (message.TextBody ?? "").Split('\n').Single(l => l.Contains("网格周巡查", StringComparison.Ordinal));

        Assert.That(dispatched.Sent, Is.GreaterThan(0));
        Assert.That(patrolLine, Does.Contain($" {gridName} 检查计划"), patrolLine);
        Assert.That(message.HtmlBody, Does.Contain($"<td>{gridName}</td>"));
        Assert.That(gridWorkerMail.All(b => b is > 0 and < 0x80), Is.True, "the file is 7-bit, as SMTP without 8BITMIME carries it");
        var lines = System.Text.Encoding.ASCII.GetString(gridWorkerMail).Split("\r\n");
        Assert.That(lines.Where(l => l.Contains('\r') || l.Contains('\n')), Is.Empty, "every line ends in CRLF");
        Assert.That(lines, Has.All.Length.LessThanOrEqualTo(998));
        Assert.That(message.BodyParts.OfType<MimeKit.MimePart>().Select(p => p.ContentTransferEncoding),
            Has.All.AnyOf(MimeKit.ContentEncoding.QuotedPrintable, MimeKit.ContentEncoding.Base64, MimeKit.ContentEncoding.SevenBit));
        Assert.That(System.Text.Encoding.ASCII.GetString(gridWorkerMail), Does.Contain("Content-Transfer-Encoding:"));
    }

    private static async Task<T> Send<T>(HazardsApp app, IMessage message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (T)(await scope.ServiceProvider.GetRequiredService<ISender>().Send(message))!;
    }

    private static Task<EscalationResult> Send(HazardsApp app, EscalateCasesCommand command) => Send<EscalationResult>(app, command);

    private static Task<DispatchResult> Send(HazardsApp app, DispatchMailCommand command) => Send<DispatchResult>(app, command);
}
