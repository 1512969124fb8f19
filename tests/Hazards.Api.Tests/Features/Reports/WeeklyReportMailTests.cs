using System.Globalization;
using Hazards.Api.Features.Reports;
using Hazards.Api.Infrastructure.Jobs;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Tests.Support;
using MimeKit;
using MiniExcelLibs;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>
/// <c>reports:weekly</c> on Monday 2026-03-16 08:00: last week's (W11, 03-09..03-15) report reaches each district's
/// regulators at a real SMTP server with the XLSX attached, and a second run sends nothing.
/// </summary>
[NonParallelizable]
public sealed class WeeklyReportMailTests
{
    private static readonly DateTimeOffset MondayEight = ReportCity.Local("2026-03-16 08:00");

    /// <summary>Row 1 of every sheet is its title; the headers are row 2.</summary>
    private const string XlsxHeader = "A2";

    [Test]
    public async Task WeeklyReport_ReachesEachDistrictRegulatorWithTheXlsx_AndASecondRunSendsNothing()
    {
        using var smtp = new SmtpTestServer().Start();
        using var app = await ReportCity.Build(new Dictionary<string, string?>
        {
            ["Email:Mode"] = "Smtp",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        });
        app.Clock.SetUtcNow(MondayEight);

        var first = (WeeklyReportResult)(await ReportCity.Send(app, new SendWeeklyReportsCommand()))!;
        var second = (WeeklyReportResult)(await ReportCity.Send(app, new SendWeeklyReportsCommand()))!;
        var dispatched = (DispatchResult)(await ReportCity.Send(app, new DispatchMailCommand()))!;

        var reports = smtp.Messages.Where(m => m.Headers[MailComposer.KindHeader] == WeeklyReportMail.Kind).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new WeeklyReportResult("2026-W11", 2, 2)));
            Assert.That(second, Is.EqualTo(new WeeklyReportResult("2026-W11", 0, 0)));
            Assert.That(dispatched.Failed, Is.Zero);
            Assert.That(reports.Select(m => m.To.Mailboxes.Single().Address),
                Is.EquivalentTo(new[] { "regulator@hazards.example", "regulator2@hazards.example" }));
        });
        var yuzhong = reports.Single(m => m.To.Mailboxes.Single().Address == "regulator@hazards.example");
        var attachment = yuzhong.Attachments.OfType<MimePart>().Single();
        using var xlsx = new MemoryStream();
        await attachment.Content!.DecodeToAsync(xlsx);
        xlsx.Position = 0;
        var summary = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "汇总", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();
        var majors = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "重大隐患清单", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(yuzhong.Subject, Is.EqualTo("【清零周报】渝中区 2026-W11（2026-03-09 至 2026-03-15）隐患排查治理情况"));
            Assert.That(yuzhong.HtmlBody, Does.Contain("新增隐患").And.Contain("5 起（重大 1 起）"));
            Assert.That(yuzhong.HtmlBody, Does.Contain("重大隐患未销号（清零目标 0）").And.Contain("2 起，其中逾期 1 起"));
            Assert.That(yuzhong.HtmlBody, Does.Contain("整改按期率").And.Contain("50%（3/6）"));
            Assert.That(yuzhong.HtmlBody, Does.Contain("第 1 位 / 共 38 个区县"));
            Assert.That(yuzhong.TextBody, Does.Contain("新增隐患：5 起（重大 1 起）"));
            Assert.That(attachment.ContentType.MimeType, Is.EqualTo(ClearanceXlsx.ContentType));
            Assert.That(attachment.FileName, Is.EqualTo("渝中区(500103)_清零报告_2026-03-09_2026-03-15.xlsx"));
            Assert.That(summary.Select(r => r["单位代码"]?.ToString()), Is.EqualTo(new[] { "500103001", "500103002", "500103003", "500103" }));
            Assert.That(majors.Select(r => r["隐患名称"]), Is.EqualTo(new[] { "A3 燃气管道腐蚀", "B5 危化品仓库超量储存" }));
        });
        Assert.That(await app.Count("SELECT COUNT(*) FROM report_deliveries WHERE week_key = '2026-W11'"), Is.EqualTo(2));
        await ReadsOnAPhone(yuzhong.HtmlBody);
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'report'"), Is.EqualTo(2));
    }

    /// <summary>
    /// The body in Chromium at a phone's 390 px: no sideways scrolling, one cell per row, each label above its
    /// value, the headline figures all there.
    /// </summary>
    private static async Task ReadsOnAPhone(string html)
    {
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(html, 390, 844);
        await Chromium.Screenshot(page, "weekly-mail-390");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth");
        var cellsPerRow = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('tr')].map(r => r.cells.length)");
        var stacked = await page.EvaluateAsync<bool[]>(
            "[...document.querySelectorAll('td')].map(td => { const [l, v] = td.children; return l.getBoundingClientRect().bottom <= v.getBoundingClientRect().top; })");
        var widest = await page.EvaluateAsync<double>("Math.max(...[...document.querySelectorAll('td')].map(td => td.getBoundingClientRect().right))");
        var rows = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('td')].map(td => td.innerText.replace(/\\n/g, '｜'))");
        Assert.Multiple(() =>
        {
            Assert.That(overflow, Is.LessThanOrEqualTo(0), "the page does not scroll sideways");
            Assert.That(widest, Is.LessThanOrEqualTo(390));
            Assert.That(cellsPerRow, Has.Length.EqualTo(14).And.All.EqualTo(1), "one column of label and value rows");
            Assert.That(stacked, Has.All.True, "each label sits above its value");
            Assert.That(rows, Does.Contain("新增隐患｜5 起（重大 1 起）").And.Contain("整改按期率｜50%（3/6）").And.Contain("签收率（警示函及以上）｜0%（0/13）"));
        });
    }

    [Test]
    public async Task WeeklyReport_RunLateInTheWeek_StillSendsLastWeekOnce()
    {
        using var app = await ReportCity.Build();
        app.Clock.SetUtcNow(ReportCity.Local("2026-03-18 15:00"));

        var late = (WeeklyReportResult)(await ReportCity.Send(app, new SendWeeklyReportsCommand()))!;
        app.Clock.SetUtcNow(ReportCity.Local("2026-03-20 09:00"));
        var again = (WeeklyReportResult)(await ReportCity.Send(app, new SendWeeklyReportsCommand()))!;

        Assert.That(late, Is.EqualTo(new WeeklyReportResult("2026-W11", 2, 2)));
        Assert.That(again, Is.EqualTo(new WeeklyReportResult("2026-W11", 0, 0)));
        Assert.That(await app.Text("SELECT attachment_type FROM mail_outbox WHERE kind = 'report' LIMIT 1"), Is.EqualTo(ClearanceXlsx.ContentType));
    }

    [Test]
    public void Catalog_SchedulesTheWeeklyReportOnMondayAtEight()
    {
        var job = JobCatalog.Find("reports:weekly");

        Assert.That(job?.Cron, Is.EqualTo("0 8 * * 1"));
        Assert.That(job?.Command(), Is.TypeOf<SendWeeklyReportsCommand>());
    }
}
