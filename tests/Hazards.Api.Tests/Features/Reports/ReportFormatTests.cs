using System.Net;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Hazards.Api.Tests.Support;
using MiniExcelLibs;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>The report as CSV, XLSX and HTML: content types, file names, and each parsed back.</summary>
public sealed class ReportFormatTests
{
    private const string Query = "orgUnit=500103&from=2026-03-09&to=2026-03-13";

    /// <summary>Row 1 of every sheet is its title; the headers are row 2.</summary>
    private const string XlsxHeader = "A2";

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task City() => app = await SharedCity.App;

    [TestCase("json", "application/json")]
    [TestCase("csv", "text/csv")]
    [TestCase("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [TestCase("html", "text/html")]
    public async Task EachFormat_AnswersWithItsContentType(string format, string mediaType)
    {
        var response = await Fetch(format);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
    }

    [Test]
    public async Task Csv_IsUtf8WithBom_OneRowPerTownshipAndTheTotal_QuotedAsRfc4180()
    {
        var response = await Fetch("csv");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        var disposition = response.Content.Headers.ContentDisposition!;
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(Parse).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(response.Content.Headers.ContentType?.CharSet, Is.EqualTo("utf-8"));
            Assert.That(disposition.DispositionType, Is.EqualTo("attachment"));
            Assert.That(disposition.FileNameStar, Does.Contain("500103").And.Contain("2026-03-09").And.Contain("2026-03-13").And.EndWith(".csv"));
            Assert.That(header.Take(4), Is.EqualTo(new[] { "单位代码", "单位名称", "新增隐患", "新增重大隐患" }));
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(new[] { "500103001", "500103002", "500103003", "500103" }));
            Assert.That(rows.Select(r => r[1]), Is.EqualTo(new[] { "渝中区第1街道", "渝中区第2街道", "渝中区第3街道", "渝中区（合计）" }));
            Assert.That(rows[0][Array.IndexOf(header, "新增隐患")], Is.EqualTo("3"));
            Assert.That(rows[0][Array.IndexOf(header, "整改按期率")], Is.EqualTo("40%（2/5）"));
            Assert.That(rows[2][Array.IndexOf(header, "整改按期率")], Is.EqualTo("—"));
            Assert.That(rows.Select(r => r.Count), Has.All.EqualTo(header.Length));
        });
    }

    /// <summary>Text a user typed that a spreadsheet would run as a formula is neutralised per OWASP; numbers stay numbers.</summary>
    [Test]
    public async Task Exports_NeutraliseFormulaTextAndKeepNumbersNumeric()
    {
        const string hyperlink = "=HYPERLINK(\"http://x.example\",\"y\")";
        using var own = await new HazardsApp().WithDemo();
        var regulator = own.ClientFor("regulator2");
        var unit = await regulator.PostJson("/api/v1/units", new
        {
            name = hyperlink, gridCode = ReportCity.Yubei, sectors = new[] { "mining" }, riskColour = "red",
            responsiblePersons = new { enterprise = new { name = "-2+3", phone = "13800000007" } },
        });
        Assert.That(unit.StatusCode, Is.EqualTo(HttpStatusCode.Created), await unit.Content.ReadAsStringAsync());
        var unitId = (await unit.Json())["id"]!.GetValue<Guid>();
        foreach (var title in new[] { "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3" })
        {
            await regulator.Report(new
            {
                title, description = "重大", sector = "mining", origin = "regulatorInspection", gridCode = ReportCity.Yubei, unitId,
                level = "major", standardClause = "条款",
            });
        }

        // Org unit names come from the city's own data (an admin import); the township is renamed as one would.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(own.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE org_units SET name = @Name WHERE code = '500112001'", new { Name = hyperlink });
        }

        var csvBytes = await (await regulator.GetAsync("/api/v1/reports/clearance?orgUnit=500112&format=csv")).Content.ReadAsByteArrayAsync();
        var xlsx = await (await regulator.GetAsync("/api/v1/reports/clearance?orgUnit=500112&format=xlsx")).Content.ReadAsByteArrayAsync();

        var lines = Encoding.UTF8.GetString(csvBytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = Parse(lines[0]);
        var township = Parse(lines.Single(l => l.StartsWith("500112001,", StringComparison.Ordinal)));
        Assert.That(lines.Single(l => l.StartsWith("500112001,", StringComparison.Ordinal)), Does.Contain("\"'=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\""));
        Assert.That(township[1], Is.EqualTo("'" + hyperlink));
        Assert.That(township[Array.IndexOf(header.ToArray(), "新增重大隐患")], Is.EqualTo("3"), "a count is written as a bare number");
        using var stream = new MemoryStream(xlsx);
        var summary = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "汇总", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();
        var majors = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "重大隐患清单", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();
        Assert.That(summary.Single(r => r["单位代码"]?.ToString() == "500112001")["单位名称"], Is.EqualTo("'" + hyperlink));
        Assert.That(summary.Single(r => r["单位代码"]?.ToString() == "500112001")["新增重大隐患"], Is.TypeOf<double>().Or.TypeOf<decimal>().Or.TypeOf<int>(),
            "counts are numeric cells");
        Assert.That(summary.Select(r => r["综合得分"]), Has.All.Matches<object>(v => v is "—" or double or decimal or int), "scores are numeric cells");
        Assert.That(majors.Select(r => r["隐患名称"]), Is.SupersetOf(new[] { "'+cmd|' /C calc'!A0", "'@SUM(1)", "'-2+3" }));
        Assert.That(majors.Select(r => r["责任单位"]), Has.Some.EqualTo("'" + hyperlink));
        Assert.That(majors.Select(r => r["隐患名称"]?.ToString()), Has.None.Matches<string>(t => t is { Length: > 0 } && "=+-@\t\r".Contains(t[0])));
    }

    [Test]
    public async Task Xlsx_HasASummarySheetAndTheOpenMajorHazards_WithChineseHeaders()
    {
        var response = await Fetch("xlsx");

        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var sheets = MiniExcel.GetSheetNames(stream);
        var summary = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "汇总", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();
        var majors = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "重大隐患清单", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sheets, Is.SupersetOf(new[] { "汇总", "重大隐患清单" }));
            Assert.That(summary.Select(r => r["单位代码"]?.ToString()), Is.EqualTo(new[] { "500103001", "500103002", "500103003", "500103" }));
            Assert.That(summary[^1]["单位名称"], Is.EqualTo("渝中区（合计）"));
            Assert.That(Convert.ToInt32(summary[^1]["新增隐患"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(5));
            Assert.That(Convert.ToInt32(summary[^1]["重大隐患未销号"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(2));
            Assert.That(majors.Select(r => r["隐患名称"]), Is.EqualTo(new[] { "A3 燃气管道腐蚀", "B5 危化品仓库超量储存" }));
            Assert.That(majors.Select(r => r["整改方案"]), Is.EqualTo(new[] { "已批准", "已提交待批" }));
            Assert.That(summary[0]["整改按期率"], Is.EqualTo(0.4), "a rate is a number cell");
            Assert.That(summary[0]["整改按期率分子"], Is.EqualTo(2));
            Assert.That(summary[0]["整改按期率分母"], Is.EqualTo(5));
            Assert.That(summary[2]["整改按期率"], Is.EqualTo("—"), "no denominator, no rate");
            Assert.That(response.Content.Headers.ContentDisposition?.FileNameStar, Does.EndWith(".xlsx"));
        });
    }

    [Test]
    public async Task Xlsx_MajorHazardSheet_NamesAStepOnlyWhereANoticeWasSent()
    {
        var report = await (await Fetch("json")).Json();
        var expected = new List<string>();
        foreach (var major in report["openMajorHazards"]!.AsArray())
        {
            var notices = await (await app.ClientFor("admin").GetAsync($"/api/v1/escalations?subject={major!["id"]}&limit=200")).Json();
            var steps = notices["items"]!.AsArray().Select(n => n!["step"]!.GetValue<int>()).ToList();
            expected.Add(steps.Count == 0 ? "—" : Hazards.Domain.Escalation.EscalationLadder.StepName(steps.Max()));
        }

        using var stream = new MemoryStream(await (await Fetch("xlsx")).Content.ReadAsByteArrayAsync());
        var majors = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "重大隐患清单", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();

        Assert.That(majors.Select(r => r["升级步骤"]?.ToString()), Is.EqualTo(expected));
        Assert.That(expected, Has.Some.EqualTo("—"), "the city has an open major hazard that no notice was sent for");
    }

    /// <summary>What Excel shows on screen and prints, read from the workbook's own parts.</summary>
    [Test]
    public async Task Xlsx_IsValidOpenXml_WithWidthsFittedToTheChinese_FrozenHeaders_AndPrintTitles()
    {
        using var stream = new MemoryStream(await (await Fetch("xlsx")).Content.ReadAsByteArrayAsync());

        using var document = SpreadsheetDocument.Open(stream, false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2016).Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        var summary = ((WorksheetPart)workbook.GetPartById(sheets[0].Id!)).Worksheet;
        var widths = summary.GetFirstChild<Columns>()!.Elements<Column>().Select(c => c.Width!.Value).ToList();
        var pane = summary.Descendants<Pane>().Single();
        var setup = summary.GetFirstChild<PageSetup>()!;
        var titles = workbook.Workbook.DefinedNames!.Elements<DefinedName>().Where(n => n.Name == "_xlnm.Print_Titles").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(errors, Is.Empty);
            Assert.That(sheets.Select(s => s.Name?.Value), Is.EqualTo(new[] { "汇总", "重大隐患清单", "分类统计", "假整改" }));
            Assert.That(widths[1], Is.GreaterThanOrEqualTo(Width("渝中区（合计）")), "单位名称 fits the longest name, a CJK character counting two");
            Assert.That(widths[0], Is.GreaterThanOrEqualTo(Width("500103001")));
            Assert.That((pane.State?.Value, pane.VerticalSplit?.Value, pane.HorizontalSplit?.Value), Is.EqualTo((PaneStateValues.Frozen, 2.0, 2.0)),
                "title and header rows, code and name columns stay on screen");
            Assert.That(summary.GetFirstChild<AutoFilter>()?.Reference?.Value, Is.EqualTo("A2:BG5"));
            Assert.That((setup.Orientation?.Value, setup.FitToWidth?.Value, setup.FitToHeight?.Value), Is.EqualTo((OrientationValues.Landscape, 1u, 0u)));
            Assert.That(summary.GetFirstChild<SheetProperties>()?.PageSetupProperties?.FitToPage?.Value, Is.True);
            Assert.That(titles.Select(t => (t.LocalSheetId?.Value, t.Text)),
                Is.EqualTo(sheets.Select((s, i) => ((uint?)i, $"'{s.Name}'!$1:$2"))));
        });
    }

    [Test]
    public async Task Html_IsAPrintableChinesePageWithInlineSvgAndNothingFromOutside()
    {
        var response = await Fetch("html");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.CharSet, Is.EqualTo("utf-8"));
            Assert.That(html, Does.StartWith("<!DOCTYPE html><html lang=\"zh-CN\">"));
            Assert.That(html, Does.Contain("@media print"));
            Assert.That(CountOf(html, "<svg"), Is.EqualTo(4), "open vs closed, overdue by step, weekly trend and the previous period beside it");
            Assert.That(html, Does.Contain("font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif"));
            Assert.That(html, Does.Contain("渝中区隐患排查治理动态清零情况通报").And.Contain("A3 燃气管道腐蚀"));
            Assert.That(html, Does.Not.Contain("<script").IgnoreCase);
            Assert.That(html, Does.Not.Contain("http").IgnoreCase);
            Assert.That(html, Does.Not.Contain("<link").IgnoreCase);
            Assert.That(html, Does.Not.Contain("@import").IgnoreCase);
        });
    }

    [Test]
    public async Task Html_EncodesWhatUsersTyped()
    {
        using var own = await new HazardsApp().WithDemo();
        await own.ClientFor("regulator2").Report(new
        {
            title = "<script>alert(1)</script>", description = "重大", sector = "mining", origin = "regulatorInspection", gridCode = ReportCity.Yubei,
            level = "major", standardClause = "条款",
        });

        var html = await (await own.ClientFor("regulator2").GetAsync("/api/v1/reports/clearance?format=html")).Content.ReadAsStringAsync();

        Assert.That(html, Does.Not.Contain("<script>"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    private Task<HttpResponseMessage> Fetch(string format) =>
        app.ClientFor("regulator").GetAsync($"/api/v1/reports/clearance?{Query}&format={format}");

    private static double Width(string text) => text.Sum(c => c > 0x2E80 ? 2 : 1);

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    /// <summary>One RFC 4180 line into its fields.</summary>
    private static List<string> Parse(string line) => Csv.Parse(line)[0];
}
