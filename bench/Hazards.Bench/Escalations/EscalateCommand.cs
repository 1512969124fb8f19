using System.Globalization;
using Hazards.Bench.Reporting;
using Hazards.Domain.Calendar;

namespace Hazards.Bench.Escalations;

/// <summary><c>escalate</c>: the escalation sweep beside its bare SQL, and its second run, at each scale.</summary>
public static class EscalateCommand
{
    private const int WarmUpCases = 20_000;

    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        args.RejectUnknown("cases", "open", "scales", "repeats", "db", "sweep-up-to");
        var cases = args.Int("cases", 1_000_000);
        var open = args.Int("open", 200_000);
        var scales = args.Text("scales") is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()
            : [1.0];
        var repeats = args.Int("repeats", 3);
        var sweepUpTo = args.Int("sweep-up-to", int.MaxValue);
        if (cases < 1 || open < 1 || open > cases || scales.Length == 0 || scales.Any(s => s <= 0 || s > 1) || repeats < 1)
        {
            throw new ArgumentException("--cases and --open need positive counts with open ≤ cases, --scales factors in (0, 1], --repeats at least 1.");
        }

        var keep = args.Text("db") is not null;
        var folder = Path.GetFullPath(args.Text("db") ?? Path.Combine(Path.GetTempPath(), "hazards-bench", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(folder);
        output.WriteLine(F($"escalate: data up to {CaseDataset.End:yyyy-MM-dd HH:mm}Z, swept at {TimeZoneInfo.ConvertTime(EscalationBench.SweepAt, ChinaTime.Zone):yyyy-MM-dd HH:mm} Asia/Shanghai ({EscalationBench.SweepAt:yyyy-MM-dd HH:mm}Z), again 15 minutes later"));
        output.WriteLine($"{repeats} run(s) per scale, files in {folder}");
        output.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite {SqliteVersion()}");

        var bench = new EscalationBench(folder, output);
        try
        {
            // JIT and first-use costs of both paths are paid here, outside any figure.
            output.WriteLine($"warm-up at {WarmUpCases:N0} cases (not reported)");
            await bench.Measure(WarmUpCases, WarmUpCases / 5, 1, sweep: true, ct);
            File.Delete(bench.PristinePath(WarmUpCases, WarmUpCases / 5));

            var results = new List<EscalationMeasurement>();
            foreach (var scale in scales.Order())
            {
                var (n, m) = ((int)Math.Round(cases * scale), (int)Math.Round(open * scale));
                output.WriteLine(F($"scale {scale:0.###}: {n:N0} cases, {m:N0} open{(n > sweepUpTo ? "; the service's first sweep is not run (--sweep-up-to)" : "")}"));
                results.Add(await bench.Measure(n, m, repeats, sweep: n <= sweepUpTo, ct));
                if (!keep)
                {
                    File.Delete(bench.PristinePath(n, m));
                }
            }

            output.WriteLine();
            output.Write(Table(results));
            if (results.Any(r => r.Result is null))
            {
                output.WriteLine("¹ the service's sweep with nothing new, on the copy the bare statements wrote (its first sweep not run)");
            }

            return 0;
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static MarkdownTable Table(IReadOnlyList<EscalationMeasurement> results)
    {
        var table = new MarkdownTable("cases", "open", "notices", "recipients", "mails", "largest digest KB", "sweep ms", "bare ms", "sweep/bare", "second-run ms");
        foreach (var m in results)
        {
            var bare = Stats.Median(m.BareMs);
            var second = F($"{Stats.Median(m.SecondMs):F1}");
            if (m.Result is { } result)
            {
                var sweep = Stats.Median(m.SweepMs);
                table.Add(F($"{m.Cases:N0}"), F($"{m.Counts.Open:N0}"), F($"{m.Notices:N0}"), F($"{result.Recipients:N0}"), F($"{result.Mails:N0}"),
                    m.Digests is { } d ? F($"{d.LargestBytes / 1024.0:F1}") : "—", F($"{sweep:F1}"), F($"{bare:F1}"), F($"{sweep / bare:F2}"), second);
            }
            else
            {
                table.Add(F($"{m.Cases:N0}"), F($"{m.Counts.Open:N0}"), F($"{m.Notices:N0}"), "—", "—", "—",
                    "not run", F($"{bare:F1}"), "—", second + " ¹");
            }
        }

        return table;
    }

    private static string SqliteVersion()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
