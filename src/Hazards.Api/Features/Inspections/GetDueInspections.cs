using System.Globalization;
using Dapper;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Inspections;
using Mediator;

namespace Hazards.Api.Features.Inspections;

/// <summary>The caller's slots: the current period of every plan in scope (due, done or late) and the missed ones of the last 30 days.</summary>
public sealed record GetDueInspectionsQuery(Guid? UnitId, string? GridCode, string? Cadence, string? State, int? Limit, string? Cursor)
    : IQuery<SlotPage>;

public sealed record SlotView(Guid PlanId, string PlanName, Guid? UnitId, string? GridCode, Cadence Cadence, string Period,
    DateOnly PeriodStart, DateOnly PeriodEnd, SlotState State, Guid? RecordId, int? ConsecutiveMisses);

public sealed record SlotPage(IReadOnlyList<SlotView> Items, string? NextCursor);

public sealed class GetDueInspectionsHandler(DbSession db, ICurrentUser user, TimeProvider clock, InspectionOptions options, UnitScope units)
    : IQueryHandler<GetDueInspectionsQuery, SlotPage>
{
    internal static readonly Sql GridPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code AND level = 'grid'");

    private const string PlanScope = """
        ((@IsUnitOfficer = 0 AND p.org_path >= @PathFrom AND p.org_path < @PathTo)
         OR (@IsUnitOfficer = 1 AND p.unit_id IN (SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = @UserId)))
        AND (@UnitId IS NULL OR p.unit_id = @UnitId)
        AND (@GridCode IS NULL OR p.grid_code = @GridCode OR p.unit_id IN (SELECT gu.id FROM units gu WHERE gu.grid_code = @GridCode))
        AND (@Cadence IS NULL OR p.cadence = @Cadence)
        """;

    internal static readonly Sql Current = Sql.Portable($"""
        SELECT p.id AS PlanId, p.name AS PlanName, p.unit_id AS UnitId, p.grid_code AS GridCode, p.cadence AS Cadence,
               r.id AS RecordId, r.late AS Late
        FROM inspection_plans p
        LEFT JOIN inspection_records r ON r.plan_id = p.id
            AND r.period_key = CASE p.cadence WHEN 'daily' THEN @DayKey WHEN 'weekly' THEN @WeekKey ELSE @MonthKey END
        WHERE {PlanScope}
          AND {PlanSlots.Predicate(
              "CASE p.cadence WHEN 'daily' THEN @DayStart WHEN 'weekly' THEN @WeekStart ELSE @MonthStart END",
              "CASE p.cadence WHEN 'daily' THEN @DayEnd WHEN 'weekly' THEN @WeekEnd ELSE @MonthEnd END")}
        ORDER BY p.id
        """);

    internal static readonly Sql Missed = Sql.Portable($"""
        SELECT p.id AS PlanId, p.name AS PlanName, p.unit_id AS UnitId, p.grid_code AS GridCode, p.cadence AS Cadence,
               m.period_key AS PeriodKey, m.consecutive AS Consecutive
        FROM inspection_missed m
        JOIN inspection_plans p ON p.id = m.plan_id
        WHERE {PlanScope} AND m.period_end >= @Since
        ORDER BY m.period_end DESC, p.id
        """);

    public async ValueTask<SlotPage> Handle(GetDueInspectionsQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var limit = Paging.Limit(query.Limit);

        // A filter naming a unit or grid outside the caller's scope is a 404, as on every other route (design §2).
        if (query.UnitId is { } unitId && !await units.IsVisible(unitId, actor, ct))
        {
            throw ProblemException.NotFound("unit");
        }

        if (query.GridCode is not null
            && (await db.Single<string>(GridPath, new { Code = query.GridCode }, ct) is not { } gridPath || !actor.CoversPath(gridPath)))
        {
            throw ProblemException.NotFound("grid");
        }

        var state = Parse<SlotState>(query.State, "state");
        var cadence = Parse<Cadence>(query.Cadence, "cadence");
        var now = clock.GetUtcNow();
        var day = Period.ContainingInstant(Cadence.Daily, now);
        var week = Period.ContainingInstant(Cadence.Weekly, now);
        var month = Period.ContainingInstant(Cadence.Monthly, now);
        var parameters = new DynamicParameters(new
        {
            IsUnitOfficer = actor.Role == Role.UnitOfficer ? 1 : 0,
            actor.PathFrom,
            actor.PathTo,
            actor.UserId,
            query.UnitId,
            query.GridCode,
            Cadence = cadence is { } c ? Wire.Name(c) : null,
            DayKey = day.Key,
            WeekKey = week.Key,
            MonthKey = month.Key,
            DayStart = day.Start,
            WeekStart = week.Start,
            MonthStart = month.Start,
            DayEnd = day.End,
            WeekEnd = week.End,
            MonthEnd = month.End,
            Since = ChinaTime.Today(now).AddDays(-30),
        });

        var slots = new List<SlotView>();
        if (state is null or SlotState.Due or SlotState.Done or SlotState.Late)
        {
            // A period that ended less than the grace ago can still be filled (late), so it is listed beside the current one.
            var inGrace = new[] { day, week, month }.Select(p => p.Previous()).Where(p => now < p.EndsAt + options.Grace).ToDictionary(p => p.Cadence);
            slots.AddRange(await Slots(parameters, new[] { day, week, month }.ToDictionary(p => p.Cadence), ct));
            if (inGrace.Count > 0)
            {
                slots.AddRange(await Slots(CurrentParameters(parameters, inGrace), inGrace, ct));
            }
        }

        if (state is null or SlotState.Missed)
        {
            slots.AddRange((await db.Query<MissedRow>(Missed, parameters, ct)).Select(r =>
            {
                var rowCadence = Wire.Parse<Cadence>(r.Cadence);
                var period = Period.Parse(rowCadence, r.PeriodKey);
                return new SlotView(r.PlanId, r.PlanName, r.UnitId, r.GridCode, rowCadence, period.Key, period.Start, period.End, SlotState.Missed, null, r.Consecutive);
            }));
        }

        var filtered = slots.Where(s => state is null || s.State == state).ToList();
        var offset = DecodeCursor(query.Cursor);
        var page = filtered.Skip(offset).Take(limit).ToList();
        return new SlotPage(page, offset + limit < filtered.Count ? EncodeCursor(offset + limit) : null);
    }

    private async Task<IEnumerable<SlotView>> Slots(DynamicParameters parameters, IReadOnlyDictionary<Cadence, Period> periods, CancellationToken ct) =>
        (await db.Query<CurrentRow>(Current, parameters, ct))
            .Select(r => (Row: r, Cadence: Wire.Parse<Cadence>(r.Cadence)))
            .Where(r => periods.ContainsKey(r.Cadence))
            .Select(r =>
            {
                var period = periods[r.Cadence];
                var slotState = r.Row.RecordId is null ? SlotState.Due : r.Row.Late ? SlotState.Late : SlotState.Done;
                return new SlotView(r.Row.PlanId, r.Row.PlanName, r.Row.UnitId, r.Row.GridCode, r.Cadence, period.Key, period.Start, period.End,
                    slotState, r.Row.RecordId, null);
            });

    /// <summary>The same filters with the period keys and starts of <paramref name="periods"/> in place of the current ones.</summary>
    private static DynamicParameters CurrentParameters(DynamicParameters parameters, IReadOnlyDictionary<Cadence, Period> periods)
    {
        var copy = new DynamicParameters(parameters);
        foreach (var (cadence, name) in new[] { (Cadence.Daily, "Day"), (Cadence.Weekly, "Week"), (Cadence.Monthly, "Month") })
        {
            if (periods.TryGetValue(cadence, out var period))
            {
                copy.Add($"{name}Key", period.Key);
                copy.Add($"{name}Start", period.Start);
                copy.Add($"{name}End", period.End);
            }
        }

        return copy;
    }

    private static TEnum? Parse<TEnum>(string? value, string name)
        where TEnum : struct, Enum =>
        value is null ? null
        : Wire.TryParse<TEnum>(value, out var parsed) ? parsed
        : throw ProblemException.BadRequest("request.invalid_filter", $"'{value}' is not a known {name}.");

    private static string EncodeCursor(int offset) => Cursor.Encode("s1", offset.ToString(CultureInfo.InvariantCulture));

    private static int DecodeCursor(string? cursor) =>
        Cursor.Decode(cursor, "s1", 1) is not { } fields ? 0 : Cursor.Number(fields[0]);

    private sealed class CurrentRow
    {
        public Guid PlanId { get; set; }
        public string PlanName { get; set; } = "";
        public Guid? UnitId { get; set; }
        public string? GridCode { get; set; }
        public string Cadence { get; set; } = "";
        public Guid? RecordId { get; set; }
        public bool Late { get; set; }
    }

    private sealed class MissedRow
    {
        public Guid PlanId { get; set; }
        public string PlanName { get; set; } = "";
        public Guid? UnitId { get; set; }
        public string? GridCode { get; set; }
        public string Cadence { get; set; } = "";
        public string PeriodKey { get; set; } = "";
        public int Consecutive { get; set; }
    }
}
