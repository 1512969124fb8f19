using System.Globalization;
using Hazards.Bench.Reporting;
using Hazards.Domain.Calendar;

namespace Hazards.Bench.Sweeps;

/// <summary><c>sweep</c>: the missed-check sweep beside its bare SQL at each scale, then how its cost grows.</summary>
public static class SweepCommand
{
    private const int WarmUpPlans = 2_000;

    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        args.RejectUnknown("plans", "repeats", "db");
        var scales = args.Ints("plans", 30_000, 300_000);
        var repeats = args.Int("repeats", 3);
        if (scales.Count == 0 || scales.Any(s => s < 1) || repeats < 1)
        {
            throw new ArgumentException("--plans needs positive counts and --repeats at least 1.");
        }

        var keep = args.Text("db") is not null;
        var folder = Path.GetFullPath(args.Text("db") ?? Path.Combine(Path.GetTempPath(), "hazards-bench", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(folder);
        var local = TimeZoneInfo.ConvertTime(CadenceSweepBench.SweepAt, ChinaTime.Zone);
        output.WriteLine(F($"sweep: day {CadenceSweepBench.Day:yyyy-MM-dd}, watermark {CadenceSweepBench.Watermark:yyyy-MM-dd HH:mm}Z, swept at {local:yyyy-MM-dd HH:mm} Asia/Shanghai ({CadenceSweepBench.SweepAt:yyyy-MM-dd HH:mm}Z)"));
        output.WriteLine($"{repeats} run(s) per scale, files in {folder}");
        output.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite {SqliteVersion()}");

        var bench = new CadenceSweepBench(folder, output);
        try
        {
            // JIT and first-use costs of both paths are paid here, outside any figure.
            output.WriteLine($"warm-up at {WarmUpPlans:N0} plans (not reported)");
            await bench.Measure(WarmUpPlans, 1, ct);
            File.Delete(Path.Combine(folder, $"sweep-{WarmUpPlans}.db"));

            var results = new List<SweepMeasurement>();
            foreach (var plans in scales.Order())
            {
                output.WriteLine(FormattableString.Invariant($"scale {plans:N0} plans"));
                results.Add(await bench.Measure(plans, repeats, ct));
                if (!keep)
                {
                    File.Delete(Path.Combine(folder, $"sweep-{plans}.db"));
                }
            }

            output.WriteLine();
            output.Write(Table(results));
            output.WriteLine();
            output.WriteLine(Growth(results));
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

    private static MarkdownTable Table(IReadOnlyList<SweepMeasurement> results)
    {
        var table = new MarkdownTable("scale", "plans", "rows missed", "sweep ms", "bare ms", "sweep/bare");
        foreach (var m in results)
        {
            var sweep = Stats.Median(m.SweepMs);
            var bare = Stats.Median(m.BareMs);
            table.Add(F($"{m.Shape.Scale:0.###}"), F($"{m.Plans:N0}"), F($"{m.Missed:N0}"), F($"{sweep:F1}"), F($"{bare:F1}"), F($"{sweep / bare:F2}"));
        }

        return table;
    }

    private static string Growth(IReadOnlyList<SweepMeasurement> results)
    {
        if (results.Count < 2)
        {
            return "growth: one scale only, nothing to compare";
        }

        var (small, large) = (results[0], results[^1]);
        var plans = (double)large.Plans / small.Plans;
        var sweep = Stats.Median(large.SweepMs) / Stats.Median(small.SweepMs);
        var bare = Stats.Median(large.BareMs) / Stats.Median(small.BareMs);
        return F($"growth {small.Plans:N0} → {large.Plans:N0} plans: plans ×{plans:F2}, sweep time ×{sweep:F2}, bare time ×{bare:F2} (sweep time per plan ×{sweep / plans:F2})");
    }

    private static string SqliteVersion()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
