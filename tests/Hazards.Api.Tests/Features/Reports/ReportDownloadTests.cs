using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>The download's file names, and the CSV's total row and encoding.</summary>
public sealed class ReportDownloadTests
{
    private const string Query = "orgUnit=500103&from=2026-03-09&to=2026-03-13";

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task City() => app = await SharedCity.App;

    [TestCase("csv")]
    [TestCase("xlsx")]
    public async Task Download_NamesTheFileInAsciiBesideTheUtf8Name(string format)
    {
        var response = await Fetch(format);

        var raw = string.Join(", ", response.Content.Headers.GetValues("Content-Disposition"));
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(disposition.DispositionType, Is.EqualTo("attachment"));
            Assert.That(disposition.FileName?.Trim('"'), Is.EqualTo($"500103_clearance_2026-03-09_2026-03-13.{format}"));
            Assert.That(disposition.FileNameStar, Is.EqualTo($"渝中区(500103)_清零报告_2026-03-09_2026-03-13.{format}"));
            Assert.That(raw, Does.Contain("filename*=UTF-8''"));
            Assert.That(raw.All(c => c is >= ' ' and <= '~'), Is.True, "the header itself is ASCII: " + raw);
        });
    }

    [Test]
    public async Task Csv_EndsWithTheTotalRow_WithTheFiguresOfTheJsonSummary()
    {
        var json = (await (await Fetch("json")).Json())["summary"]!;
        var bytes = await (await Fetch("csv")).Content.ReadAsByteArrayAsync();

        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var total = lines[^1].Split(',');
        string Field(string name) => total[Array.IndexOf(header, name)];
        Assert.Multiple(() =>
        {
            Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with BOM");
            Assert.That(lines, Has.Length.EqualTo(5), "header, three townships, total");
            Assert.That(total, Has.Length.EqualTo(header.Length));
            Assert.That(Field("单位代码"), Is.EqualTo("500103"));
            Assert.That(Field("单位名称"), Is.EqualTo("渝中区（合计）"));
            Assert.That(Field("新增隐患"), Is.EqualTo(Number(json["cases"]!["new"]!["total"])));
            Assert.That(Field("上期结转"), Is.EqualTo(Number(json["cases"]!["carriedOver"]!["total"])));
            Assert.That(Field("本期销号"), Is.EqualTo(Number(json["cases"]!["closed"]!["total"])));
            Assert.That(Field("未销号"), Is.EqualTo(Number(json["cases"]!["open"]!["total"])));
            Assert.That(Field("重大隐患未销号"), Is.EqualTo(Number(json["cases"]!["openMajor"])));
            Assert.That(Field("逾期未销号"), Is.EqualTo(Number(json["cases"]!["overdue"]!["total"])));
            Assert.That(Field("整改按期率"), Does.EndWith(
                $"（{json["rates"]!["onTimeRectification"]!["numerator"]}/{json["rates"]!["onTimeRectification"]!["denominator"]}）"));
            Assert.That(Field("综合得分"), Is.EqualTo(json["score"] is null ? "—" : Number(json["score"])));
        });
    }

    [Test]
    public async Task Csv_OfAGrid_HasItsOneRowAndNoTotal()
    {
        var bytes = await (await app.ClientFor("regulator").GetAsync("/api/v1/reports/clearance?orgUnit=500103001001001&format=csv"))
            .Content.ReadAsByteArrayAsync();

        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "500103001001001" }));
    }

    private Task<HttpResponseMessage> Fetch(string format) =>
        app.ClientFor("regulator").GetAsync($"/api/v1/reports/clearance?{Query}&format={format}");

    private static string Number(JsonNode? node) => node!.GetValue<double>().ToString(CultureInfo.InvariantCulture);
}
