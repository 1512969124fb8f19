using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>A live report's counts equal what <c>GET /api/v1/cases</c> returns for the same filters.</summary>
public sealed class ReportConsistencyTests
{
    private static readonly string[] OpenStatuses = ["reported", "rectifying", "fixSubmitted"];

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task City() => app = await SharedCity.App;

    [TestCase("regulator", "500103")]
    [TestCase("admin", "500000")]
    [TestCase("officer", "500103001")]
    public async Task EveryUnitOfTheReport_CountsWhatTheCaseListShows(string login, string orgUnit)
    {
        var report = await ReportCity.Get(app, login, $"orgUnit={orgUnit}&from=2026-03-09");

        var units = report["children"]!.AsArray().Select(c => c!).Append(report["summary"]!).ToList();
        Assert.Multiple(async () =>
        {
            foreach (var unit in units)
            {
                var code = unit.Text("code");
                var all = await List(login, $"orgUnit={code}");
                var open = all.Where(c => OpenStatuses.Contains(c.Text("status"))).ToList();
                var cases = unit["cases"]!;
                Assert.That(ClearanceMetricsTests.Total(cases, "open"), Is.EqualTo(open.Count), $"{code} open");
                Assert.That(cases["openMajor"]!.GetValue<int>(), Is.EqualTo((await List(login, $"orgUnit={code}&level=major"))
                    .Count(c => OpenStatuses.Contains(c.Text("status")))), $"{code} open major");
                Assert.That(ClearanceMetricsTests.Total(cases, "overdue"), Is.EqualTo((await List(login, $"orgUnit={code}&overdue=true")).Count), $"{code} overdue");
                Assert.That(cases["openOverdueMajor"]!.GetValue<int>(), Is.EqualTo((await List(login, $"orgUnit={code}&overdue=true&level=major")).Count),
                    $"{code} overdue major");
                Assert.That(unit["listed"]!["total"]!.GetValue<int>(), Is.EqualTo((await List(login, $"orgUnit={code}&listed=true")).Count), $"{code} listed");
                Assert.That(unit["listed"]!["city"]!.GetValue<int>(),
                    Is.EqualTo((await List(login, $"orgUnit={code}&listed=true")).Count(c => c["listedLevel"]?.GetValue<string>() == "city")), $"{code} listed by the city");
                foreach (var sector in new[] { "fire", "gas", "hazardousChemicals" })
                {
                    Assert.That(cases["open"]!["bySector"]![sector]!.GetValue<int>(),
                        Is.EqualTo((await List(login, $"orgUnit={code}&sector={sector}")).Count(c => OpenStatuses.Contains(c.Text("status")))), $"{code} open {sector}");
                }
            }
        });
    }

    [Test]
    public async Task OpenMajorHazardList_IsTheCaseListOfOpenMajorCases()
    {
        var report = await ReportCity.Get(app, "regulator", "orgUnit=500103&from=2026-03-09");

        var listed = (await List("regulator", "orgUnit=500103&level=major")).Where(c => OpenStatuses.Contains(c.Text("status")));
        Assert.That(report["openMajorHazards"]!.AsArray().Select(m => m!.Text("code")), Is.EquivalentTo(listed.Select(c => c.Text("code"))));
    }

    private async Task<List<JsonNode>> List(string login, string query)
    {
        var items = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await (await app.ClientFor(login).GetAsync($"/api/v1/cases?{query}&limit=200{(cursor is null ? "" : $"&cursor={cursor}")}")).Json();
            items.AddRange(page["items"]!.AsArray().Select(i => i!));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return items;
    }
}
