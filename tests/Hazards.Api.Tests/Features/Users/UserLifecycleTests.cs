using System.Net;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.Users;

using Cases = Hazards.Api.Tests.Support.Cases;

public sealed class UserLifecycleTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Create_WhenTheOfficerAddsAGridWorkerOfTheTownship_SavesThemWithAHistoryRowAndTheyCanSignIn()
    {
        var created = await app.ClientFor("officer").Create(UserDriver.Person("grid-new"));

        Assert.That(created["version"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(created.Text("role"), Is.EqualTo("gridWorker"));
        var me = await (await app.ClientFor("grid-new").GetAsync("/api/v1/me")).Json();
        Assert.That(me.Text("orgUnitCode"), Is.EqualTo(Cases.GridOne));
        var history = await (await app.ClientFor("admin").GetAsync($"/api/v1/admin/history?entity=user&id={created.Text("id")}")).Json();
        Assert.That(history["items"]!.AsArray().Select(h => h!.Text("action")), Is.EqualTo(new[] { "create" }));
        Assert.That(history["items"]!.AsArray().Single()!["after"]!.Text("login"), Is.EqualTo("grid-new"));
        Assert.That(history["items"]!.AsArray().Single()!.Text("actor"), Is.EqualTo("officer"));
    }

    [Test]
    public async Task Create_WhenTheRoleIsAboveTheCallersAndSitsAboveThem_Returns404AndWritesNothing()
    {
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");
        var response = await app.ClientFor("officer").PostJson("/api/v1/users", UserDriver.Person("too-high", "districtRegulator", "500103"));

        await response.AssertProblem(404, "org_unit.not_found");
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE login = 'too-high'"), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history));
    }

    [Test]
    public async Task Create_WhenTheOrgUnitIsOutsideTheCallersSubtree_Returns404()
    {
        var response = await app.ClientFor("officer").PostJson("/api/v1/users", UserDriver.Person("elsewhere", orgUnit: Cases.GridTwo));

        await response.AssertProblem(404, "org_unit.not_found");
    }

    [Test]
    public async Task Create_WhenTheLoginIsTaken_Returns409()
    {
        var response = await app.ClientFor("admin").PostJson("/api/v1/users", UserDriver.Person("grid2"));

        await response.AssertProblem(409, "user.login_taken");
    }

    [Test]
    public async Task Create_WhenThePhoneIsMalformedOrTheRoleSitsElsewhere_Returns400()
    {
        var admin = app.ClientFor("admin");
        var badPhone = new { login = "p1", name = "甲", phone = "not a phone", email = "p1@x.example", role = "gridWorker", orgUnit = Cases.GridOne };

        var problem = await (await admin.PostJson("/api/v1/users", badPhone)).AssertProblem(400, "validation.failed");
        var wrongPlace = await admin.PostJson("/api/v1/users", UserDriver.Person("p2", "townshipOfficer", Cases.GridOne));

        Assert.That(problem["errors"]!["phone"], Is.Not.Null);
        await wrongPlace.AssertProblem(400, "user.wrong_place");
    }

    [Test]
    public async Task Update_WithIfMatch_MovesThePersonAndAStaleVersionIs412()
    {
        var admin = app.ClientFor("admin");
        var id = await app.IdOf("grid");
        var before = await admin.Read(id);
        var move = new { name = "调动后的网格员", phone = "13800002222", email = "grid@hazards.example", role = "gridWorker", orgUnit = "500103001001002" };

        var moved = await admin.Put($"/api/v1/users/{id}", move, $"\"{before["version"]}\"");
        var stale = await admin.Put($"/api/v1/users/{id}", move, $"\"{before["version"]}\"");
        var missing = await admin.Put($"/api/v1/users/{id}", move, "");

        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        Assert.That((await moved.Json()).Text("orgUnitCode"), Is.EqualTo("500103001001002"));
        await stale.AssertProblem(412, "concurrency.stale_version");
        Assert.That((int)missing.StatusCode, Is.EqualTo(428));
        var me = await (await app.ClientFor("grid").GetAsync("/api/v1/me")).Json();
        Assert.That(me.Text("orgUnitCode"), Is.EqualTo("500103001001002"), "the move takes effect on the next request");
        var history = await (await admin.GetAsync($"/api/v1/admin/history?entity=user&id={id}")).Json();
        Assert.That(history["items"]!.AsArray().Select(h => h!.Text("action")), Does.Contain("move"));
        Assert.That(history["items"]!.AsArray().Last(h => h!.Text("action") == "move")!["before"]!.Text("orgUnit"), Is.EqualTo(Cases.GridOne));
    }

    [Test]
    public async Task Deactivate_RefusesTheirTokenOnTheNextRequestAndPassesTheirUnitsToTheSuccessor()
    {
        var officer = app.ClientFor("officer");
        var unitClient = app.ClientFor("unit");
        Assert.That((await unitClient.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var newUnit = await (await officer.PostJson("/api/v1/units", new
        {
            name = "新开餐馆", gridCode = Cases.GridOne, sectors = new[] { "fire" }, riskColour = "blue",
        })).Json();
        var successor = await officer.Create(UserDriver.Person("unit-next", "unitOfficer", Cases.GridOne, new[] { newUnit.Text("id") }));
        var id = await app.IdOf("unit");
        var version = (await officer.Read(id))["version"]!.GetValue<int>();

        var orphaning = await officer.PostJson($"/api/v1/users/{id}/deactivate", new { }, ifMatch: $"\"{version}\"");
        var done = await officer.PostJson($"/api/v1/users/{id}/deactivate", new { successorId = successor.Text("id"), reason = "离职" },
            ifMatch: $"\"{version}\"");

        await orphaning.AssertProblem(409, "user.successor_required");
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        var answer = await done.Json();
        Assert.That(answer["user"]!["active"]!.GetValue<bool>(), Is.False);
        Assert.That(answer["held"]!.AsArray().Select(h => (h!.Text("kind"), h!.Text("id"), h!.Text("to"))),
            Is.EqualTo(new[] { ("unit", Cases.UnitOne.ToString(), "unit-next") }));
        await (await unitClient.GetAsync("/api/v1/me")).AssertProblem(401, "auth.unauthenticated");
        var heir = await (await app.ClientFor("unit-next").GetAsync("/api/v1/me")).Json();
        Assert.That(heir["unitIds"]!.AsArray().Select(u => u!.GetValue<Guid>()), Does.Contain(Cases.UnitOne));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE login = 'unit'"), Is.EqualTo(1), "deactivated, never deleted");
    }

    [Test]
    public async Task Deactivate_WhenTheLadderNextRuns_SendsThemNoNotice()
    {
        var reported = await app.ClientFor("grid").Report(Cases.Patrol("离职后不再收信", extra: new { unitId = Cases.UnitOne }));
        await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = Cases.UnitOne });
        var id = await app.IdOf("grid");
        var admin = app.ClientFor("admin");
        var version = (await admin.Read(id))["version"]!.GetValue<int>();
        var done = await admin.PostJson($"/api/v1/users/{id}/deactivate", new { reason = "调离" }, ifMatch: $"\"{version}\"");
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());

        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 2, 0, 0, TimeSpan.Zero));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new EscalateCasesCommand());
        }

        Assert.That(await app.Count("SELECT COUNT(*) FROM notice_recipients"), Is.GreaterThan(0), "the ladder reached step 0");
        Assert.That(await app.Count("SELECT COUNT(*) FROM notice_recipients WHERE user_id = @Id", new { Id = id.ToString() }), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox WHERE to_email = 'grid@hazards.example'"), Is.Zero);
    }

    [Test]
    public async Task Deactivate_APersonAboveOrOutsideTheCaller_Returns404()
    {
        var id = await app.IdOf("regulator");
        var version = (await app.ClientFor("admin").Read(id))["version"]!.GetValue<int>();

        var response = await app.ClientFor("regulator2").PostJson($"/api/v1/users/{id}/deactivate", new { }, ifMatch: $"\"{version}\"");
        var byOfficer = await app.ClientFor("officer").PostJson($"/api/v1/users/{id}/deactivate", new { }, ifMatch: $"\"{version}\"");

        await response.AssertProblem(404, "user.not_found");
        await byOfficer.AssertProblem(404, "user.not_found");
    }

    [Test]
    public async Task List_FiltersByRoleAndTextWithATotal()
    {
        var page = await (await app.ClientFor("regulator").GetAsync("/api/v1/users?role=gridWorker&q=%E7%BD%91%E6%A0%BC&limit=1")).Json();

        Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(page["nextCursor"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task List_WithTextHoldingAPatternCharacter_MatchesItLiterally()
    {
        await app.ClientFor("officer").Create(UserDriver.Person("like_one"));
        await app.ClientFor("officer").Create(UserDriver.Person("likezone"));

        var page = await (await app.ClientFor("regulator").GetAsync("/api/v1/users?q=like_&limit=200")).Json();

        Assert.That(page["items"]!.AsArray().Select(u => u!["login"]!.GetValue<string>()), Is.EqualTo(new[] { "like_one" }));
    }

    [Test]
    public async Task List_WhenAUnitOfficerIsOnThePage_ShowsTheirUnitsAsTheirOwnRecordDoes()
    {
        var second = await app.ClientFor("officer").Create(UserDriver.Person("unit-two", "unitOfficer", Cases.GridOne, new[] { Cases.UnitOne }));

        var page = await (await app.ClientFor("regulator").GetAsync("/api/v1/users?role=unitOfficer&limit=200")).Json();

        var listed = page["items"]!.AsArray().ToDictionary(u => u!["login"]!.GetValue<string>(), u => u!["unitIds"]!.AsArray().Select(x => x!.GetValue<Guid>()).ToList());
        Assert.That(listed, Does.ContainKey("unit").And.ContainKey("unit-two"));
        foreach (var (login, units) in listed)
        {
            var own = await app.ClientFor("regulator").Read(await app.IdOf(login));
            Assert.That(units, Is.EqualTo(own["unitIds"]!.AsArray().Select(x => x!.GetValue<Guid>()).ToList()), login);
        }

        Assert.That(listed["unit"], Is.EqualTo(new[] { Cases.UnitOne }));
        Assert.That(listed["unit-two"], Is.EqualTo(new[] { second["unitIds"]![0]!.GetValue<Guid>() }));
    }
}
