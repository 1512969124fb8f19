using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Features.Supervision;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Supervision;

/// <summary>The responsibility board (包保责任): four persons per unit and per major risk, every change in history, published per org unit.</summary>
public sealed class BoardTests
{
    private static readonly object Manager = new { name = "王经理", phone = "023-12345678", email = "wang@example.com" };

    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task UpdateBoard_WithIfMatch_WritesOneHistoryRowPerChangedPerson()
    {
        var (board, etag) = await Board("officer", CaseDriver.UnitOne);
        var persons = board["responsiblePersons"]!;

        var response = await Put("officer", CaseDriver.UnitOne, etag, new
        {
            administrative = persons["administrative"],
            industryRegulator = persons["industryRegulator"],
            enterprise = Manager,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var updated = await response.Json();
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{board["version"]!.GetValue<int>() + 1}\""));
        Assert.That(updated["complete"]!.GetValue<bool>(), Is.False);
        Assert.That(updated["responsiblePersons"]!["professionalRegulator"], Is.Null);
        Assert.That(updated["responsiblePersons"]!["enterprise"]!.Text("name"), Is.EqualTo("王经理"));
        var history = updated["history"]!.AsArray();
        Assert.That(history.Select(h => (h!.Text("subjectKey"), h!.Text("change"))), Is.EquivalentTo(new[]
        {
            ("professionalRegulator", "cleared"), ("enterprise", "changed"),
        }));
        var change = history.Single(h => h!.Text("subjectKey") == "enterprise")!;
        Assert.That(change["oldValue"]!.Text("name"), Does.EndWith("enterprise负责人"));
        Assert.That(change["newValue"]!.Text("name"), Is.EqualTo("王经理"));
        Assert.That(change.Text("changedBy"), Is.EqualTo("officer"));
        Assert.That(await app.Count("SELECT COUNT(*) FROM unit_board_history"), Is.EqualTo(2));
    }

    [Test]
    public async Task UpdateBoard_WithAStaleVersion_Returns412AndChangesNothing()
    {
        var (board, etag) = await Board("officer", CaseDriver.UnitOne);
        await Put("officer", CaseDriver.UnitOne, etag, new { enterprise = Manager });

        var stale = await Put("unit", CaseDriver.UnitOne, etag, new { enterprise = new { name = "李四" } });
        var missing = await Put("unit", CaseDriver.UnitOne, null, new { enterprise = new { name = "李四" } });

        await stale.AssertProblem(412, "concurrency.stale_version");
        await missing.AssertProblem(428, "concurrency.if_match_required");
        Assert.That((await Board("officer", CaseDriver.UnitOne)).Board["responsiblePersons"]!["enterprise"]!.Text("name"), Is.EqualTo("王经理"));
        Assert.That(board, Is.Not.Null);
    }

    [Test]
    public async Task UpdateBoard_ByTheUnitsOwnOfficer_IsAllowed()
    {
        var (board, etag) = await Board("unit", CaseDriver.UnitOne);
        var persons = board["responsiblePersons"]!;

        var response = await Put("unit", CaseDriver.UnitOne, etag, new
        {
            administrative = persons["administrative"],
            industryRegulator = persons["industryRegulator"],
            professionalRegulator = persons["professionalRegulator"],
            enterprise = Manager,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Json())["complete"]!.GetValue<bool>(), Is.True);
    }

    [TestCase("grid", 403, "board.forbidden")]
    [TestCase("unit2", 404, "unit.not_found")]
    [TestCase("regulator2", 404, "unit.not_found")]
    [TestCase("officer2", 404, "unit.not_found")]
    public async Task UpdateBoard_OutsideTheRoleOrScope_IsRefused(string login, int status, string code)
    {
        var (_, etag) = await Board("officer", CaseDriver.UnitOne);

        var response = await Put(login, CaseDriver.UnitOne, etag, new { enterprise = Manager });

        await response.AssertProblem(status, code);
        Assert.That(await app.Count("SELECT COUNT(*) FROM unit_board_history"), Is.Zero);
    }

    [Test]
    public async Task GetBoard_OutOfScope_Returns404()
    {
        var response = await app.ClientFor("regulator2").GetAsync($"/api/v1/units/{CaseDriver.UnitOne}/board");

        await response.AssertProblem(404, "unit.not_found");
    }

    [Test]
    public async Task AddMajorRisk_IsPublishedOnTheBoardWithAHistoryRow()
    {
        var response = await app.ClientFor("officer").PostJson($"/api/v1/units/{CaseDriver.UnitOne}/risks", new
        {
            name = "液氨储罐区泄漏",
            riskColour = "red",
            measures = "设置泄漏报警与喷淋，每班巡检两次",
            responsiblePersons = new { enterprise = Manager, administrative = new { name = "张主任" } },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var risk = await response.Json();
        var (board, _) = await Board("regulator", CaseDriver.UnitOne);
        Assert.That(risk["complete"]!.GetValue<bool>(), Is.False);
        Assert.That(board["majorRisks"]!.AsArray().Single()!.Text("name"), Is.EqualTo("液氨储罐区泄漏"));
        Assert.That(board["majorRisks"]![0]!["responsiblePersons"]!["enterprise"]!.Text("name"), Is.EqualTo("王经理"));
        var history = board["history"]!.AsArray().Single()!;
        Assert.That((history.Text("subject"), history.Text("change"), history.Text("subjectKey")), Is.EqualTo(("risk", "added", risk.Text("id"))));
        Assert.That(history["newValue"]!.Text("measures"), Does.Contain("喷淋"));
    }

    [TestCase("grid", 403, "board.forbidden")]
    [TestCase("regulator2", 404, "unit.not_found")]
    public async Task AddMajorRisk_OutsideTheRoleOrScope_IsRefused(string login, int status, string code)
    {
        var response = await app.ClientFor(login).PostJson($"/api/v1/units/{CaseDriver.UnitOne}/risks",
            new { name = "x", riskColour = "red", measures = "y", responsiblePersons = new { } });

        await response.AssertProblem(status, code);
    }

    [Test]
    public async Task OrgBoard_ListsTheUnitsUnderTheOrgUnitWithTheirCompleteFlag()
    {
        var (_, etag) = await Board("officer", CaseDriver.UnitOne);
        await Put("officer", CaseDriver.UnitOne, etag, new { enterprise = Manager });

        var all = await (await app.ClientFor("officer").GetAsync("/api/v1/org-units/500103001/board")).Json();
        var incomplete = await (await app.ClientFor("regulator").GetAsync("/api/v1/org-units/500103/board?complete=false")).Json();
        var firstPage = await (await app.ClientFor("regulator").GetAsync("/api/v1/org-units/500103/board?limit=1")).Json();
        var secondPage = await (await app.ClientFor("regulator").GetAsync($"/api/v1/org-units/500103/board?limit=1&cursor={firstPage.Text("nextCursor")}")).Json();
        var outside = await app.ClientFor("regulator2").GetAsync("/api/v1/org-units/500103/board");

        var items = all["items"]!.AsArray();
        Assert.That(items.Select(i => i!["unitId"]!.GetValue<Guid>()), Does.Contain(CaseDriver.UnitOne).And.Not.Contain(CaseDriver.UnitTwo));
        Assert.That(items.Single(i => i!["unitId"]!.GetValue<Guid>() == CaseDriver.UnitOne)!["complete"]!.GetValue<bool>(), Is.False);
        Assert.That(items.Where(i => i!["unitId"]!.GetValue<Guid>() != CaseDriver.UnitOne).Select(i => i!["complete"]!.GetValue<bool>()), Has.All.True);
        Assert.That(incomplete["items"]!.AsArray().Select(i => i!["unitId"]!.GetValue<Guid>()), Is.EqualTo(new[] { CaseDriver.UnitOne }));
        Assert.That(firstPage["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(secondPage["items"]![0]!["unitId"], Is.Not.EqualTo(firstPage["items"]![0]!["unitId"]));
        await outside.AssertProblem(404, "org_unit.not_found");
    }

    [Test]
    public async Task IncompleteBoardSql_CountsUnitsLackingAnyOfTheFour()
    {
        var (_, etag) = await Board("officer", CaseDriver.UnitOne);
        await Put("officer", CaseDriver.UnitOne, etag, new { enterprise = Manager });

        var district = await IncompleteUnder("/500000/500103/");
        var township = await IncompleteUnder("/500000/500103/500103002/");

        Assert.That(district, Is.EqualTo(1));
        Assert.That(township, Is.Zero);
    }

    private async Task<long> IncompleteUnder(string path)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        return await db.Scalar<long>(BoardReader.IncompleteBoard, new { PathFrom = path, PathTo = OrgPaths.UpperBound(path) }, CancellationToken.None);
    }

    private async Task<(JsonNode Board, string ETag)> Board(string login, Guid unitId)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/units/{unitId}/board");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Json(), response.Headers.ETag!.Tag);
    }

    private Task<HttpResponseMessage> Put(string login, Guid unitId, string? etag, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/units/{unitId}/board") { Content = JsonContent.Create(body, options: Http.Options) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return app.ClientFor(login).SendAsync(request);
    }
}
