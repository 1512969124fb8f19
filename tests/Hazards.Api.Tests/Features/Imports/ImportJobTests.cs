using System.Diagnostics;
using System.Net;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Imports;

/// <summary>
/// The import job as it runs: as whom (a starter who left or lost the scope cancels it), what it leaves behind after a
/// failure at the end (its state and its apply together or neither), and what one large file may cost everyone else.
/// </summary>
public sealed class ImportJobTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Apply_WhenTheStarterIsDeactivatedWhileItRuns_IsCancelledAndWritesNothing()
    {
        var users = await app.Count("SELECT COUNT(*) FROM users");
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");

        // Another administrator deactivates the officer while the officer's rows are being staged.
        await app.Exec("""
            CREATE TRIGGER deactivate_while_staging AFTER INSERT ON import_user_rows
            BEGIN UPDATE users SET active = 0 WHERE login = 'officer'; END
            """);

        var import = await app.ClientFor("admin").Finished(await app.ClientFor("officer").Queue("users", People(3), "apply"));

        Assert.That((import.Text("state"), import["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("cancelled", 0)));
        Assert.That(import.Text("failure"), Does.Contain("officer").And.Contain("no longer active"));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users"), Is.EqualTo(users));
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history));
        Assert.That(await app.Count("SELECT COUNT(*) FROM import_user_rows"), Is.Zero, "the staging is emptied");
    }

    [Test]
    public async Task DryRun_WhenTheStarterNoLongerHoldsTheScopeAsItStarts_IsCancelledAndWritesNoReport()
    {
        await app.Exec("""
            CREATE TRIGGER demote_on_claim AFTER UPDATE OF state ON imports WHEN NEW.state = 'running'
            BEGIN UPDATE users SET role = 'gridWorker', org_code = '500103001001001' WHERE login = 'officer'; END
            """);

        var import = await app.ClientFor("admin").Finished(await app.ClientFor("officer").Queue("users",
            ImportDriver.Csv(ImportDriver.UsersHeader, "bad-1,坏行,call me,bad-1@people.example,gridWorker,500103001001001,,")));

        Assert.That(import.Text("state"), Is.EqualTo("cancelled"));
        Assert.That(import.Text("failure"), Does.Contain("no longer"));
        Assert.That(await app.Count("SELECT COUNT(*) FROM import_errors"), Is.Zero);
    }

    [Test]
    public async Task Apply_WhenItsTransactionFailsAfterTheStateWrite_LeavesTheRowsUnappliedAndTheImportFailed()
    {
        var users = await app.Count("SELECT COUNT(*) FROM users");
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");

        // A fault at the moment the final state is written: had the apply committed on its own, its rows would stay.
        await app.Exec("""
            CREATE TRIGGER fail_after_state_write AFTER UPDATE OF state ON imports WHEN NEW.state = 'succeeded'
            BEGIN SELECT RAISE(ABORT, 'fault after the state write'); END
            """);

        var import = await app.ClientFor("officer").Import("users", People(3), "apply");

        Assert.That((import.Text("state"), import["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("failed", 0)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users"), Is.EqualTo(users));
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history));
    }

    [Test]
    public async Task Start_WithMoreRowsThanImportsMaxRows_Returns413AndQueuesNothing()
    {
        using var capped = await new HazardsApp(new Dictionary<string, string?> { ["Imports:MaxRows"] = "5" }).WithDemo();
        var imports = await capped.Count("SELECT COUNT(*) FROM imports");

        var over = await capped.ClientFor("officer").Send("users", People(6));
        var at = await capped.ClientFor("officer").Send("users", People(5));

        var problem = await over.AssertProblem(413, "import.too_many_rows");
        Assert.That(problem["maxRows"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(at.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await capped.Count("SELECT COUNT(*) FROM imports"), Is.EqualTo(imports + 1));
    }

    [Test]
    public async Task DryRun_WithMoreRefusedRowsThanImportsMaxStoredErrors_StoresTheFirstAndCountsThemAll()
    {
        using var capped = await new HazardsApp(new Dictionary<string, string?> { ["Imports:MaxStoredErrors"] = "10" }).WithDemo();
        var lines = new List<string> { ImportDriver.UsersHeader };
        lines.AddRange(Enumerable.Range(1, 40).Select(i => $"bad{i},坏行{i},call me,bad{i}@people.example,gridWorker,500103001001001,,"));
        lines.AddRange(Enumerable.Range(1, 10).Select(i => $"nowhere{i},无组织{i},13800000000,nowhere{i}@people.example,gridWorker,500103001009009,,"));
        lines.AddRange(Enumerable.Range(1, 5).Select(i => $"good{i},好行{i},13800000000,good{i}@people.example,gridWorker,500103001001001,,"));

        var import = await capped.ClientFor("officer").Import("users", ImportDriver.Csv([.. lines]));

        Assert.That(import.Text("state"), Is.EqualTo("succeeded"));
        Assert.That((import["rowsRead"]!.GetValue<int>(), import["rowsValid"]!.GetValue<int>()), Is.EqualTo((55, 5)));
        Assert.That((import["errorCount"]!.GetValue<int>(), import["errorsStored"]!.GetValue<int>()), Is.EqualTo((50, 10)));
        Assert.That(import.Errors().Select(e => e.Row), Is.EqualTo(Enumerable.Range(2, 10)), "the first refused rows are kept");
        Assert.That(await capped.Count("SELECT COUNT(*) FROM import_errors"), Is.EqualTo(10));
    }

    [Test]
    public async Task SmallImport_OfAnotherTownship_FinishesWhileALargeOneIsStillRunning()
    {
        var lines = new List<string> { ImportDriver.UsersHeader };
        lines.AddRange(Enumerable.Range(1, 150_000).Select(i => $"many{i},网格员{i},13800000000,many{i}@people.example,gridWorker,500103001001001,,"));
        var large = await app.ClientFor("officer").Queue("users", ImportDriver.Csv([.. lines]));
        var watch = Stopwatch.StartNew();
        var officer = app.ClientFor("officer");
        while ((await (await officer.GetAsync($"/api/v1/imports/{large}")).Json()).Text("state") != "running")
        {
            await Task.Delay(20);
        }

        var small = await app.ClientFor("officer2").Import("users",
            ImportDriver.Csv(ImportDriver.UsersHeader, "small-1,网格员,13800000000,small-1@people.example,gridWorker,500103002001001,,"));
        var smallDone = watch.Elapsed;
        var largeThen = (await (await officer.GetAsync($"/api/v1/imports/{large}")).Json()).Text("state");
        var largeDone = await officer.Finished(large);

        TestContext.Progress.WriteLine($"small import done after {smallDone.TotalSeconds:0.0} s, large after {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.That(small.Text("state"), Is.EqualTo("succeeded"));
        Assert.That(largeThen, Is.EqualTo("running"), "the small import did not wait for the large one");
        Assert.That((largeDone.Text("state"), largeDone["rowsValid"]!.GetValue<int>()), Is.EqualTo(("succeeded", 150_000)));
    }

    [Test]
    public async Task Apply_OfOrgUnitsAndThenPeopleQueuedAtOnce_RunsThemInTheOrderTheyWereQueued()
    {
        var officer = app.ClientFor("officer");
        var orgUnits = await officer.Queue("orgUnits", ImportDriver.Csv([
            "编码,名称,上级编码",
            .. Enumerable.Range(70, 20).Select(v => $"500103001{v:000},排队社区{v},500103001"),
            .. Enumerable.Range(70, 20).SelectMany(v => Enumerable.Range(1, 200).Select(g => $"500103001{v:000}{g:000},排队网格{v}-{g},500103001{v:000}")),
        ]), "apply");
        var people = await officer.Queue("users", ImportDriver.Csv(ImportDriver.UsersHeader,
            "queued-grid,排队网格员,13800000000,queued-grid@people.example,gridWorker,500103001089200,,"), "apply");

        var first = await officer.Finished(orgUnits);
        var second = await officer.Finished(people);

        Assert.That((first.Text("state"), first["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 4020)));
        Assert.That(second.Errors(), Is.Empty, "the people waited for the org units queued before them");
        Assert.That((second.Text("state"), second["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 1)));
    }

    private static byte[] People(int count) => ImportDriver.Csv([
        ImportDriver.UsersHeader,
        .. Enumerable.Range(1, count).Select(i => $"job{i},网格员{i},1380000{i:0000},job{i}@people.example,gridWorker,500103001001001,,"),
    ]);
}
