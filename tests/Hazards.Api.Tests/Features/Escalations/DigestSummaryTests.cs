using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Inspections;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.Escalations;

/// <summary>
/// After a month of downtime the demo city's sweep writes thousands of notices; a recipient above the
/// level of the items gets them counted per child unit and step, the most serious listed and one link to a page of all,
/// while a grid worker still gets each of theirs. Every digest stays under <c>Email:DigestMaxBytes</c>.
/// </summary>
[NonParallelizable]
public sealed partial class DigestSummaryTests
{
    [GeneratedRegex("href=\"(/notices/[A-Za-z0-9_-]{92})\"")]
    private static partial Regex PageNoticeLink();

    [Test]
    public async Task MonthOfDowntime_AdminGetsASummaryUnderTheLimitWithAPageOfAll_AndTheGridWorkerEveryItem()
    {
        using var smtp = new SmtpTestServer().Start();
        using var app = await new HazardsApp(new Dictionary<string, string?>
        {
            ["Email:Mode"] = "Smtp",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Email:BatchSize"] = "1000",
        }, start: new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)).WithDemo();
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 4, 2, 2, 0, 0, TimeSpan.Zero));

        await Send(app, new SweepMissedChecksCommand());
        await Send(app, new EscalateCasesCommand());
        await Send(app, new DispatchMailCommand());
        var admin = smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == "admin@hazards.example");
        var grid = smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == "grid@hazards.example");
        var adminItems = await app.Count("SELECT COUNT(*) FROM notice_recipients r JOIN users u ON u.id = r.user_id WHERE u.login = 'admin'");
        var gridItems = await app.Count("SELECT COUNT(*) FROM notice_recipients r JOIN users u ON u.id = r.user_id WHERE u.login = 'grid'");
        var largest = smtp.Messages.Max(m => Encoding.UTF8.GetByteCount(m.HtmlBody ?? "") + Encoding.UTF8.GetByteCount(m.TextBody ?? ""));

        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var listed = new List<string>();
        string? next = NoticePageTests.DigestLink().Match(admin.TextBody ?? "").Groups[1].Value;
        var pages = 0;
        while (next is { Length: > 0 } && pages < 100)
        {
            var page = await browser.GetAsync(next);
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var html = await page.Content.ReadAsStringAsync();
            listed.AddRange(PageNoticeLink().Matches(html).Select(m => m.Groups[1].Value));
            next = Regex.Match(html, "href=\"(/digests/[^\"]+)\" id=\"next\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
            pages++;
        }

        var opened = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, listed[^1]) { Headers = { { "Accept", "text/html" } } });
        TestContext.Progress.WriteLine($"digests: {smtp.Messages.Count}; admin {adminItems} items in {Size(admin)} bytes, {pages} pages; grid {gridItems} items; largest {largest} bytes");
        Assert.Multiple(() =>
        {
            Assert.That(adminItems, Is.GreaterThan(400), "a month of missed checks across the demo city");
            Assert.That(largest, Is.LessThanOrEqualTo(256 * 1024), "every digest under Email:DigestMaxBytes");
            Assert.That(admin.Subject, Does.Contain($"共 {adminItems} 项").And.Contain("按单位汇总"));
            Assert.That(admin.HtmlBody, Does.Contain("按下级单位和级别汇总").And.Contain("渝中区"));
            Assert.That(NoticePageTests.NoticeLink().Matches(admin.TextBody ?? "").Count, Is.EqualTo(20), "Email:DigestMaxItems of the most serious listed");
            Assert.That(listed, Has.Count.EqualTo(adminItems), "the page of all, paged, lists every item once");
            Assert.That(listed.Distinct().Count(), Is.EqualTo(listed.Count));
            Assert.That(opened.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a notice opened from the page of all");
            Assert.That(NoticePageTests.NoticeLink().Matches(grid.TextBody ?? "").Count, Is.EqualTo(gridItems), "the grid worker gets each of their items");
            Assert.That(grid.TextBody, Does.Not.Contain("/digests/"));
        });
    }

    private static int Size(MimeKit.MimeMessage m) => Encoding.UTF8.GetByteCount(m.HtmlBody ?? "") + Encoding.UTF8.GetByteCount(m.TextBody ?? "");

    private static async Task Send(HazardsApp app, IMessage message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(message);
    }
}
