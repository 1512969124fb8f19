using System.Diagnostics;
using System.Globalization;
using Hazards.Api.Features.Calendar;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Bench.Escalations;
using Hazards.Bench.Reporting;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Bench.Calendar;

/// <summary>
/// <c>recalculate</c>: what loading a notice costs on the generated city. The notice is the
/// built-in 2026 with one more holiday, Monday 2026-03-16, on the data's last day 2026-03-11: every open
/// deadline counted across that Monday moves one working day. Each run is the service's
/// <see cref="DeadlineRecalculation"/> in one transaction, rolled back afterwards, so every run sees the same file.
/// </summary>
public static class RecalculateCommand
{
    public static readonly DateOnly ExtraHoliday = new(2026, 3, 16);

    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        args.RejectUnknown("cases", "open", "repeats", "db");
        var repeats = args.Int("repeats", 3);
        var path = await CaseDataset.Reused(args, "recalculate", output, ct);

        var before = WorkdayCalendar.Default;
        var after = new WorkdayCalendar(before.Days.Append(new CalendarDay(ExtraHoliday, DayKind.Holiday, "bench")));
        var actor = new Actor(Guid.Empty, "bench-admin", "bench", "bench@hazards.example", Role.CityAdmin, "500000", "500000/", []);
        output.WriteLine(F($"notice: the built-in 2026 plus a holiday on {ExtraHoliday:yyyy-MM-dd}; clock {CaseDataset.End:yyyy-MM-dd HH:mm}Z; {repeats} run(s), each rolled back"));

        await using var host = ServiceHost.Start(path, CaseDataset.End);
        var table = new MarkdownTable("run", "triage", "fix", "verification", "notice answers", "recalculation ms");
        var times = new List<double>();
        for (var run = 0; run <= repeats; run++)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            var recalculation = scope.ServiceProvider.GetRequiredService<DeadlineRecalculation>();
            var started = Stopwatch.GetTimestamp();
            await db.Begin(ct);
            var moved = await recalculation.Run(before, after, 2026, actor, CaseDataset.End, ct);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await db.Rollback();
            if (run == 0)
            {
                output.WriteLine(F($"warm-up (not reported): {ms:F0} ms"));
                continue;
            }

            times.Add(ms);
            table.Add(F($"{run}"), F($"{moved.Triage:N0}"), F($"{moved.Fix:N0}"), F($"{moved.Verification:N0}"), F($"{moved.EscalationResponse:N0}"), F($"{ms:F0}"));
        }

        output.WriteLine();
        output.Write(table);
        output.WriteLine(F($"median {Stats.Median(times):F0} ms"));
        return 0;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
