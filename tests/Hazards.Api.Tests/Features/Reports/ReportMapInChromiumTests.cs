using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>
/// The clearance report's HTML draws its children as a map coloured by score when they have boundaries. The
/// report city is built here, not shared: townships T1 (500103001) and T2 (500103002, two parts) are given boundaries, T3 none.
/// </summary>
public sealed class ReportMapInChromiumTests
{
    private const string District = "orgUnit=500103&from=2026-03-09&to=2026-03-13";
    private const string Yubei = "orgUnit=500112&from=2026-03-09&to=2026-03-13";

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await ReportCity.Build();
        await app.SetBoundary("500103001", Geo.Square(29.556, 106.570, 0.01));
        var second = Geo.Square(29.556, 106.600, 0.01);
        var part = Geo.Square(29.580, 106.600, 0.005);
        await app.SetBoundary("500103002", new JsonObject
        {
            ["type"] = "MultiPolygon",
            ["coordinates"] = new JsonArray(second["coordinates"]!.DeepClone(), part["coordinates"]!.DeepClone()),
        });
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCase(1280)]
    [TestCase(390)]
    public async Task Html_DrawsAPathPerChildWithABoundary_FilledByItsScoreBin_WithoutScrollingSideways(int width)
    {
        var report = await ReportCity.Get(app, "regulator", District);
        var scores = report["children"]!.AsArray().ToDictionary(c => c!.Text("code"), c => c!["score"]?.GetValue<double>());
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("regulator", District), width);
        await Chromium.Screenshot(page, $"clearance-map-{width}");

        var paths = await page.EvaluateAsync<MapPath[]>("""
            [...document.querySelectorAll('#chart-map svg path')].map(p => ({ code: p.dataset.code, fill: p.getAttribute('fill'),
              title: p.querySelector('title')?.textContent ?? '', parts: (p.getAttribute('d').match(/M/g) || []).length }))
            """);
        var legend = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('#chart-map .legend li')].map(l => l.dataset.fill)");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth");
        var inside = await page.EvaluateAsync<bool>("""
            (() => { const svg = document.querySelector('#chart-map svg'); return svg.getBoundingClientRect().right <= svg.parentElement.getBoundingClientRect().right + 0.5; })()
            """);
        Assert.Multiple(() =>
        {
            Assert.That(paths.Select(p => p.Code), Is.EquivalentTo(new[] { "500103001", "500103002" }), "T3 has no boundary and is not drawn");
            foreach (var path in paths)
            {
                Assert.That(path.Fill, Is.EqualTo(Expected(scores[path.Code])), $"{path.Code} scored {scores[path.Code]}");
                Assert.That(path.Title, Does.StartWith(report["children"]!.AsArray().Single(c => c!.Text("code") == path.Code)!.Text("name")));
                Assert.That(legend, Does.Contain(path.Fill));
            }

            Assert.That(paths.Single(p => p.Code == "500103002").Parts, Is.EqualTo(2), "both parts of the MultiPolygon");
            Assert.That(legend, Has.Length.EqualTo(6));
            Assert.That(overflow, Is.LessThanOrEqualTo(0), "the page itself never scrolls sideways");
            Assert.That(inside, Is.True, "the map fits its figure");
        });
    }

    [Test]
    public async Task Html_DrawsChildrenInTheirPlaces_WestToEastAndNorthToSouth()
    {
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("regulator", District), 1280);

        var boxes = await page.EvaluateAsync<Box[]>("""
            [...document.querySelectorAll('#chart-map svg path')].map(p => { const r = p.getBoundingClientRect(); return { code: p.dataset.code, left: r.left, right: r.right, top: r.top, bottom: r.bottom }; })
            """);

        var t1 = boxes.Single(b => b.Code == "500103001");
        var t2 = boxes.Single(b => b.Code == "500103002");
        Assert.That(t1.Right, Is.LessThanOrEqualTo(t2.Left + 1), "T1 lies west of T2");
        Assert.That(t2.Top, Is.LessThan(t1.Top), "T2's second part reaches further north");
        Assert.That(t1.Right - t1.Left, Is.EqualTo((t1.Bottom - t1.Top) * Math.Cos(29.568 * Math.PI / 180)).Within(2),
            "a square of degrees is narrowed by the cosine of the mean latitude");
    }

    [Test]
    public async Task Html_WhenNoChildHasABoundary_HasNoMap()
    {
        await using var chromium = await Chromium.Launch();
        var page = await chromium.Show(await Html("admin", Yubei), 1280);

        Assert.That(await page.EvaluateAsync<int>("document.querySelectorAll('#chart-map').length"), Is.Zero);
        Assert.That(await page.EvaluateAsync<int>("document.querySelectorAll('figure').length"), Is.EqualTo(3), "the three charts remain");
    }

    [TestCase(100.0)]
    [TestCase(90.0)]
    [TestCase(89.99)]
    [TestCase(80.0)]
    [TestCase(70.0)]
    [TestCase(60.0)]
    [TestCase(59.99)]
    [TestCase(-5.0)]
    [TestCase(null)]
    public void Fill_OfAScore_IsItsBinsAtEachEdge(double? score) =>
        Assert.That(Hazards.Api.Features.Reports.ReportMap.Fill(score), Is.EqualTo(Expected(score)));

    /// <summary>The bins written out again here, so a changed bin fails: 90 and over, 80–90, 70–80, 60–70, under 60, and grey for no score.</summary>
    private static string Expected(double? score) => score switch
    {
        null => "#cccccc",
        >= 90 => "#1a9850",
        >= 80 => "#91cf60",
        >= 70 => "#fee08b",
        >= 60 => "#fc8d59",
        _ => "#d73027",
    };

    private async Task<string> Html(string login, string query)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/reports/clearance?{query}&format=html");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsStringAsync();
    }

    private sealed class MapPath
    {
        public string Code { get; set; } = "";
        public string Fill { get; set; } = "";
        public string Title { get; set; } = "";
        public int Parts { get; set; }
    }

    private sealed class Box
    {
        public string Code { get; set; } = "";
        public double Left { get; set; }
        public double Right { get; set; }
        public double Top { get; set; }
        public double Bottom { get; set; }
    }
}
