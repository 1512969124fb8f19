using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Features.Supervision;
using Hazards.Api.Tests.Support;
using MiniExcelLibs;

namespace Hazards.Api.Tests.Features.Reports;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// The clearance report's supervision figures for 渝中区 500103 on 2026-03-02, counted by hand from what is done
/// here through the API: three cases of unit 1 in township T1 (500103001) are closed — S1 and S2 verified by
/// officer, S3 self-verified by grid — and all three drawn for a spot check (真查); S1 and S3 are found to be fake
/// fixes (假整改, reopened), S2 genuine. Then the boards of unit 1 (T1) and unit 2 (T2, 500103002) are put back
/// with the enterprise person only, so each lacks three of the four responsible persons.
/// </summary>
public sealed class SupervisionReportTests
{
    private const string Query = "orgUnit=500103&from=2026-03-02";

    /// <summary>Row 1 of every sheet is its title; the headers are row 2.</summary>
    private const string XlsxHeader = "A2";

    private static readonly object Manager = new { name = "王经理", phone = "023-12345678", email = "wang@example.com" };

    private HazardsApp app = null!;
    private JsonNode before = null!;

    [OneTimeSetUp]
    public async Task Build()
    {
        app = await new HazardsApp().WithDemo();
        var s1 = await app.ClosedByOfficer("S1 消防通道堵塞");
        var s2 = await app.ClosedByOfficer("S2 配电箱未接地");
        var s3 = await app.SelfVerified("S3 灭火器过期");
        var draw = await app.Draw(SupervisionDriver.Today(count: 3));
        Assert.That(SupervisionDriver.DrawnIds(draw), Is.EquivalentTo(new[] { s1, s2, s3 }.Select(c => c["id"]!.GetValue<Guid>())));

        before = await ReportCity.Get(app, "regulator", Query);
        await Find(s1, genuine: false);
        await Find(s2, genuine: true);
        await Find(s3, genuine: false);
        await Incomplete("officer", Cases.UnitOne);
        await Incomplete("officer2", Cases.UnitTwo);
    }

    [OneTimeTearDown]
    public void Dispose() => app.Dispose();

    [Test]
    public async Task FakeFixes_CountAgainstTheTownshipTheUnitAndTheVerifier()
    {
        var report = await ReportCity.Get(app, "regulator", Query);

        var children = report["children"]!.AsArray().ToDictionary(c => c!.Text("code"));
        var byUnit = report["fakeFixes"]!["byUnit"]!.AsArray();
        var byVerifier = report["fakeFixes"]!["byVerifier"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(SpotChecks(before["summary"]!), Is.EqualTo((0, 0)), "drawn, no finding yet");
            Assert.That(SpotChecks(report["summary"]!), Is.EqualTo((3, 2)), "S1 S2 S3 checked; S1 S3 fake");
            Assert.That(SpotChecks(children["500103001"]!), Is.EqualTo((3, 2)));
            Assert.That(SpotChecks(children["500103002"]!), Is.EqualTo((0, 0)));
            Assert.That(SpotChecks(children["500103003"]!), Is.EqualTo((0, 0)));

            Assert.That(byUnit, Has.Count.EqualTo(1));
            Assert.That(byUnit[0]!["unitId"]!.GetValue<Guid>(), Is.EqualTo(Cases.UnitOne));
            Assert.That(byUnit[0]!.Text("childCode"), Is.EqualTo("500103001"));
            Assert.That(byUnit[0]!.Text("childName"), Is.EqualTo("渝中区第1街道"));
            Assert.That(byUnit[0]!["count"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(byVerifier.Select(v => (v!.Text("login"), v!["count"]!.GetValue<int>())), Is.EqualTo(new[] { ("grid", 1), ("officer", 1) }),
                "S3 closed by grid, S1 by officer; S2 was genuine");

            // A fake fix is a reopen of a case closed before: the reopen rate's numerator moves with it.
            Assert.That(ClearanceMetricsTests.Rate(report["summary"]!["rates"]!, "reopen"), Is.EqualTo((2, 3, 0.6667)));
        });
    }

    [Test]
    public async Task FakeFixesOfOtherDistrictsAndPeriods_AreNotCounted()
    {
        var yubei = await ReportCity.Get(app, "admin", "orgUnit=500112&from=2026-03-02");
        var dayBefore = await ReportCity.Get(app, "regulator", "orgUnit=500103&from=2026-03-01&to=2026-03-01");
        var city = await ReportCity.Get(app, "admin", "from=2026-03-02");
        var yuzhong = city["children"]!.AsArray().Single(c => c!.Text("code") == "500103")!;

        Assert.Multiple(() =>
        {
            Assert.That(SpotChecks(yubei["summary"]!), Is.EqualTo((0, 0)));
            Assert.That(SpotChecks(dayBefore["summary"]!), Is.EqualTo((0, 0)), "the findings were recorded after that period");
            Assert.That(dayBefore["fakeFixes"]!["byVerifier"]!.AsArray(), Is.Empty);
            Assert.That(yubei["fakeFixes"]!["byUnit"]!.AsArray(), Is.Empty);
            Assert.That(SpotChecks(yuzhong), Is.EqualTo((3, 2)), "the district's row in the city report");
            Assert.That(SpotChecks(city["summary"]!), Is.EqualTo((3, 2)));
            Assert.That(city["fakeFixes"]!["byUnit"]![0]!.Text("childCode"), Is.EqualTo("500103"));
        });
    }

    [Test]
    public async Task IncompleteBoards_PerChildUnit()
    {
        var report = await ReportCity.Get(app, "regulator", Query);

        var children = report["children"]!.AsArray().ToDictionary(c => c!.Text("code"), c => c!["incompleteBoards"]!.GetValue<int>());
        Assert.Multiple(() =>
        {
            Assert.That(before["summary"]!["incompleteBoards"]!.GetValue<int>(), Is.Zero, "every demo unit starts with all four persons");
            Assert.That(report["summary"]!["incompleteBoards"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(children, Is.EqualTo(new Dictionary<string, int> { ["500103001"] = 1, ["500103002"] = 1, ["500103003"] = 0 }));
        });
    }

    [Test]
    public async Task CsvXlsxAndHtml_ShowTheSameCounts()
    {
        var csv = Encoding.UTF8.GetString((await Fetch("csv")).AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var xlsx = new MemoryStream(await Fetch("xlsx"));
        var html = Encoding.UTF8.GetString(await Fetch("html"));

        var header = csv[0].Split(',');
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[0]);
        int[] Figures(string code) => new[] { "真查抽查", "假整改", "公示牌不全单位" }
            .Select(h => int.Parse(rows[code][Array.IndexOf(header, h)], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var summary = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "汇总", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();
        var fakes = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "假整改", startCell: XlsxHeader).Cast<IDictionary<string, object>>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Figures("500103001"), Is.EqualTo(new[] { 3, 2, 1 }));
            Assert.That(Figures("500103002"), Is.EqualTo(new[] { 0, 0, 1 }));
            Assert.That(Figures("500103003"), Is.EqualTo(new[] { 0, 0, 0 }));
            Assert.That(summary.Select(r => Convert.ToInt32(r["假整改"], System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(new[] { 2, 0, 0, 2 }),
                "three townships and the total row");
            Assert.That(summary.Select(r => Convert.ToInt32(r["公示牌不全单位"], System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(new[] { 1, 1, 0, 2 }));
            Assert.That(fakes.Select(r => ($"{r["对象"]}", $"{r["账号或编号"]}", Convert.ToInt32(r["假整改"], System.Globalization.CultureInfo.InvariantCulture))),
                Is.EqualTo(new[] { ("责任单位", Cases.UnitOne.ToString(), 2), ("核查销号人", "grid", 1), ("核查销号人", "officer", 1) }));
            Assert.That(html, Does.Contain("本期真查 3 起，发现假整改 2 起"));
            Assert.That(html, Does.Contain("四方责任人不全的公示牌 2 个"));
            Assert.That(html, Does.Contain("<th>假整改</th>").And.Contain("<th>公示牌不全单位</th>"));
        });
    }

    private static (int Checked, int FakeFixes) SpotChecks(JsonNode unit) =>
        (unit["spotChecks"]!["checked"]!.GetValue<int>(), unit["spotChecks"]!["fakeFixes"]!.GetValue<int>());

    private async Task<byte[]> Fetch(string format)
    {
        var response = await app.ClientFor("regulator").GetAsync($"/api/v1/reports/clearance?{Query}&format={format}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task Find(JsonNode closed, bool genuine)
    {
        var regulator = app.ClientFor("regulator");
        var current = await regulator.Fetch(closed);
        await regulator.Do(current, "spot-check", new { genuine, note = genuine ? "整改属实" : "假整改", attachmentIds = new[] { await regulator.Upload() } });
    }

    /// <summary>Puts the unit's board back with the enterprise person only: the other three are cleared.</summary>
    private async Task Incomplete(string login, Guid unitId)
    {
        var client = app.ClientFor(login);
        var board = await client.GetAsync($"/api/v1/units/{unitId}/board");
        Assert.That(board.StatusCode, Is.EqualTo(HttpStatusCode.OK), await board.Content.ReadAsStringAsync());
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/units/{unitId}/board") { Content = JsonContent.Create(new { enterprise = Manager }, options: Http.Options) };
        request.Headers.TryAddWithoutValidation("If-Match", board.Headers.ETag!.Tag);
        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
