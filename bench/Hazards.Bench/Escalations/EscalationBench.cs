using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Infrastructure.Data;
using Hazards.Bench.Dataset;
using Hazards.Domain.Calendar;
using Hazards.Domain.Escalation;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Bench.Escalations;

public sealed record EscalationRun(EscalationResult? First, double FirstMs, EscalationResult Second, double SecondMs, DigestSizes? Digests);

/// <summary>The first sweep's digests as the dispatcher renders them: how many, the largest (subject, HTML and text, in bytes) and whose, and the median.</summary>
public sealed record DigestSizes(int Count, int LargestBytes, string LargestRole, int MedianBytes, double RenderMs);

/// <summary>One scale's runs; without <see cref="Result"/> the service's first sweep was not run (<c>--sweep-up-to</c>).</summary>
public sealed record EscalationMeasurement(
    int Cases, CaseCounts Counts, int Notices, EscalationResult? Result, IReadOnlyList<double> SweepMs, IReadOnlyList<double> BareMs,
    IReadOnlyList<double> SecondMs, DigestSizes? Digests);

/// <summary>
/// The escalation sweep over a generated city: the service's <see cref="EscalateCasesCommand"/>
/// through its pipeline, then once more on the same file (nothing new), beside the handler's notice
/// INSERT … SELECT statements run bare on another copy. Each run works on fresh copies of one file.
/// </summary>
public sealed class EscalationBench(string folder, TextWriter log)
{
    /// <summary>10:00 on the Wednesday two weeks after the data ends: the first fortnight of deadlines has passed.</summary>
    public static readonly DateTimeOffset SweepAt = ChinaTime.StartOfDay(CaseDataset.EndDay.AddDays(14)).AddHours(10);

    /// <summary>The next run of the recurring job, 15 minutes later.</summary>
    public static readonly DateTimeOffset SecondAt = SweepAt.AddMinutes(15);

    public string PristinePath(int cases, int open) => Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"escalate-{cases}-{open}.db"));

    /// <summary>
    /// With <paramref name="sweep"/> false the service's first sweep is left out (it can take hours where it
    /// is quadratic), and its run with nothing new is measured on the bare copy, whose notices the bare
    /// statements just wrote: the same notices, so the same "nothing new" the second run meets.
    /// </summary>
    public async Task<EscalationMeasurement> Measure(int cases, int open, int repeats, bool sweep, CancellationToken ct)
    {
        var pristine = PristinePath(cases, open);
        var counts = await CaseDataset.Generate(pristine, cases, open, log, ct);
        EscalationLadder ladder;
        await using (var host = ServiceHost.Start(pristine, SweepAt))
        {
            ladder = host.Services.GetRequiredService<EscalationLadder>();
        }

        var sweeps = new List<double>();
        var bares = new List<double>();
        var seconds = new List<double>();
        EscalationResult? result = null;
        DigestSizes? digests = null;
        var notices = 0;
        var serviceCopy = Path.Combine(folder, $"escalate-{cases}.service.db");
        var bareCopy = Path.Combine(folder, $"escalate-{cases}.bare.db");
        try
        {
            for (var r = 0; r < repeats; r++)
            {
                DatabaseFile.Copy(pristine, serviceCopy);
                DatabaseFile.Copy(pristine, bareCopy);

                // Alternate which path runs first, so neither always meets a warmer machine.
                EscalationRun service;
                (int Notices, double Milliseconds) bare;
                if (!sweep)
                {
                    bare = RunBare(bareCopy, ladder);
                    service = await RunService(bareCopy, first: false, ct);
                }
                else if (r % 2 == 0)
                {
                    service = await RunService(serviceCopy, first: true, ct);
                    bare = RunBare(bareCopy, ladder);
                }
                else
                {
                    bare = RunBare(bareCopy, ladder);
                    service = await RunService(serviceCopy, first: true, ct);
                }

                if ((service.First is { } first && first.Notices != bare.Notices) || service.Second.Notices != 0)
                {
                    throw new InvalidOperationException(
                        $"The sweep added {service.First?.Notices:N0} notices and then {service.Second.Notices:N0}; the bare SQL added {bare.Notices:N0}.");
                }

                notices = bare.Notices;
                result = service.First;
                digests = service.Digests ?? digests;
                if (service.First is not null)
                {
                    sweeps.Add(service.FirstMs);
                }

                bares.Add(bare.Milliseconds);
                seconds.Add(service.SecondMs);
                log.WriteLine(service.First is { } done
                    ? FormattableString.Invariant($"  run {r + 1}: sweep {service.FirstMs,9:F1} ms   bare {bare.Milliseconds,8:F1} ms   second {service.SecondMs,7:F1} ms   notices {done.Notices:N0}, recipients {done.Recipients:N0}, mails {done.Mails:N0}")
                    : FormattableString.Invariant($"  run {r + 1}: sweep not run   bare {bare.Milliseconds,8:F1} ms   second (after bare) {service.SecondMs,7:F1} ms   notices {bare.Notices:N0}"));
            }
        }
        finally
        {
            DatabaseFile.Delete(serviceCopy);
            DatabaseFile.Delete(bareCopy);
        }

        if (digests is { } d)
        {
            log.WriteLine(FormattableString.Invariant(
                $"  digests of the first sweep: {d.Count:N0}, largest {d.LargestBytes / 1024.0:F1} KB ({d.LargestRole}), median {d.MedianBytes / 1024.0:F1} KB, rendered in {d.RenderMs:F0} ms"));
        }

        return new EscalationMeasurement(cases, counts, notices, result, sweeps, bares, seconds, digests);
    }

    /// <summary>The service's sweep as its job sends it (a scope, the app's sender, the whole pipeline), then the next run 15 minutes later.</summary>
    public static async Task<EscalationRun> RunService(string path, bool first, CancellationToken ct)
    {
        await using var host = ServiceHost.Start(path, SweepAt);
        var (result, firstMs) = first ? await Sweep(host, SweepAt, ct) : ((EscalationResult?)null, 0);
        var digests = first ? await RenderDigests(host, path, ct) : null;
        var (second, secondMs) = await Sweep(host, SecondAt, ct);
        return new EscalationRun(result, firstMs, second, secondMs, digests);
    }

    /// <summary>Renders every digest the first sweep queued, as the dispatcher would when it first takes each (each under 256 KB).</summary>
    private static async Task<DigestSizes?> RenderDigests(ServiceHost host, string path, CancellationToken ct)
    {
        var mails = new List<(Guid Id, string Name, string Role)>();
        using (var connection = DatabaseFile.Open(path))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT m.id, m.to_name, u.role FROM mail_outbox m JOIN escalation_digests d ON d.mail_id = m.id JOIN users u ON u.id = d.user_id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                mails.Add((Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (mails.Count == 0)
        {
            return null;
        }

        var sizes = new List<(int Bytes, string Role)>();
        var started = Stopwatch.GetTimestamp();
        foreach (var (id, name, role) in mails)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var mail = await scope.ServiceProvider.GetRequiredService<NoticeMailer>().Render(new Hazards.Api.Infrastructure.Mail.MailToRender(id, name), ct);
            sizes.Add((Encoding.UTF8.GetByteCount(mail.Subject) + Encoding.UTF8.GetByteCount(mail.HtmlBody) + Encoding.UTF8.GetByteCount(mail.TextBody), role));
        }

        var renderMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var largest = sizes.MaxBy(s => s.Bytes);
        return new DigestSizes(sizes.Count, largest.Bytes, largest.Role, sizes.Select(s => s.Bytes).Order().ElementAt(sizes.Count / 2), renderMs);
    }

    private static async Task<(EscalationResult Result, double Milliseconds)> Sweep(ServiceHost host, DateTimeOffset at, CancellationToken ct)
    {
        host.Clock.Now = at;
        Quiesce();
        var started = Stopwatch.GetTimestamp();
        EscalationResult result;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new EscalateCasesCommand(), ct);
        }

        return (result, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// The handler's notice statements alone, bound as it binds them, in one transaction on a plain
    /// connection. The letter counters move after each kind that added notices, as in the handler: the next
    /// kind numbers its letters after them, and the unique letter index would stop it otherwise.
    /// </summary>
    public static (int Notices, double Milliseconds) RunBare(string path, EscalationLadder ladder)
    {
        var cuts = ladder.CutsAt(SweepAt);
        var policy = ladder.Policy;
        var parameters = new Dictionary<string, object>
        {
            ["@SweepId"] = Guid.CreateVersion7(SweepAt).ToString("D"),
            ["@Now"] = DapperTypes.FormatInstant(SweepAt),
            ["@WarnBy"] = DapperTypes.FormatInstant(cuts.WarnBy),
            ["@Cut1"] = DapperTypes.FormatInstant(cuts.Cut[1]),
            ["@Cut2"] = DapperTypes.FormatInstant(cuts.Cut[2]),
            ["@Cut3"] = DapperTypes.FormatInstant(cuts.Cut[3]),
            ["@Cut4"] = DapperTypes.FormatInstant(cuts.Cut[4]),
            ["@RespondBy"] = DapperTypes.FormatInstant(cuts.RespondBy),
            ["@AcknowledgeBy"] = DapperTypes.FormatInstant(SweepAt.AddHours(policy.AcknowledgeHours)),
            ["@Year"] = ChinaTime.LocalDate(SweepAt).Year,
            ["@ReworksForWarning"] = policy.ReworksForWarning,
            ["@DailyPerStep"] = policy.DailyMissesPerStep,
            ["@WeeklyPerStep"] = policy.WeeklyMissesPerStep,
            ["@MonthlyPerStep"] = policy.MonthlyMissesPerStep,
            ["@MissedSince"] = ChinaTime.LocalDate(SweepAt).AddDays(-90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };

        Quiesce();
        var started = Stopwatch.GetTimestamp();
        var notices = 0;
        using (var connection = DatabaseFile.Open(path))
        using (var transaction = connection.BeginTransaction())
        {
            // The sweep's session widens the page cache (DbSession.WidenCache); the bare statements get the same.
            Execute(connection, transaction, $"PRAGMA cache_size = -{new DatabaseOptions().SqliteBulkCacheKiB}", parameters);
            foreach (var kind in new[] { EscalationSql.InsertFix, EscalationSql.InsertTriage, EscalationSql.InsertVerification, EscalationSql.InsertInspection })
            {
                var added = Execute(connection, transaction, kind.Sqlite, parameters);
                if (added > 0)
                {
                    notices += added;
                    Execute(connection, transaction, EscalationSql.AdvanceLetterSequences.Sqlite, parameters);
                }
            }

            transaction.Commit();
        }

        return (notices, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, Dictionary<string, object> parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value);
            }
        }

        return command.ExecuteNonQuery();
    }

    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
