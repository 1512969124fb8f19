using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Inspections;
using Mediator;

namespace Hazards.Api.Features.Inspections;

/// <summary>
/// Marks every slot whose period ended (plus grace) since the last sweep and holds no record as missed,
/// one set-based INSERT per period over all plans. After downtime it catches up every period it skipped;
/// a second or concurrent run adds nothing, the slot's key forbids it.
/// </summary>
public sealed record SweepMissedChecksCommand : ICommand<SweepResult>;

public sealed record SweepResult(int Periods, int Missed, DateTimeOffset SweptFrom, DateTimeOffset SweptTo);

public sealed class SweepMissedChecksHandler(DbSession db, TimeProvider clock, InspectionOptions options)
    : ICommandHandler<SweepMissedChecksCommand, SweepResult>
{
    public const string Watermark = "cadence:sweep";

    internal static readonly Sql ReadWatermark = Sql.Portable("SELECT swept_to FROM sweep_watermarks WHERE name = @Name");

    // HAVING turns "no plans yet" into no row rather than a NULL, which the instant type handler cannot read.
    internal static readonly Sql EarliestPlan = Sql.Portable("SELECT MIN(created_at) FROM inspection_plans HAVING COUNT(*) > 0");

    private static readonly string InsertMissedBody = $"""
        INSERT INTO inspection_missed (plan_id, period_key, period_start, period_end, consecutive, streak_start, detected_at)
        SELECT p.id, @PeriodKey, @PeriodStart, @PeriodEnd,
               COALESCE((SELECT m.consecutive FROM inspection_missed m WHERE m.plan_id = p.id AND m.period_key = @PreviousKey), 0) + 1,
               COALESCE((SELECT m.streak_start FROM inspection_missed m WHERE m.plan_id = p.id AND m.period_key = @PreviousKey), @PeriodKey),
               @DetectedAt
        FROM inspection_plans p
        WHERE p.cadence = @Cadence
          AND {PlanSlots.Predicate("@PeriodStart", "@PeriodEnd")}
          AND NOT EXISTS (SELECT 1 FROM inspection_records r WHERE r.plan_id = p.id AND r.period_key = @PeriodKey)
        """;

    internal static readonly Sql InsertMissed = new(
        $"{InsertMissedBody} AND NOT EXISTS (SELECT 1 FROM inspection_missed x WHERE x.plan_id = p.id AND x.period_key = @PeriodKey)",
        $"{InsertMissedBody} AND NOT EXISTS (SELECT 1 FROM inspection_missed x WITH (UPDLOCK, HOLDLOCK) WHERE x.plan_id = p.id AND x.period_key = @PeriodKey)");

    internal static readonly Sql SaveWatermark = new(
        """
        INSERT INTO sweep_watermarks (name, swept_to) VALUES (@Name, @SweptTo)
        ON CONFLICT (name) DO UPDATE SET swept_to = excluded.swept_to WHERE excluded.swept_to > sweep_watermarks.swept_to
        """,
        """
        MERGE sweep_watermarks WITH (HOLDLOCK) AS t
        USING (SELECT @Name AS name, @SweptTo AS swept_to) AS s ON t.name = s.name
        WHEN MATCHED AND s.swept_to > t.swept_to THEN UPDATE SET swept_to = s.swept_to
        WHEN NOT MATCHED THEN INSERT (name, swept_to) VALUES (s.name, s.swept_to);
        """);

    public async ValueTask<SweepResult> Handle(SweepMissedChecksCommand command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var from = await db.Single<DateTimeOffset?>(ReadWatermark, new { Name = Watermark }, ct)
            ?? await db.Single<DateTimeOffset?>(EarliestPlan, null, ct)
            ?? now;
        var periods = 0;
        var missed = 0;
        foreach (var cadence in Enum.GetValues<Cadence>())
        {
            foreach (var period in Period.EndedBetween(cadence, from, now, options.Grace))
            {
                periods++;
                missed += await db.Execute(InsertMissed, new
                {
                    Cadence = Wire.Name(cadence),
                    PeriodKey = period.Key,
                    PeriodStart = period.Start,
                    PeriodEnd = period.End,
                    PreviousKey = period.Previous().Key,
                    DetectedAt = now,
                }, ct);
            }
        }

        await db.Execute(SaveWatermark, new { Name = Watermark, SweptTo = now }, ct);
        return new SweepResult(periods, missed, from, now);
    }
}
