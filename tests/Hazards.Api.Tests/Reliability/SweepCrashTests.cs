using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Escalation;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Reliability;

/// <summary>
/// An escalation sweep killed with SIGKILL between notice and mail: notices and their outbox
/// rows commit together, so after a restart every recipient of every sweep gets its digest exactly once, every
/// outbox row is sent, and the pickup folder holds one message per outbox row — none missing, none doubled.
/// </summary>
[NonParallelizable]
[Category("Slow")]
public sealed partial class SweepCrashTests
{
    private const string TitlePrefix = "扫描崩溃-";
    private const int CasesPerWorker = 50;
    private const int Attempts = 6;

    // Two grids, so a sweep has recipients in both townships; two writers on each.
    private static readonly (string Grid, string Officer, string GridCode, Guid Unit)[] Workers =
    [
        ("grid", "officer", Cases.GridOne, Cases.UnitOne),
        ("grid2", "officer2", Cases.GridTwo, Cases.UnitTwo),
        ("grid", "officer", Cases.GridOne, Cases.UnitOne),
        ("grid2", "officer2", Cases.GridTwo, Cases.UnitTwo),
    ];

    private string folder = null!;
    private int round;

    [SetUp]
    public void Create()
    {
        folder = Path.Combine(Path.GetTempPath(), "hazards-sweep-crash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        round = 0;
    }

    [TearDown]
    public void Remove()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's own clean-up.
        }
    }

    [Test]
    public async Task KillTheServiceWhileItsStartupSweepsRun_AfterRestartEveryDigestIsInTheOutboxAndThePickupFolderOnce()
    {
        await Arrange();
        var jobs = new Dictionary<string, string>
        {
            ["Jobs__Enabled"] = "true",
            // One dispatch run takes every pending mail, so the run at start does not leave some for the minute schedule.
            ["Email__BatchSize"] = "1000",
            // Every digest lists all its notices, so each one is checked letter by letter.
            ["Email__DigestMaxItems"] = "1000",
        };
        using var service = new ServiceProcess(folder, jobs);
        var outcomes = new List<string>();
        var delays = new KillDelays();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            await MakeOverdue();
            var delay = delays.Next();
            using (var launched = service.Launch())
            {
                await Task.Delay(delay);
                Kill(launched);
            }

            var (committed, outcome) = await Outcome();
            delays.Landed(committed);
            outcomes.Add($"{delay.TotalSeconds:0.00}s: {outcome}");
        }

        await service.Start();
        await SettleMail(TimeSpan.FromSeconds(45));
        service.Kill();

        var figures = await AssertMailedOnce();
        TestContext.Progress.WriteLine(
            $"sweep crash (service): {outcomes.Count} SIGKILLs survived [{string.Join("; ", outcomes)}]; {figures}");
    }

    [Test]
    public async Task KillTheEscalationCommandMidRun_RunningItAgainAndDispatchingMailsEachDigestOnce()
    {
        await Arrange();
        using var command = new ServiceProcess(folder, new Dictionary<string, string> { ["Email__BatchSize"] = "1000", ["Email__DigestMaxItems"] = "1000" });
        var outcomes = new List<string>();
        var delays = new KillDelays();
        var kills = 0;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            await MakeOverdue();
            var delay = delays.Next();
            using (var launched = command.Launch("jobs", "run", "cases:escalate"))
            {
                await Task.Delay(delay);
                var finished = launched.HasExited;
                kills += finished ? 0 : 1;
                Kill(launched);
                var (committed, outcome) = await Outcome();
                delays.Landed(committed);
                outcomes.Add($"{delay.TotalSeconds:0.00}s: {(finished ? "had exited" : "killed")} {outcome}");
            }
        }

        Assert.That(kills, Is.GreaterThan(0), "every run finished before its kill");

        using var service = new ServiceProcess(folder, new Dictionary<string, string> { ["Email__BatchSize"] = "1000", ["Email__DigestMaxItems"] = "1000" });
        Assert.That(await service.Run("jobs", "run", "cases:escalate"), Is.Zero);
        Assert.That(await service.Run("jobs", "run", "mail:dispatch"), Is.Zero);
        Assert.That(await Scalar("SELECT COUNT(*) FROM mail_outbox WHERE status <> 'sent'"), Is.Zero, "mail left unsent after the dispatch run");

        var figures = await AssertMailedOnce();
        TestContext.Progress.WriteLine(
            $"sweep crash (jobs run): {kills} SIGKILLs survived [{string.Join("; ", outcomes)}]; {figures}");
    }

    /// <summary>Seeds the demo and opens the cases through the API, as the grid workers and township officers would.</summary>
    private async Task Arrange()
    {
        using var setup = new ServiceProcess(folder, new Dictionary<string, string> { ["Writes__PermitsPerMinute"] = "100000" });
        Assert.That(await setup.Run("seed-demo"), Is.Zero);
        await setup.Start();
        await Task.WhenAll(Workers.Select(async (w, index) =>
        {
            using var grid = Client(setup, w.Grid);
            using var officer = Client(setup, w.Officer);
            for (var i = 0; i < CasesPerWorker; i++)
            {
                var reported = await grid.Report(Cases.Patrol($"{TitlePrefix}{index}-{i}", w.GridCode));
                await officer.Do(reported, "assign", new { responsibleUnitId = w.Unit });
            }
        }));
        setup.Kill();
        Assert.That(await Scalar($"SELECT COUNT(*) FROM cases WHERE title LIKE '{TitlePrefix}%' AND status = 'rectifying'"),
            Is.EqualTo(Workers.Length * CasesPerWorker));
    }

    /// <summary>
    /// Moves the cases' fix deadlines into the past, directly in the SQLite file: the one arrangement the API
    /// cannot make, since the service process runs on the real clock and its deadlines lie in the future.
    /// Each call is a new instant, so a new round of every case, which the next sweep must notify anew.
    /// </summary>
    private async Task MakeOverdue()
    {
        round++;
        var deadline = DapperTypes.FormatInstant(DateTimeOffset.UtcNow.AddDays(-90).AddMinutes(-round));
        await Execute($"UPDATE cases SET deadline = @Deadline WHERE title LIKE '{TitlePrefix}%' AND status = 'rectifying'", ("@Deadline", deadline));
    }

    /// <summary>
    /// Where the kill landed, read from the file after it: the current round notified or not, its mail still
    /// pending or not. A mail claimed by the killed dispatcher stays leased for <c>Email:ClaimLease</c> (at least
    /// a minute of real time); the test lets that lease run out by moving it into the past instead of waiting.
    /// </summary>
    private async Task<(bool Committed, string Text)> Outcome()
    {
        var notified = await Scalar(
            $"SELECT COUNT(*) FROM cases c JOIN escalation_notices n ON n.subject_kind = 'fix' AND n.subject_id = c.id AND n.subject_round = c.deadline WHERE c.title LIKE '{TitlePrefix}%'");
        var pending = await Scalar("SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'");
        var stranded = await Execute(
            "UPDATE mail_outbox SET claimed_until = @Past WHERE status = 'pending' AND claimed_until IS NOT NULL",
            ("@Past", DapperTypes.FormatInstant(DateTimeOffset.UtcNow.AddHours(-1))));
        return (notified > 0, notified == 0 ? "before the sweep committed"
            : pending > 0 ? $"after the sweep, {pending} mails pending ({stranded} claimed)"
            : "after the sweep and its mail");
    }

    /// <summary>Waits until the restarted service notified the current round and its outbox has stayed empty of pending mail a while.</summary>
    private async Task SettleMail(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        var quiet = 0;
        long lastRows = -1;
        while (DateTime.UtcNow < until && quiet < 4)
        {
            await Task.Delay(250);
            var rows = await Scalar("SELECT COUNT(*) FROM mail_outbox");
            var settled = await Scalar("SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'") == 0
                && await Unnotified() == 0 && rows == lastRows;
            quiet = settled ? quiet + 1 : 0;
            lastRows = rows;
        }

        Assert.That(quiet, Is.GreaterThanOrEqualTo(4), "the restarted service did not notify the cases and send their mail in time");
    }

    private Task<long> Unnotified() => Scalar(
        $"SELECT COUNT(*) FROM cases c WHERE c.title LIKE '{TitlePrefix}%' AND NOT EXISTS (SELECT 1 FROM escalation_notices n WHERE n.subject_kind = 'fix' AND n.subject_id = c.id AND n.subject_round = c.deadline)");

    private async Task<string> AssertMailedOnce()
    {
        Assert.That(await Unnotified(), Is.Zero, "a case's current round was never notified");
        Assert.That(await Scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM escalation_notices GROUP BY subject_kind, subject_id, subject_round, step HAVING COUNT(*) > 1)"),
            Is.Zero, "a notice exists twice");

        var notices = await Query(
            """
            SELECT n.id, n.sweep_id, n.step, n.letter_year, n.letter_seq, d.name
            FROM escalation_notices n JOIN org_units d ON d.code = n.district_code
            """,
            r => new Notice(r.GetString(0), r.GetString(1), EscalationLadder.LetterNumber(r.GetString(5), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4))));
        var recipients = await Query(
            "SELECT r.notice_id, u.email FROM notice_recipients r JOIN users u ON u.id = r.user_id",
            r => (Notice: r.GetString(0), Email: r.GetString(1)));
        var outbox = await Query(
            "SELECT id, kind, to_email, status, text_body FROM mail_outbox",
            r => new Mail(Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));

        var byId = notices.ToDictionary(n => n.Id);
        var byLetter = notices.ToDictionary(n => n.Letter);
        var withoutRecipients = notices.Select(n => n.Id).Except(recipients.Select(r => r.Notice)).ToList();
        Assert.That(withoutRecipients, Is.Empty, "notices without recipients");

        // What each recipient of each sweep must have been sent: one digest carrying exactly its notices of that sweep.
        var expected = recipients
            .GroupBy(r => (byId[r.Notice].Sweep, r.Email))
            .ToDictionary(g => g.Key, g => g.Select(r => byId[r.Notice].Letter).Order(StringComparer.Ordinal).ToList());
        var digests = outbox.Where(m => m.Kind == "escalation").ToList();
        var found = new Dictionary<(string Sweep, string Email), int>();
        foreach (var mail in digests)
        {
            var letters = LetterLine().Matches(mail.Text).Select(m => m.Groups[1].Value).ToList();
            Assert.That(letters, Is.Not.Empty, $"digest {mail.Id} names no letter");
            Assert.That(letters, Is.All.Matches<string>(byLetter.ContainsKey), $"digest {mail.Id} names a letter no notice has");
            var sweeps = letters.Select(l => byLetter[l].Sweep).Distinct().ToList();
            Assert.That(sweeps, Has.Count.EqualTo(1), $"digest {mail.Id} mixes sweeps");
            var key = (sweeps[0], mail.To);
            Assert.That(expected.ContainsKey(key), $"digest {mail.Id} went to {mail.To}, no recipient of its sweep");
            Assert.That(letters.Order(StringComparer.Ordinal), Is.EqualTo(expected[key]), $"digest {mail.Id} does not carry exactly its recipient's notices");
            found[key] = found.GetValueOrDefault(key) + 1;
        }

        Assert.That(found.Where(f => f.Value > 1).Select(f => f.Key), Is.Empty, "recipients mailed twice for one sweep");
        Assert.That(expected.Keys.Except(found.Keys), Is.Empty, "recipients of a sweep without their digest");
        Assert.That(outbox.Where(m => m.Status != "sent").Select(m => $"{m.Id} {m.Status}"), Is.Empty, "outbox rows not sent");

        var files = Directory.Exists(Path.Combine(folder, "mail"))
            ? Directory.GetFiles(Path.Combine(folder, "mail"), "*.eml").Select(f => Guid.Parse(Path.GetFileNameWithoutExtension(f))).ToList()
            : [];
        Assert.That(files, Is.Unique);
        Assert.That(files, Is.EquivalentTo(outbox.Select(m => m.Id)), "the pickup folder does not hold exactly one .eml per outbox row");

        var sweepCount = notices.Select(n => n.Sweep).Distinct().Count();
        return string.Create(CultureInfo.InvariantCulture,
            $"{notices.Count} notices in {sweepCount} sweeps, {recipients.Count} recipients, {digests.Count} digests of {outbox.Count} outbox rows sent, {files.Count} .eml files");
    }

    /// <summary>
    /// Kill delays between 0.05 and 3 s that close in on the instant the sweep commits: a kill that came before
    /// it moves the next one later, one that came after moves it earlier, so most kills land in or right around
    /// the sweep and the dispatch that follows it, whatever this machine's start-up time (a whole
    /// <c>jobs run cases:escalate</c> takes about 0.4 s on a quiet machine).
    /// </summary>
    private sealed class KillDelays
    {
        private double early = 0.05;
        private double late = 3.0;
        private bool first = true;

        public TimeSpan Next() => TimeSpan.FromSeconds(first ? early : (early + late) / 2);

        public void Landed(bool committed)
        {
            var delay = first ? early : (early + late) / 2;
            first = false;
            if (committed)
            {
                late = delay;
            }
            else
            {
                early = delay;
            }
        }
    }

    [GeneratedRegex(@"^(\S+〔\d{4}〕\d+号)【", RegexOptions.Multiline)]
    private static partial Regex LetterLine();

    /// <summary>SIGKILL, as <see cref="ServiceProcess.Kill"/> does.</summary>
    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }


    private static HttpClient Client(ServiceProcess service, string login)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceProcess.Token(login));
        return client;
    }

    private SqliteConnection Open() => new($"Data Source={Path.Combine(folder, "hazards.db")};Pooling=False");

    private async Task<int> Execute(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<List<T>> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private sealed record Notice(string Id, string Sweep, string Letter);

    private sealed record Mail(Guid Id, string Kind, string To, string Status, string Text);
}
