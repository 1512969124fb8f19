using System.Net;
using Hazards.Api.Tests.Features.Imports;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Users;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// Who a person signs in as through the identity provider is their external subject: only a city admin links one,
/// a subject names at most one person, and a change ends the sessions of everyone it touches.
/// </summary>
public sealed class SubjectLinkTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Update_WhenATownshipOfficerLinksThePersonToASubject_Returns403AndWritesNothing()
    {
        var admin = app.ClientFor("admin");
        var peer = await admin.Create(UserDriver.Person("officer-peer", "townshipOfficer", "500103001"));
        var officer = app.ClientFor("officer");
        var unitId = await app.IdOf("unit");
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");

        var onPeer = await officer.Put($"/api/v1/users/{peer.Text("id")}", Body("officer-peer", "townshipOfficer", "500103001", "idp|officer"), "\"1\"");
        var onUnit = await officer.Put($"/api/v1/users/{unitId}",
            Body("unit", "unitOfficer", Cases.GridOne, "idp|officer", [Cases.UnitOne]), $"\"{(await officer.Read(unitId))["version"]}\"");
        var onNew = await officer.PostJson("/api/v1/users", UserDriver.Person("grid-linked", subject: "idp|officer"));

        await onPeer.AssertProblem(403, "user.subject_link_forbidden");
        await onUnit.AssertProblem(403, "user.subject_link_forbidden");
        await onNew.AssertProblem(403, "user.subject_link_forbidden");
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE external_subject IS NOT NULL OR login = 'grid-linked'"), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history));
    }

    [Test]
    public async Task Update_WhenATownshipOfficerKeepsTheSubjectTheAdminLinked_Returns200()
    {
        var unitId = await app.IdOf("unit");
        var admin = app.ClientFor("admin");
        var linked = await admin.Put($"/api/v1/users/{unitId}",
            Body("unit", "unitOfficer", Cases.GridOne, "idp|unit", [Cases.UnitOne]), $"\"{(await admin.Read(unitId))["version"]}\"");
        var officer = app.ClientFor("officer");
        var version = $"\"{(await officer.Read(unitId))["version"]}\"";

        var renamed = await officer.Put($"/api/v1/users/{unitId}", Body("unit", "unitOfficer", Cases.GridOne, "idp|unit", [Cases.UnitOne], "改名的安全员"), version);
        var unlinked = await officer.Put($"/api/v1/users/{unitId}", Body("unit", "unitOfficer", Cases.GridOne, null, [Cases.UnitOne]),
            $"\"{(await officer.Read(unitId))["version"]}\"");

        Assert.That(linked.StatusCode, Is.EqualTo(HttpStatusCode.OK), await linked.Content.ReadAsStringAsync());
        Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await renamed.Content.ReadAsStringAsync());
        await unlinked.AssertProblem(403, "user.subject_link_forbidden");
        Assert.That(await app.Text("SELECT external_subject FROM users WHERE login = 'unit'"), Is.EqualTo("idp|unit"));
    }

    [Test]
    public async Task Update_WhenTheAdminMovesASubject_EndsTheSessionsOfBothPeopleAndWritesHistory()
    {
        var admin = app.ClientFor("admin");
        var unitId = await app.IdOf("unit");
        var gridId = await app.IdOf("grid");
        await admin.Put($"/api/v1/users/{unitId}", Body("unit", "unitOfficer", Cases.GridOne, "idp|4711", [Cases.UnitOne]), $"\"{(await admin.Read(unitId))["version"]}\"");
        var unitToken = app.TokenFor("unit");
        var gridToken = app.TokenFor("grid");
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var taken = await admin.Put($"/api/v1/users/{gridId}", Body("grid", "gridWorker", Cases.GridOne, "idp|4711"), $"\"{(await admin.Read(gridId))["version"]}\"");
        var released = await admin.Put($"/api/v1/users/{unitId}", Body("unit", "unitOfficer", Cases.GridOne, null, [Cases.UnitOne]), $"\"{(await admin.Read(unitId))["version"]}\"");
        var moved = await admin.Put($"/api/v1/users/{gridId}", Body("grid", "gridWorker", Cases.GridOne, "idp|4711"), $"\"{(await admin.Read(gridId))["version"]}\"");

        await taken.AssertProblem(409, "user.subject_taken");
        Assert.That(released.StatusCode, Is.EqualTo(HttpStatusCode.OK), await released.Content.ReadAsStringAsync());
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        await (await Me(unitToken)).AssertProblem(401, "auth.unauthenticated");
        await (await Me(gridToken)).AssertProblem(401, "auth.unauthenticated");
        Assert.That((await Me(app.TokenFor("grid"))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a new sign-in works");
        var history = await (await admin.GetAsync($"/api/v1/admin/history?entity=user&id={gridId}")).Json();
        var last = history["items"]!.AsArray().Last()!;
        Assert.That((last["before"]!["externalSubject"]?.GetValue<string>(), last["after"]!.Text("externalSubject"), last.Text("actor")),
            Is.EqualTo(((string?)null, "idp|4711", "admin")));
    }

    [Test]
    public async Task Update_WhenNothingAboutTheSubjectChanges_KeepsTheSessions()
    {
        var admin = app.ClientFor("admin");
        var gridId = await app.IdOf("grid");
        var gridToken = app.TokenFor("grid");
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var renamed = await admin.Put($"/api/v1/users/{gridId}", Body("grid", "gridWorker", Cases.GridOne, null, name: "改名的网格员"),
            $"\"{(await admin.Read(gridId))["version"]}\"");

        Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await renamed.Content.ReadAsStringAsync());
        Assert.That((await Me(gridToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Import_WhenATownshipOfficerLinksSubjects_RefusesTheRowsAndWritesNothing()
    {
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");
        var file = ImportDriver.Csv(
            ImportDriver.UsersHeader,
            "unit,渝中区第1街道示范企业安全员,,unit@hazards.example,unitOfficer,500103001001001,500103001001001:1,idp|officer",
            "w-new,网格员甲,13800000001,w-new@people.example,gridWorker,500103001001001,,idp|other",
            "w-plain,网格员乙,13800000002,w-plain@people.example,gridWorker,500103001001001,,");

        var import = await app.ClientFor("officer").Import("users", file, "apply");

        Assert.That(import.Errors(), Is.EquivalentTo(new[]
        {
            (2, "externalSubject", "user.subject_link_forbidden"),
            (3, "externalSubject", "user.subject_link_forbidden"),
        }));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE external_subject IS NOT NULL OR login LIKE 'w-%'"), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history));
    }

    [Test]
    public async Task Import_WhenTheAdminLinksASubject_EndsThePersonsSessions()
    {
        var unitToken = app.TokenFor("unit");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var file = ImportDriver.Csv(
            ImportDriver.UsersHeader,
            "unit,渝中区第1街道示范企业安全员,,unit@hazards.example,unitOfficer,500103001001001,500103001001001:1,idp|unit");

        var import = await app.ClientFor("admin").Import("users", file, "apply");

        Assert.That(import["rowsApplied"]!.GetValue<int>(), Is.EqualTo(1), import.ToJsonString());
        Assert.That(await app.Text("SELECT external_subject FROM users WHERE login = 'unit'"), Is.EqualTo("idp|unit"));
        await (await Me(unitToken)).AssertProblem(401, "auth.unauthenticated");
    }

    [Test]
    public async Task Database_WhenASecondPersonGetsATakenSubject_RefusesIt()
    {
        await app.Exec("UPDATE users SET external_subject = 'idp|same' WHERE login = 'grid'");

        var second = Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => app.Exec("UPDATE users SET external_subject = 'idp|same' WHERE login = 'grid2'"));

        Assert.That(second!.Message, Does.Contain("UNIQUE"));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE external_subject = 'idp|same'"), Is.EqualTo(1));
    }

    private static object Body(string login, string role, string orgUnit, string? subject, Guid[]? unitIds = null, string? name = null) => new
    {
        name = name ?? $"测试人员{login}",
        phone = "13800001111",
        email = $"{login}@hazards.example",
        role,
        orgUnit,
        externalSubject = subject,
        unitIds,
    };

    private Task<HttpResponseMessage> Me(string token)
    {
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client.GetAsync("/api/v1/me");
    }
}
