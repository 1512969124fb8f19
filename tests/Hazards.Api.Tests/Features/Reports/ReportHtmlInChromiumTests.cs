using System.Text.Json.Nodes;
using Hazards.Api.Features.Reports;
using Hazards.Api.Tests.Support;
using Microsoft.Playwright;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>
/// The HTML report as Debian's Chromium shows it on a desktop (1280 px), a phone (390 px) and on paper:
/// the page never scrolls sideways, the unit table scrolls in its own box with the header and unit column held, names stay on
/// one line, printing groups the columns into tables that fit A4 landscape, and the charts say something.
/// </summary>
public sealed class ReportHtmlInChromiumTests
{
    private const string District = "orgUnit=500103&from=2026-03-09&to=2026-03-13";
    private const string City = "orgUnit=500000&from=2026-03-09&to=2026-03-13";

    /// <summary>A4 landscape less the 12 mm margins of the page's @page rule, in CSS pixels (96 per inch).</summary>
    private const int PrintableWidth = (int)((297 - 24) / 25.4 * 96);

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await SharedCity.App;

    [TestCase(1280)]
    [TestCase(390)]
    public async Task Html_DoesNotScrollSideways_TheUnitTableScrollsInItsBoxWithHeaderAndUnitColumnHeld(int width)
    {
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("admin", City), width);
        await Chromium.Screenshot(page, $"clearance-city-{width}");
        await Chromium.Screenshot(page, $"clearance-city-{width}-top", fullPage: false);

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth");
        var box = await page.EvaluateAsync<BoxShape>("""
            (() => {
              const box = document.querySelector('table.units').parentElement;
              const before = box.querySelector('tbody td.unit').getBoundingClientRect().left - box.getBoundingClientRect().left;
              box.scrollLeft = 400; box.scrollTop = 200;
              const unit = box.querySelector('tbody td.unit').getBoundingClientRect().left - box.getBoundingClientRect().left;
              const header = box.querySelector('thead th:nth-child(8)').getBoundingClientRect().top - box.getBoundingClientRect().top;
              return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, scrolled: box.scrollLeft, before, unit, header,
                       overflowX: getComputedStyle(box).overflowX };
            })()
            """);
        var nameLines = await page.EvaluateAsync<int[]>("""
            [...document.querySelectorAll('table.units td.unit')].map(td => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length; })
            """);
        Assert.Multiple(() =>
        {
            Assert.That(overflow, Is.LessThanOrEqualTo(0), "the page itself never scrolls sideways");
            Assert.That(box.OverflowX, Is.EqualTo("auto"));
            Assert.That(box.ScrollWidth, Is.GreaterThan(box.ClientWidth), "35 columns do not fit: the box scrolls");
            Assert.That(box.Scrolled, Is.GreaterThan(0));
            Assert.That(box.Unit, Is.EqualTo(box.Before).Within(1), "the unit column stays put when the box scrolls sideways");
            Assert.That(box.Header, Is.EqualTo(0).Within(1), "the header row stays at the top when the box scrolls down");
            Assert.That(nameLines, Has.Length.EqualTo(39).And.All.EqualTo(1), "38 district names and the total, none wrapped");
        });
    }

    [Test]
    public async Task Html_ChildrenChart_IsSortedByOpenCases_AndTheUnitsWithNothingAreOneLine()
    {
        var json = await ReportCity.Get(app, "admin", City);
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("admin", City), 1280);

        var open = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('#chart-units rect.bar[data-series=\"未销号\"]')].map(r => +r.dataset.value)");
        var closed = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('#chart-units rect.bar[data-series=\"本期销号\"]')].map(r => +r.dataset.value)");
        var names = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('#chart-units text.category')].map(t => t.textContent)");
        var rest = await page.EvaluateAsync<string>("document.querySelector('#chart-units .rest')?.textContent ?? ''");
        var children = json["children"]!.AsArray().Select(c => c!).ToList();
        var busy = children.Where(c => Open(c) + Closed(c) > 0).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(busy, Is.Not.Empty);
            Assert.That(open, Is.Ordered.Descending);
            Assert.That(open.Zip(closed), Is.EquivalentTo(busy.Select(c => (Open(c), Closed(c)))));
            Assert.That(names, Is.EquivalentTo(busy.Select(c => c["name"]!.GetValue<string>())));
            Assert.That(rest, Is.EqualTo($"其余 {children.Count - busy.Count} 个单位未销号、本期销号均为 0"));
        });
    }

    [Test]
    public async Task Html_ForAPeriodWithNothing_SaysSoInsteadOfDrawingEmptyCharts()
    {
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("regulator", "orgUnit=500103&from=2026-01-05&to=2026-01-11"), 390);
        await Chromium.Screenshot(page, "clearance-empty-390");

        var sentences = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('figure .empty')].map(p => p.textContent)");
        var svgs = await page.EvaluateAsync<int>("document.querySelectorAll('figure svg').length");

        Assert.That(sentences, Is.EqualTo(new[] { ReportCharts.NoUnitCases, ReportCharts.NoOverdue, ReportCharts.NoTrend }));
        Assert.That(svgs, Is.Zero);
    }

    [Test]
    public async Task Html_Trend_IsABarPerWeekAndSeries_BesideThePreviousPeriod()
    {
        const string twoWeeks = "orgUnit=500103&from=2026-03-02&to=2026-03-13";
        var json = await ReportCity.Get(app, "regulator", twoWeeks);
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("regulator", twoWeeks), 1280);
        await Chromium.Screenshot(page, "clearance-district-1280");

        var bars = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('#chart-trend > .trend > div:first-child rect.bar')].map(r => +r.dataset.value)");
        var weeks = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('#chart-trend text.category')].map(t => t.textContent)");
        var previous = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('#chart-previous rect.bar[data-series=\"上期\"]')].map(r => +r.dataset.value)");
        var trend = json["trend"]!.AsArray().Select(w => w!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(weeks.Take(trend.Count), Is.EqualTo(trend.Select(w => w["week"]!.GetValue<string>())));
            Assert.That(bars, Is.EqualTo(trend.SelectMany(w => new[] { w["new"]!.GetValue<int>(), w["closes"]!.GetValue<int>() })));
            Assert.That(previous, Is.EqualTo(new[] { json["previous"]!["new"]!.GetValue<int>(), json["previous"]!["closes"]!.GetValue<int>() }));
            Assert.That(json["previous"]!["from"]!.GetValue<string>(), Is.EqualTo("2026-02-18"), "twelve days before 03-02");
            Assert.That(json["previous"]!["to"]!.GetValue<string>(), Is.EqualTo("2026-03-01"));
        });
    }

    [Test]
    public async Task Html_Trend_ForAYear_DrawsEveryWeekInsideItsBox_WithLabelsThatDoNotOverlap()
    {
        const string year = "orgUnit=500103&from=2025-03-14&to=2026-03-13";
        var json = await ReportCity.Get(app, "regulator", year);
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("regulator", year), 390);

        var bars = await page.EvaluateAsync<int>("document.querySelectorAll('#chart-trend > .trend > div:first-child rect.bar').length");
        var overlaps = await page.EvaluateAsync<int>("""
            (() => {
              const boxes = [...document.querySelectorAll('#chart-trend > .trend > div:first-child text.category')].map(t => t.getBoundingClientRect());
              return boxes.slice(1).filter((b, i) => b.left < boxes[i].right).length;
            })()
            """);
        var inside = await page.EvaluateAsync<bool>("""
            (() => { const svg = document.querySelector('#chart-trend svg'); return svg.getBoundingClientRect().right <= svg.parentElement.getBoundingClientRect().right + 0.5; })()
            """);
        Assert.Multiple(() =>
        {
            Assert.That(json["trend"]!.AsArray(), Has.Count.GreaterThan(50));
            Assert.That(bars, Is.EqualTo(2 * json["trend"]!.AsArray().Count), "a new and a closes bar for every week");
            Assert.That(overlaps, Is.Zero, "only every n-th week is labelled when the weeks are narrow");
            Assert.That(inside, Is.True);
        });
    }

    [Test]
    public async Task Html_Printed_GroupsTheUnitColumnsIntoTablesThatFitALandscapePage()
    {
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("admin", City), PrintableWidth);
        await page.EmulateMediaAsync(new() { Media = Media.Print });

        var groups = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('table.print-group')].map(t => t.getBoundingClientRect().width)");
        var headers = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('table.print-group thead th')].map(th => th.textContent)");
        var titles = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('.print-only h3.group')].map(h => h.textContent)");
        var screenTable = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('table.units').parentElement).display");
        var pdf = await page.PdfAsync(new() { PreferCSSPageSize = true });
        await Chromium.Screenshot(page, "clearance-city-print");
        Assert.Multiple(() =>
        {
            Assert.That(screenTable, Is.EqualTo("none"), "the wide table is for the screen");
            Assert.That(groups, Has.Length.EqualTo(4).And.All.LessThanOrEqualTo(PrintableWidth));
            Assert.That(titles, Is.EqualTo(new[] { "隐患数量", "整改与销号比率", "日周月排查", "督办、处罚与得分" }));
            Assert.That(headers.Where(h => h != "单位名称"), Is.EquivalentTo(ReportTable.Columns.Skip(2).Select(c => c.Header).Prepend("单位代码")),
                "every column is printed once");
            Assert.That(pdf, Is.Not.Empty);
        });
        await File.WriteAllBytesAsync(Path.Combine(TestContext.CurrentContext.WorkDirectory, "clearance-city.pdf"), pdf);
    }

    private static int Open(JsonNode unit) => unit["cases"]!["open"]!["total"]!.GetValue<int>();

    private static int Closed(JsonNode unit) => unit["cases"]!["closed"]!["total"]!.GetValue<int>();

    private async Task<string> Html(string login, string query)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/reports/clearance?{query}&format=html");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The unit table's box as the page measured it: its widths, how far it scrolled, where the unit column and header were.</summary>
    private sealed class BoxShape
    {
        public double ScrollWidth { get; set; }
        public double ClientWidth { get; set; }
        public double Scrolled { get; set; }
        public double Before { get; set; }
        public double Unit { get; set; }
        public double Header { get; set; }
        public string OverflowX { get; set; } = "";
    }
}
