using System.Globalization;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>
/// The XLSX opened by LibreOffice, as a district office opens it, holds every figure of the JSON report as a
/// number (a rate as 0.4, not the text 40%), each rate beside its numerator and denominator, under the title row.
/// </summary>
public sealed class XlsxInLibreOfficeTests
{
    private const string Query = "orgUnit=500103&from=2026-03-09&to=2026-03-13";

    private static readonly string[] Sheets = ["汇总", "重大隐患清单", "分类统计", "假整改"];

    /// <summary>Every column of 汇总 and where the JSON report keeps it; a rate is three columns.</summary>
    private static readonly (string Header, Func<JsonNode, JsonNode?> Pick, bool Rate)[] Columns =
    [
        ("新增隐患", u => u["cases"]!["new"]!["total"], false),
        ("新增重大隐患", u => u["cases"]!["new"]!["byLevel"]!["major"], false),
        ("上期结转", u => u["cases"]!["carriedOver"]!["total"], false),
        ("本期销号", u => u["cases"]!["closed"]!["total"], false),
        ("按期整改销号", u => u["cases"]!["fixedOnTime"], false),
        ("未销号", u => u["cases"]!["open"]!["total"], false),
        ("重大隐患未销号", u => u["cases"]!["openMajor"], false),
        ("逾期未销号", u => u["cases"]!["overdue"]!["total"], false),
        ("重大隐患逾期", u => u["cases"]!["openOverdueMajor"], false),
        ("不予立案", u => u["cases"]!["rejected"], false),
        ("整改按期率", u => u["rates"]!["onTimeRectification"], true),
        ("销号率", u => u["rates"]!["closeOut"], true),
        ("自查自报率", u => u["rates"]!["selfReport"], true),
        ("返工率", u => u["rates"]!["rework"], true),
        ("延期率", u => u["rates"]!["extension"], true),
        ("假整改重开率", u => u["rates"]!["reopen"], true),
        ("日检完成率", u => u["cadence"]![0]!["rate"], true),
        ("周检完成率", u => u["cadence"]![1]!["rate"], true),
        ("月检完成率", u => u["cadence"]![2]!["rate"], true),
        ("排查完成率（合计）", u => u["rates"]!["cadence"], true),
        ("预警", u => u["noticesByStep"]![0]!["count"], false),
        ("提示函", u => u["noticesByStep"]![1]!["count"], false),
        ("警示函", u => u["noticesByStep"]![2]!["count"], false),
        ("通报", u => u["noticesByStep"]![3]!["count"], false),
        ("曝光", u => u["noticesByStep"]![4]!["count"], false),
        ("签收率", u => u["acknowledgements"]!["rate"], true),
        ("签收用时中位数（小时）", u => u["acknowledgements"]!["medianHours"], false),
        ("挂牌督办", u => u["listed"]!["total"], false),
        ("免予处罚", u => u["penalty"]!["exempt"], false),
        ("从重处罚", u => u["penalty"]!["aggravated"], false),
        ("真查抽查", u => u["spotChecks"]!["checked"], false),
        ("假整改", u => u["spotChecks"]!["fakeFixes"], false),
        ("公示牌不全单位", u => u["incompleteBoards"], false),
        ("综合得分", u => u["score"], false),
        ("排名", u => u["rank"], false),
    ];

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task City() => app = await SharedCity.App;

    [Test]
    public async Task Xlsx_OpenedInLibreOffice_HoldsEveryFigureOfTheJsonReportAsANumber()
    {
        var regulator = app.ClientFor("regulator");
        var json = await (await regulator.GetAsync($"/api/v1/reports/clearance?{Query}")).Json();
        var xlsx = await (await regulator.GetAsync($"/api/v1/reports/clearance?{Query}&format=xlsx")).Content.ReadAsByteArrayAsync();
        await File.WriteAllBytesAsync(Path.Combine(TestContext.CurrentContext.WorkDirectory, "clearance-500103.xlsx"), xlsx);

        var sheets = await LibreOffice.SheetsAsCsv(xlsx, Sheets);

        var summary = sheets["汇总"];
        var header = summary[1];
        var units = json["children"]!.AsArray().Select(c => c!).Append(json["summary"]!).ToList();
        var rows = summary.Skip(2).ToList();
        var compared = 0;
        Assert.Multiple(() =>
        {
            Assert.That(summary[0][0], Does.Contain("渝中区").And.Contain("500103").And.Contain("2026-03-09 至 2026-03-13").And.Contain($"数据截至：{Local(json["asOf"]!)}"));
            Assert.That(header, Is.EqualTo(new[] { "单位代码", "单位名称" }.Concat(Columns.SelectMany(c => c.Rate
                ? new[] { c.Header, c.Header + "分子", c.Header + "分母" }
                : [c.Header]))), "every column of 汇总 is compared below");
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(new[] { "500103001", "500103002", "500103003", "500103" }));
            Assert.That(rows[^1][1], Is.EqualTo("渝中区（合计）"));
            for (var i = 0; i < units.Count; i++)
            {
                Assert.That(rows[i][0], Is.EqualTo(units[i]["code"]!.GetValue<string>()));
                foreach (var (name, pick, rate) in Columns)
                {
                    var at = header.IndexOf(name);
                    var value = pick(units[i]);
                    if (rate && value is null)
                    {
                        Assert.That(rows[i].Skip(at).Take(3), Is.EqualTo(new[] { "—", "—", "—" }), $"{rows[i][0]} {name}");
                    }
                    else if (rate)
                    {
                        Assert.That(Percent(rows[i][at]), Is.EqualTo(value!["value"]!.GetValue<double>()).Within(1e-9), $"{rows[i][0]} {name}");
                        Assert.That(rows[i].Skip(at + 1).Take(2), Is.EqualTo(new[] { Number(value["numerator"]), Number(value["denominator"]) }),
                            $"{rows[i][0]} {name}");
                    }
                    else
                    {
                        Assert.That(rows[i][at], Is.EqualTo(value is null ? "—" : Number(value, round: name == "综合得分")), $"{rows[i][0]} {name}");
                    }

                    compared++;
                }
            }

            Assert.That(rows[0][header.IndexOf("整改按期率")], Is.EqualTo("40%"));
            Assert.That(rows[0][header.IndexOf("整改按期率分子")], Is.EqualTo("2"));
            Assert.That(rows[0][header.IndexOf("整改按期率分母")], Is.EqualTo("5"));
            Assert.That(compared, Is.EqualTo(units.Count * Columns.Length));
        });

        var majors = sheets["重大隐患清单"];
        var majorHeader = majors[1];
        var hazards = json["openMajorHazards"]!.AsArray().Select(h => h!).ToList();
        Assert.That(majors.Skip(2).Select(r => r[majorHeader.IndexOf("隐患编号")]), Is.EqualTo(hazards.Select(h => h["code"]!.GetValue<string>())));
        Assert.Multiple(() =>
        {
            foreach (var (row, hazard) in majors.Skip(2).Zip(hazards))
            {
                Assert.That(row[majorHeader.IndexOf("整改期限")], Is.EqualTo(hazard["deadlineDay"]?.GetValue<string>() ?? "—"), "a date cell reads as its date");
                Assert.That(row[majorHeader.IndexOf("剩余工作日")], Is.EqualTo(hazard["workingDaysLeft"] is { } left ? Number(left) : "—"));
                Assert.That(row[majorHeader.IndexOf("逾期工作日")], Is.EqualTo(hazard["workingDaysOverdue"] is { } late ? Number(late) : "—"));
            }
        });

        var breakdown = sheets["分类统计"].Skip(2).ToList();
        var cases = json["summary"]!["cases"]!;
        var levels = cases["new"]!["byLevel"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(breakdown.Where(r => r[0] == "隐患等级").Select(r => r.Skip(2)), Is.EqualTo(levels.Select(level =>
            new[] { "new", "carriedOver", "closed", "open", "overdue" }.Select(k => Number(cases[k]!["byLevel"]![level])))));
        Assert.That(breakdown.Select(r => r[0]).Distinct(), Is.EqualTo(new[] { "隐患等级", "行业领域", "发现来源" }));
        Assert.That(sheets["假整改"].Skip(2).Select(r => int.Parse(r[4], CultureInfo.InvariantCulture)).Sum(),
            Is.EqualTo(json["fakeFixes"]!["byUnit"]!.AsArray().Sum(u => u!["count"]!.GetValue<int>())
                + json["fakeFixes"]!["byVerifier"]!.AsArray().Sum(v => v!["count"]!.GetValue<int>())));
    }

    [Test]
    public async Task Xlsx_OpenedInLibreOffice_HasTypedCells_AFilterOverTheUnits_AndPrintsLandscapeOnePageWideWithTheHeaderOnEachPage()
    {
        var xlsx = await (await app.ClientFor("regulator").GetAsync($"/api/v1/reports/clearance?{Query}&format=xlsx")).Content.ReadAsByteArrayAsync();

        var ods = await LibreOffice.AsFlatOds(xlsx);
        var pages = await LibreOffice.PrintedPages(xlsx);

        var header = Enumerable.Range(0, 59).Select(c => ods.Cell("汇总", 1, c).Value).ToList();
        var majorHeader = Enumerable.Range(0, 12).Select(c => ods.Cell("重大隐患清单", 1, c).Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ods.Cell("汇总", 2, header.IndexOf("整改按期率")), Is.EqualTo(("percentage", "0.4")), "a rate is a number, shown as a percentage");
            Assert.That(ods.Cell("汇总", 2, header.IndexOf("整改按期率分子")), Is.EqualTo(("float", "2")));
            Assert.That(ods.Cell("汇总", 2, header.IndexOf("整改按期率分母")), Is.EqualTo(("float", "5")));
            Assert.That(ods.Cell("汇总", 2, header.IndexOf("新增隐患")), Is.EqualTo(("float", "3")));
            Assert.That(ods.Cell("汇总", 2, header.IndexOf("综合得分")).Type, Is.EqualTo("float"));
            Assert.That(ods.Cell("汇总", 4, header.IndexOf("整改按期率")), Is.EqualTo(("string", "—")), "no denominator, no rate");
            Assert.That(ods.Cell("汇总", 5, header.IndexOf("单位名称")), Is.EqualTo(("string", "渝中区（合计）")));
            Assert.That(ods.Cell("重大隐患清单", 2, majorHeader.IndexOf("整改期限")), Is.EqualTo(("date", "2026-03-10")));
            Assert.That(ods.Cell("重大隐患清单", 2, majorHeader.IndexOf("逾期工作日")), Is.EqualTo(("float", "3")));
            Assert.That(ods.Filters, Does.Contain("汇总.A2:汇总.BG5"), "the header and the three townships; the total row stays below");
            Assert.That(ods.Filters, Has.Count.EqualTo(Sheets.Length));
            Assert.That(Sheets.Select(ods.HeaderRows), Has.All.EqualTo(2), "the title and header rows repeat on every printed page");
            Assert.That(ods.PageLayouts, Is.Not.Empty.And.All.EqualTo(("landscape", "1")), "landscape, one page wide");
            Assert.That(pages, Is.EqualTo(Sheets.Length), "each sheet prints on one page (汇总 used to take nine portrait pages)");
        });
    }

    /// <summary>9999-12-31 is Excel's last day (serial 2,958,465): a deadline stored there (DateEdgeTests) is still a date cell.</summary>
    [Test]
    public async Task Xlsx_WithAMajorHazardDueOn99991231_HoldsThatDayAsADateCell()
    {
        using var own = await new HazardsApp().WithDemo();
        var regulator = own.ClientFor("regulator2");
        var hazard = await regulator.Report(new
        {
            title = "远期隐患", description = "重大", sector = "mining", origin = "regulatorInspection", gridCode = ReportCity.Yubei,
            level = "major", standardClause = "条款",
        });
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(own.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE cases SET deadline = '9999-12-31T15:59:59.0000000Z' WHERE id = @Id",
                new { Id = Hazards.Api.Tests.Support.Cases.Id(hazard).ToString() });
        }

        var response = await regulator.GetAsync("/api/v1/reports/clearance?orgUnit=500112&format=xlsx");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var ods = await LibreOffice.AsFlatOds(await response.Content.ReadAsByteArrayAsync());

        var header = Enumerable.Range(0, 12).Select(c => ods.Cell("重大隐患清单", 1, c).Value).ToList();
        var row = Enumerable.Range(2, 10).First(r => ods.Cell("重大隐患清单", r, header.IndexOf("隐患名称")).Value == "远期隐患");
        Assert.That(ods.Cell("重大隐患清单", row, header.IndexOf("整改期限")), Is.EqualTo(("date", "9999-12-31")));
    }

    private static double Percent(string text) =>
        double.Parse(text.TrimEnd('%'), CultureInfo.InvariantCulture) / 100;

    private static string Local(JsonNode asOf) =>
        asOf.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A JSON number as LibreOffice writes the cell's value; the score to the two decimals the report shows.</summary>
    private static string Number(JsonNode? node, bool round = false)
    {
        var value = node!.GetValue<double>();
        return (round ? Math.Round(value, 2) : value).ToString("0.##########", CultureInfo.InvariantCulture);
    }
}
