using System.Globalization;
using Hazards.Bench.Dataset;
using Hazards.Bench.Escalations;
using Hazards.Bench.Reporting;

namespace Hazards.Bench.Reports;

/// <summary><c>reports</c>: the clearance report of the city and of one district beside its main GROUP BY alone.</summary>
public static class ReportsCommand
{
    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        args.RejectUnknown("cases", "open", "repeats", "db", "units", "sql", "bare");
        var repeats = args.Int("repeats", 3);
        var units = (args.Text("units") ?? "500000,500103").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (repeats < 1 || units.Length == 0)
        {
            throw new ArgumentException("--repeats must be at least 1 and --units name at least one org unit.");
        }

        var path = await CaseDataset.Reused(args, "reports", output, ct);

        output.WriteLine(F($"period {ReportBench.From:yyyy-MM-dd}..{ReportBench.To:yyyy-MM-dd} (the last 7 days of the data), clock {ReportBench.Now:yyyy-MM-dd HH:mm}Z, actor '{ReportBench.Login}' (cityAdmin)"));
        output.WriteLine($"{repeats} run(s) per scope; machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite {ReportBench.SqliteVersion()}");

        var alternativeSql = args.Text("bare") is { } alternative ? await File.ReadAllTextAsync(alternative, ct) : null;
        var bench = new ReportBench(path, output, alternativeSql);
        if (alternativeSql is not null)
        {
            output.WriteLine($"bare: the statement in {args.Text("bare")} instead of ReportSql.Cases (a what-if)");
        }

        if (args.Text("sql") is { } script)
        {
            // The bare statement of each unit as a sqlite3 script, for EXPLAIN QUERY PLAN and timing in the shell.
            await File.WriteAllTextAsync(script, string.Concat(units.Select(bench.Script)), ct);
            output.WriteLine($"wrote the bare statements to {script}");
        }

        // JIT and first use of both paths, outside any figure.
        output.WriteLine("warm-up (not reported)");
        await bench.Measure(units[^1], 1, ct);

        var results = new List<ReportMeasurement>();
        foreach (var unit in units)
        {
            results.Add(await bench.Measure(unit, repeats, ct));
        }

        output.WriteLine();
        var table = new MarkdownTable("scope", "cases", "open at end", "groups", "report ms", "report cpu ms", "bare ms", "report/bare");
        foreach (var m in results)
        {
            var report = Stats.Median(m.ReportMs);
            var bare = Stats.Median(m.BareMs);
            table.Add(F($"{m.Scope} {m.Name}"), F($"{m.Cases:N0}"), F($"{m.OpenAtEnd:N0}"), F($"{m.Groups:N0}"), F($"{report:F1}"), F($"{Stats.Median(m.ReportCpuMs):F1}"),
                F($"{bare:F1}"), F($"{report / bare:F2}"));
        }

        output.Write(table);
        return 0;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
