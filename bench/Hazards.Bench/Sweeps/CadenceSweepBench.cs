using System.Diagnostics;
using System.Globalization;
using Hazards.Api.Features.Inspections;
using Hazards.Api.Infrastructure.Data;
using Hazards.Bench.Dataset;
using Hazards.Domain.Calendar;
using Hazards.Domain.Inspections;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Bench.Sweeps;

public sealed record SweepRun(int Rows, double Milliseconds);

public sealed record SweepMeasurement(CityShape Shape, int Plans, int Records, int Missed, IReadOnlyList<double> SweepMs, IReadOnlyList<double> BareMs);

/// <summary>
/// The missed-check sweep over N daily plans for one day: the service's own
/// <see cref="SweepMissedChecksCommand"/> through its pipeline, beside the handler's INSERT run bare.
/// Each run works on a fresh copy of one generated file, so every run finds the same slots to fill.
/// </summary>
public sealed class CadenceSweepBench(string folder, TextWriter log)
{
    /// <summary>A Wednesday in mid-March: of the three cadences only the daily period ends that night.</summary>
    public static readonly DateOnly Day = new(2026, 3, 11);

    public static readonly Period DailyPeriod = Period.Containing(Cadence.Daily, Day);

    /// <summary>The last sweep ran a minute before the day ended, so this one has exactly that day to catch up.</summary>
    public static readonly DateTimeOffset Watermark = DailyPeriod.EndsAt.AddMinutes(-1);

    /// <summary>03:00 the next morning in Asia/Shanghai: the day ended and its grace (2 hours) has passed.</summary>
    public static readonly DateTimeOffset SweepAt = ChinaTime.StartOfDay(Day.AddDays(1)).AddHours(3);

    public const double RecordShare = 0.10;

    public async Task<SweepMeasurement> Measure(int plans, int repeats, CancellationToken ct)
    {
        var pristine = Path.Combine(folder, $"sweep-{plans}.db");
        var (shape, records) = await Generate(pristine, plans, ct);
        var expected = plans - records;
        var sweeps = new List<double>();
        var bares = new List<double>();
        var sweepCopy = Path.Combine(folder, $"sweep-{plans}.service.db");
        var bareCopy = Path.Combine(folder, $"sweep-{plans}.bare.db");
        try
        {
            for (var r = 0; r < repeats; r++)
            {
                DatabaseFile.Copy(pristine, sweepCopy);
                DatabaseFile.Copy(pristine, bareCopy);

                // Alternate which path runs first, so neither always meets a warmer machine.
                SweepRun service, bare;
                if (r % 2 == 0)
                {
                    service = await RunService(sweepCopy, ct);
                    bare = RunBare(bareCopy);
                }
                else
                {
                    bare = RunBare(bareCopy);
                    service = await RunService(sweepCopy, ct);
                }

                Check("service sweep", service.Rows, expected);
                Check("bare SQL", bare.Rows, expected);
                sweeps.Add(service.Milliseconds);
                bares.Add(bare.Milliseconds);
                log.WriteLine(FormattableString.Invariant($"  run {r + 1}: sweep {service.Milliseconds,8:F1} ms   bare {bare.Milliseconds,8:F1} ms   rows {service.Rows:N0}"));
            }
        }
        finally
        {
            DatabaseFile.Delete(sweepCopy);
            DatabaseFile.Delete(bareCopy);
        }

        return new SweepMeasurement(shape, plans, records, expected, sweeps, bares);
    }

    /// <summary>A fresh, migrated file with the city, one daily plan per unit, records for ~10% of them on the day, and the watermark.</summary>
    public async Task<(CityShape Shape, int Records)> Generate(string path, int plans, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        DatabaseFile.Delete(path);
        await ServiceHost.Migrate(path, ct);

        var shape = new CityShape(plans);
        var generator = new CityGenerator(shape, ChinaTime.StartOfDay(Day.AddYears(-1)), seed: plans);
        int records;
        using (var connection = DatabaseFile.Open(path))
        {
            using (var cache = connection.CreateCommand())
            {
                cache.CommandText = "PRAGMA cache_size = -262144;";
                cache.ExecuteNonQuery();
            }

            using var transaction = connection.BeginTransaction();
            var units = generator.WriteNetwork(connection, transaction, ChinaTime.StartOfDay(Day));
            var written = generator.WriteDailyPlans(connection, transaction, units, Day);
            records = generator.WriteRecords(connection, transaction, written, DailyPeriod, RecordShare);
            using (var watermark = connection.CreateCommand())
            {
                watermark.Transaction = transaction;
                watermark.CommandText = "INSERT INTO sweep_watermarks (name, swept_to) VALUES (@Name, @SweptTo)";
                watermark.Parameters.AddWithValue("@Name", SweepMissedChecksHandler.Watermark);
                watermark.Parameters.AddWithValue("@SweptTo", DapperTypes.FormatInstant(Watermark));
                watermark.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        DatabaseFile.Settle(path);
        log.WriteLine(FormattableString.Invariant(
            $"  generated {shape}, {plans:N0} daily plans, {records:N0} records in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s ({new FileInfo(path).Length / 1048576.0:F0} MB)"));
        return (shape, records);
    }

    /// <summary>The service's sweep, as its job sends it: a scope, the app's sender, the whole pipeline.</summary>
    public static async Task<SweepRun> RunService(string path, CancellationToken ct)
    {
        await using var host = ServiceHost.Start(path, SweepAt);
        host.Clock.Now = SweepAt;
        Quiesce();
        var started = Stopwatch.GetTimestamp();
        SweepResult result;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SweepMissedChecksCommand(), ct);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (result.Periods != 1)
        {
            throw new InvalidOperationException($"The sweep walked {result.Periods} periods; the scenario has exactly one (the daily period of {Day:yyyy-MM-dd}).");
        }

        return new SweepRun(result.Missed, elapsed);
    }

    /// <summary>The handler's INSERT for the daily period, bound and run on a plain connection in one transaction.</summary>
    public static SweepRun RunBare(string path, string? sql = null)
    {
        Quiesce();
        var started = Stopwatch.GetTimestamp();
        int rows;
        using (var connection = DatabaseFile.Open(path))
        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = sql ?? SweepMissedChecksHandler.InsertMissed.Sqlite;
            Bind(insert);
            rows = insert.ExecuteNonQuery();
            transaction.Commit();
        }

        return new SweepRun(rows, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static void Bind(SqliteCommand insert)
    {
        string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        insert.Parameters.AddWithValue("@Cadence", Wire.Name(Cadence.Daily));
        insert.Parameters.AddWithValue("@PeriodKey", DailyPeriod.Key);
        insert.Parameters.AddWithValue("@PeriodStart", Day(DailyPeriod.Start));
        insert.Parameters.AddWithValue("@PeriodEnd", Day(DailyPeriod.End));
        insert.Parameters.AddWithValue("@PreviousKey", DailyPeriod.Previous().Key);
        insert.Parameters.AddWithValue("@DetectedAt", DapperTypes.FormatInstant(SweepAt));
    }

    private static void Check(string what, int rows, int expected)
    {
        if (rows != expected)
        {
            throw new InvalidOperationException($"The {what} added {rows:N0} missed slots; {expected:N0} plans had no record.");
        }
    }

    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
