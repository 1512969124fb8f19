using System.Diagnostics;
using System.Globalization;
using Hazards.Bench.Dataset;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Bench.Escalations;

/// <summary>
/// A city with its people and its cases in one SQLite file, migrated by the service's own <c>Migrator</c>
/// and written deterministically: the network of <see cref="CityGenerator"/> (300,000 units per 1,000,000
/// cases), a user of each role for every district, township, grid and unit, and the cases of
/// <see cref="CaseGenerator"/> up to <see cref="End"/>.
/// </summary>
public static class CaseDataset
{
    /// <summary>A Wednesday: the data ends at its start (00:00 Asia/Shanghai).</summary>
    public static readonly DateOnly EndDay = new(2026, 3, 11);

    public static readonly DateTimeOffset End = ChinaTime.StartOfDay(EndDay);

    /// <summary>Chongqing's 300,000 units for 1,000,000 cases, and proportionally fewer for fewer cases.</summary>
    public static CityShape ShapeFor(int cases) => new(Math.Max(1_000, (int)(cases * 0.3)));

    /// <summary>
    /// The generated city of <c>--cases</c>/<c>--open</c> with its lifecycle, reused when <c>--db</c> (default
    /// <c>&lt;temp&gt;/hazards-bench/reports-&lt;cases&gt;-&lt;open&gt;.db</c>) exists, with any migrations added since applied;
    /// else written there first. 1,000,000 cases take minutes to write.
    /// </summary>
    public static async Task<string> Reused(BenchArgs args, string command, TextWriter output, CancellationToken ct)
    {
        var cases = args.Int("cases", 1_000_000);
        var open = args.Int("open", 200_000);
        var path = Path.GetFullPath(args.Text("db")
            ?? Path.Combine(Path.GetTempPath(), "hazards-bench", string.Create(CultureInfo.InvariantCulture, $"reports-{cases}-{open}.db")));
        if (File.Exists(path))
        {
            output.WriteLine($"{command}: reusing {path} ({new FileInfo(path).Length / 1048576.0:F0} MB), applying any pending migrations");
            await ServiceHost.Migrate(path, ct);
            return path;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{command}: generating {cases:N0} cases, {open:N0} open, into {path}"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        await Generate(partial, cases, open, output, ct, lifecycle: true);
        File.Move(partial, path);
        return path;
    }

    public static async Task<CaseCounts> Generate(string path, int cases, int open, TextWriter log, CancellationToken ct, bool lifecycle = false)
    {
        if (cases < 1 || open < 0 || open > cases)
        {
            throw new ArgumentException("--cases must be positive and --open between 0 and --cases.");
        }

        var started = Stopwatch.GetTimestamp();
        DatabaseFile.Delete(path);
        await ServiceHost.Migrate(path, ct);
        SqliteConnection.ClearAllPools();
        await using var host = ServiceHost.Start(path, End);
        var shape = ShapeFor(cases);
        var city = new CityGenerator(shape, End.AddYears(-3), seed: cases);
        var people = new CaseGenerator(host.Services.GetRequiredService<DeadlineCalculator>(), End, seed: cases + open);
        CaseCounts counts;
        using (var connection = DatabaseFile.Open(path))
        {
            // A rollback journal while the file is written: a fresh file journals next to nothing, where the
            // WAL would hold the whole file once more until the checkpoint copies it back.
            Pragma(connection, "PRAGMA journal_mode = DELETE; PRAGMA cache_size = -524288;");
            using (var transaction = connection.BeginTransaction())
            {
                var units = city.WriteNetwork(connection, transaction, End.AddYears(-2));
                var staff = people.WriteUsers(connection, transaction, units, End.AddYears(-2));
                counts = people.WriteCases(connection, transaction, units, staff, cases, open, lifecycle);
                transaction.Commit();
            }

            Pragma(connection, "PRAGMA journal_mode = WAL;");
        }

        DatabaseFile.Settle(path);
        log.WriteLine(FormattableString.Invariant(
            $"  generated {shape}, {counts}{(lifecycle ? $", {counts.HistoryRows:N0} history rows" : "")} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s ({new FileInfo(path).Length / 1048576.0:F0} MB)"));
        return counts;
    }

    private static void Pragma(SqliteConnection connection, string text)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = text;
        pragma.ExecuteNonQuery();
    }
}
