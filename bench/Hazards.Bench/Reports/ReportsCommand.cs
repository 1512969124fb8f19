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
        var cases = args.Int("cases", 1_000_000);
        var open = args.Int("open", 200_000);
        var repeats = args.Int("repeats", 3);
        var units = (args.Text("units") ?? "500000,500103").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (repeats < 1 || units.Length == 0)
        {
            throw new ArgumentException("--repeats must be at least 1 and --units name at least one org unit.");
        }

        // The generated file is kept and reused: 1,000,000 cases take minutes to write.
        var path = Path.GetFullPath(args.Text("db")
            ?? Path.Combine(Path.GetTempPath(), "hazards-bench", F($"reports-{cases}-{open}.db")));
        if (File.Exists(path))
        {
            // A file written by an older build gets the migrations added since (e.g. the report's indexes).
            output.WriteLine($"reports: reusing {path} ({new FileInfo(path).Length / 1048576.0:F0} MB), applying any pending migrations");
            await ServiceHost.Migrate(path, ct);
        }
        else
        {
            output.WriteLine(F($"reports: generating {cases:N0} cases, {open:N0} open, into {path}"));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var partial = path + ".partial";
            await CaseDataset.Generate(partial, cases, open, output, ct, lifecycle: true);
            File.Move(partial, path);
        }

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
