using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Cases = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Reliability;

/// <summary>The history is tamper-evident: each row hashes its content and the previous row's hash.</summary>
public sealed class HistoryChainTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Verify_OnAnUntouchedHistory_Holds()
    {
        var hazard = await ClosedCase();

        var check = await (await app.ClientFor("officer").GetAsync($"/api/v1/cases/{Cases.Id(hazard)}/history/verify")).Json();

        Assert.That(check["valid"]!.GetValue<bool>(), Is.True);
        Assert.That(check["rows"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(check["brokenAt"], Is.Null);
    }

    [TestCase("UPDATE case_history SET reason = '已整改（篡改）' WHERE case_id = @Id AND seq = 2", 2)]
    [TestCase("UPDATE case_history SET actor_login = 'regulator' WHERE case_id = @Id AND seq = 4", 4)]
    [TestCase("DELETE FROM case_history WHERE case_id = @Id AND seq = 3", 4)]
    [TestCase("UPDATE case_history SET at = '2026-01-01T00:00:00.0000000Z' WHERE case_id = @Id AND seq = 1", 1)]
    public async Task Verify_AfterARowIsEditedInTheDatabase_NamesTheBrokenLink(string tamper, int brokenAt)
    {
        var hazard = await ClosedCase();
        await using (var connection = new SqliteConnection(app.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, tamper, new { Id = Cases.Id(hazard).ToString("D") });
        }

        var check = await (await app.ClientFor("officer").GetAsync($"/api/v1/cases/{Cases.Id(hazard)}/history/verify")).Json();

        Assert.That(check["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(check["brokenAt"]!.GetValue<int>(), Is.EqualTo(brokenAt));
    }

    [Test]
    public async Task AppendMany_ContinuesEachCasesChain_AcrossSeveralRowsOfOneCase()
    {
        var first = Cases.Id(await ClosedCase());
        var second = Cases.Id(await ClosedCase());
        var at = app.Clock.GetUtcNow();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            var history = scope.ServiceProvider.GetRequiredService<CaseHistory>();
            await db.Begin(CancellationToken.None);
            var tails = new Dictionary<Guid, HistoryTail>();
            foreach (var id in new[] { first, second })
            {
                var rows = await history.Rows(id, CancellationToken.None);
                tails[id] = new HistoryTail { Seq = rows[^1].Seq, Hash = rows[^1].Hash };
            }

            await history.AppendMany(
            [
                new HistoryDraft(first, "escalate", "closed", "closed", "system", "system", at, null, "[]", "{\"step\":\"1\"}"),
                new HistoryDraft(second, "escalate", "closed", "closed", "system", "system", at, null, "[]", "{\"step\":\"1\"}"),
                new HistoryDraft(first, "escalate", "closed", "closed", "system", "system", at, null, "[]", "{\"step\":\"2\"}"),
            ], tails, CancellationToken.None);
            await db.Commit(CancellationToken.None);
        }

        foreach (var (id, rows) in new[] { (first, 6), (second, 5) })
        {
            var check = await (await app.ClientFor("officer").GetAsync($"/api/v1/cases/{id}/history/verify")).Json();
            Assert.That(check["valid"]!.GetValue<bool>(), Is.True, $"case {id}");
            Assert.That(check["rows"]!.GetValue<int>(), Is.EqualTo(rows), $"case {id}");
        }
    }

    [Test]
    public async Task Verify_ForACaseOutsideScope_Returns404()
    {
        var hazard = await ClosedCase();

        var response = await app.ClientFor("regulator2").GetAsync($"/api/v1/cases/{Cases.Id(hazard)}/history/verify");

        await response.AssertProblem(404, "case.not_found");
    }

    private async Task<System.Text.Json.Nodes.JsonNode> ClosedCase()
    {
        var unit = app.ClientFor("unit");
        var officer = app.ClientFor("officer");
        var assigned = await officer.Do(await app.ClientFor("grid").Report(Cases.Patrol("链式校验")), "assign", new { responsibleUnitId = Cases.UnitOne });
        var fixedCase = await unit.Do(assigned, "fix", new { attachmentIds = new[] { await unit.Upload() } });
        return await officer.Do(fixedCase, "verify", new { passed = true });
    }
}
