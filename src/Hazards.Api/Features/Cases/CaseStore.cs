using System.Globalization;
using System.Text.Json;
using Hazards.Api.Features.Attachments;
using Hazards.Api.Features.Calendar;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// The case aggregate's SQL and the only writer of <c>cases</c>: load within the caller's scope, insert, and save a
/// change together with its history row. The statements are built from <see cref="CaseColumns"/>.
/// </summary>
public sealed class CaseStore(DbSession db, CaseHistory history, EvidenceLinks evidence)
{
    internal static readonly Sql ById = Sql.Portable($"SELECT {CaseColumns.Select} FROM cases c WHERE c.id = @Id");

    // The read of an action: the case and the last row of its history, where the action's row continues the chain. The
    // row is held until the action commits (SQLite: the session's writer gate; SQL Server: an update lock on the row),
    // so the version compared after this read is the one the update replaces, and the update needs no second check.
    private static string ForChangeText(string hint) => $"""
        SELECT {CaseColumns.Select}, h.seq AS Seq, h.hash AS Hash
        FROM cases c{hint}
        LEFT JOIN case_history h ON h.case_id = c.id AND h.seq = (SELECT MAX(l.seq) FROM case_history l WHERE l.case_id = c.id)
        WHERE c.id = @Id
        """;

    internal static readonly Sql ForChange = new(ForChangeText(""), ForChangeText(" WITH (UPDLOCK, ROWLOCK)"));

    internal static readonly Sql Insert = Sql.Portable(CaseColumns.InsertText);

    internal static readonly Sql Update = Sql.Portable(CaseColumns.UpdateText);

    internal static readonly Sql NextCodeValue = new(
        """
        INSERT INTO case_code_sequences (district_code, year, last_value) VALUES (@DistrictCode, @Year, 1)
        ON CONFLICT (district_code, year) DO UPDATE SET last_value = last_value + 1
        RETURNING last_value
        """,
        """
        MERGE case_code_sequences WITH (HOLDLOCK) AS t
        USING (SELECT @DistrictCode AS district_code, @Year AS year) AS s
        ON t.district_code = s.district_code AND t.year = s.year
        WHEN MATCHED THEN UPDATE SET last_value = t.last_value + 1
        WHEN NOT MATCHED THEN INSERT (district_code, year, last_value) VALUES (s.district_code, s.year, 1)
        OUTPUT inserted.last_value;
        """);

    /// <summary><see cref="HazardCase.Escalate"/> for every case the sweep wrote a notice for: each shows its highest new step.</summary>
    internal static readonly Sql EscalateSweep = new(
        EscalateFrom("cases", $"FROM ({SweepSteps}) AS s WHERE cases.id = s.case_id AND {EscalatesFrom("cases")}"),
        EscalateFrom("c", $"FROM cases c JOIN ({SweepSteps}) AS s ON c.id = s.case_id WHERE {EscalatesFrom("c")}"));

    /// <summary>The sweep's escalated cases with the last row of each one's history, where the sweep's rows continue the chain.</summary>
    internal static readonly Sql EscalatedCases = Sql.Portable("""
        SELECT n.case_id AS CaseId, n.id AS NoticeId, n.step AS Step, n.subject_kind AS SubjectKind, c.status AS Status, c.listed AS Listed,
               h.seq AS LastSeq, h.hash AS LastHash
        FROM escalation_notices n
        JOIN cases c ON c.id = n.case_id
        LEFT JOIN case_history h ON h.case_id = n.case_id AND h.seq = (SELECT MAX(l.seq) FROM case_history l WHERE l.case_id = n.case_id)
        WHERE n.sweep_id = @SweepId
        ORDER BY n.case_id, n.step
        """);

    // A calendar correction (DeadlineRecalculation) lengthens each counted deadline that is the old count from its event's day.
    internal static readonly Sql TriageShift = Sql.Portable(Shift("triage_deadline", "reported_at", "s.subject = 'triage'", "status = 'reported'"));

    internal static readonly Sql FixShift = new(
        Shift("deadline", "assigned_at", "s.subject = 'fix:' || cases.sector", "status = 'rectifying' AND level = 'general'"),
        Shift("deadline", "assigned_at", "s.subject = N'fix:' + cases.sector", "status = N'rectifying' AND level = N'general'"));

    internal static readonly Sql VerificationShift = new(
        Shift("verification_deadline", "fix_submitted_at", "s.subject = 'verify:' || cases.level", "status = 'fixSubmitted'"),
        Shift("verification_deadline", "fix_submitted_at", "s.subject = N'verify:' + cases.level", "status = N'fixSubmitted'"));

    // A case whose notice answers later is a changed case: its version moves, as for the deadlines of the case itself.
    internal static readonly Sql ResponseShiftVersions = Sql.Portable($"""
        UPDATE cases SET version = version + 1, updated_at = @Now
        WHERE id IN (
            SELECT escalation_notices.case_id FROM escalation_notices
            WHERE escalation_notices.respond_by >= @OpenFrom AND EXISTS (SELECT 1 FROM calendar_shifts s WHERE {DeadlineRecalculation.ResponseShift}))
        """);

    /// <summary>区划调整: the cases beneath a merged org unit move with it (MergeOrgUnit, in its transaction).</summary>
    internal static readonly Sql MoveOrgUnit = new(
        OrgUnitMoves(MergeOrgUnitHandler.SqliteRebase), OrgUnitMoves(MergeOrgUnitHandler.SqlServerRebase));

    private const string SweepSteps =
        "SELECT n.case_id, MAX(n.step) AS step FROM escalation_notices n WHERE n.sweep_id = @SweepId AND n.case_id IS NOT NULL GROUP BY n.case_id";

    private static readonly Dictionary<string, Sql> Shifts = new(StringComparer.Ordinal)
    {
        ["triage"] = TriageShift,
        ["fix"] = FixShift,
        ["verification"] = VerificationShift,
    };

    /// <summary>The case if it exists and the actor's scope covers it; otherwise 404, so ids cannot be probed.</summary>
    public async Task<(HazardCase Case, CasePlace Place)> Load(Guid id, Actor actor, CancellationToken ct)
    {
        var rows = await db.Query<HazardCaseState, CasePlace, (HazardCaseState, CasePlace)>(
            ById, new { Id = id }, CaseColumns.PlaceStart, (state, place) => (state, place), ct);
        var (state, place) = Visible(rows, actor);
        return (HazardCase.Restore(state), place);
    }

    /// <summary>The case to change, within scope, with the tail of its history; the row stays held until the action commits.</summary>
    public async Task<(HazardCase Case, CasePlace Place, HistoryTail? Tail)> LoadForChange(Guid id, Actor actor, CancellationToken ct)
    {
        var rows = await db.Query<HazardCaseState, CasePlace, HistoryTail?, (HazardCaseState, CasePlace, HistoryTail?)>(
            ForChange, new { Id = id }, $"{CaseColumns.PlaceStart},{nameof(HistoryTail.Seq)}", (state, place, tail) => (state, place, tail), ct);
        var (state, place) = Visible(rows.Select(r => (r.Item1, r.Item2)).ToList(), actor);
        return (HazardCase.Restore(state), place, rows[0].Item3);
    }

    private static (HazardCaseState State, CasePlace Place) Visible(IReadOnlyList<(HazardCaseState State, CasePlace Place)> rows, Actor actor) =>
        rows is [var (state, place)] && CaseScope.Covers(actor, place.OrgPath, state.UnitId, state.ResponsibleUnitId)
            ? (state, place)
            : throw ProblemException.NotFound("case");

    /// <summary>The next code of a district and year (YH-500103-2026-000123); rolled back with the report if it fails.</summary>
    public async Task<string> NextCode(string districtCode, DateTimeOffset reportedAt, CancellationToken ct)
    {
        var year = ChinaTime.LocalDate(reportedAt).Year;
        var value = await db.Scalar<int>(NextCodeValue, new { DistrictCode = districtCode, Year = year }, ct);
        return string.Create(CultureInfo.InvariantCulture, $"YH-{districtCode}-{year}-{value:000000}");
    }

    public async Task Add(HazardCase hazard, CasePlace place, CaseEvent change, string actorLogin, CancellationToken ct)
    {
        await db.Execute(Insert, CaseColumns.Parameters(hazard.ToState(), place, change.At), ct);
        await evidence.Bind(hazard.Id, change.EvidenceIds, actorLogin, ct);
        await history.Append(Draft(hazard.Id, change), null, ct);
    }

    /// <summary>
    /// Writes a move read by <see cref="LoadForChange"/>, whose version the caller compared, with its history row after
    /// <paramref name="tail"/>; returns the case as now stored.
    /// </summary>
    public async Task<HazardCase> Save(HazardCase hazard, CasePlace place, CaseEvent change, HistoryTail? tail, CancellationToken ct)
    {
        var state = hazard.ToState();
        await db.Execute(Update, CaseColumns.Parameters(state, place, change.At), ct);
        await evidence.Bind(hazard.Id, change.EvidenceIds, change.Login, ct);
        await history.Append(Draft(hazard.Id, change), tail, ct);
        return HazardCase.Restore(state with { Version = state.Version + 1 });
    }

    /// <summary>
    /// The sweep's escalation of every case it wrote a notice for, set-based (<see cref="EscalateSweep"/>), and each
    /// notice's history row as <see cref="HazardCase.Escalate"/> records it, chained after each case's last row.
    /// </summary>
    public async Task Escalate(object sweep, DateTimeOffset now, CancellationToken ct)
    {
        await db.Execute(EscalateSweep, sweep, ct);
        var escalated = await db.Query<EscalatedCase>(EscalatedCases, sweep, ct);
        var tails = new Dictionary<Guid, HistoryTail>();
        foreach (var e in escalated)
        {
            if (e.LastHash is { } hash)
            {
                tails.TryAdd(e.CaseId, new HistoryTail { Seq = e.LastSeq, Hash = hash });
            }
        }

        var action = Wire.Name(CaseAction.Escalate);
        await history.AppendMany(escalated.Select(e => new HistoryDraft(e.CaseId, action, e.Status, e.Status, CaseEvent.System, CaseEvent.System, now,
            null, "[]", JsonSerializer.Serialize(HazardCase.EscalationDetails(e.Step, e.SubjectKind, e.NoticeId, e.Listed)))), tails, ct);
    }

    /// <summary>Lengthens the counted deadlines of one kind (triage, fix, verification) by a calendar run's shifts; the caller writes the history.</summary>
    public Task ShiftDeadlines(string kind, object run, CancellationToken ct) => db.Execute(Shifts[kind], run, ct);

    /// <summary>A new version for each case whose notice's answer period a calendar run lengthens.</summary>
    public Task ShiftResponseVersions(object run, CancellationToken ct) => db.Execute(ResponseShiftVersions, run, ct);

    /// <summary>Moves the cases beneath a merged org unit to its sibling: paths by prefix, and the grid code if it was a grid.</summary>
    public Task MoveBeneath(object merge, CancellationToken ct) => db.Execute(MoveOrgUnit, merge, ct);

    // SQLite names the updated table and joins the sweep's steps to it; SQL Server updates an alias of its FROM.
    /// <summary>The states the lifecycle table escalates from, as the UPDATE's own condition: a notice alone moves no other case.</summary>
    private static string EscalatesFrom(string target) =>
        $"{target}.status IN ({string.Join(", ", Lifecycle.EscalatedStates.Select(s => $"'{Wire.Name(s)}'"))})";

    private static string EscalateFrom(string target, string from) => $"""
        UPDATE {target} SET
        {HazardCase.EscalateSet(target)}
            version = {target}.version + 1,
            updated_at = @Now
        {from}
        """;

    private static string Shift(string column, string eventColumn, string subject, string where) => $"""
        UPDATE cases SET {column} = (
            SELECT s.new_due FROM calendar_shifts s
            WHERE s.run_id = @RunId AND {subject} AND cases.{eventColumn} >= s.from_at AND cases.{eventColumn} < s.to_at AND s.old_due = cases.{column}),
            version = version + 1, updated_at = @Now
        WHERE {where} AND EXISTS (
            SELECT 1 FROM calendar_shifts s
            WHERE s.run_id = @RunId AND {subject} AND cases.{eventColumn} >= s.from_at AND cases.{eventColumn} < s.to_at AND s.old_due = cases.{column})
        """;

    private static string OrgUnitMoves(string rebase) => $"""
        UPDATE cases SET org_path = {rebase.Replace("#", "org_path")} WHERE org_path >= @Old AND org_path < @OldTo;
        UPDATE cases SET grid_code = @Into WHERE grid_code = @Code;
        """;

    private static HistoryDraft Draft(Guid caseId, CaseEvent change) =>
        new(caseId, Wire.Name(change.Action), Wire.NameOrNull(change.From), Wire.Name(change.To), change.Login, Wire.NameOrNull(change.Role) ?? CaseEvent.System,
            change.At, change.Reason, JsonSerializer.Serialize(change.EvidenceIds), JsonSerializer.Serialize(change.Details));

    private sealed class EscalatedCase
    {
        public Guid CaseId { get; set; }
        public Guid NoticeId { get; set; }
        public int Step { get; set; }
        public string SubjectKind { get; set; } = "";
        public string Status { get; set; } = "";
        public bool Listed { get; set; }
        public int LastSeq { get; set; }
        public string? LastHash { get; set; }
    }
}
