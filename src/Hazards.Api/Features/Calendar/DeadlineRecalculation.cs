using System.Globalization;
using System.Text.Json;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;
using Hazards.Domain.Escalation;

namespace Hazards.Api.Features.Calendar;

/// <summary>How many deadlines of each kind a loaded notice lengthened.</summary>
public sealed record RecalculatedDeadlines(int Triage, int Fix, int Verification, int EscalationResponse);

/// <summary>
/// When a year's notice replaces what was known of it, every open deadline counted in working days is counted
/// again under the new calendar. A correction never shortens a deadline already given: only
/// later ones are written, each with a <c>deadlineRecalculated</c> history row (old and new). The same
/// <see cref="DeadlineCalculator"/> and <see cref="EscalationLadder"/> that set the deadlines give, for each
/// local day an event could have happened on and each kind of count, the deadline before and after; those pairs
/// go into <c>calendar_shifts</c>, and one set-based statement per kind moves every case whose stored deadline is
/// the old count from that day. A deadline a person chose (an explicit one, an extension, a major plan's date)
/// is no count of working days, matches no pair, and stays.
/// </summary>
public sealed class DeadlineRecalculation(DbSession db, CaseStore store, CaseHistory history, DeadlinePolicy policy, LadderPolicy ladder)
{
    public static readonly string Action = Wire.Name(CaseAction.DeadlineRecalculated);

    // The longest count of working days any deadline uses, plus room for the longest holiday, in calendar days.
    private const int LookBackDays = 120;

    internal static readonly Sql InsertShift = Sql.Portable("""
        INSERT INTO calendar_shifts (run_id, subject, from_at, to_at, old_due, new_due) VALUES (@RunId, @Subject, @FromAt, @ToAt, @OldDue, @NewDue)
        """);

    internal static readonly Sql DeleteShifts = Sql.Portable("DELETE FROM calendar_shifts WHERE run_id = @RunId");

    internal static readonly Sql TriageCases = Sql.Portable(Affected("triage_deadline", "reported_at", "s.subject = 'triage'", "c.status = 'reported'"));

    internal static readonly Sql FixCases = new(
        Affected("deadline", "assigned_at", "s.subject = 'fix:' || c.sector", "c.status = 'rectifying' AND c.level = 'general'"),
        Affected("deadline", "assigned_at", "s.subject = N'fix:' + c.sector", "c.status = N'rectifying' AND c.level = N'general'"));

    internal static readonly Sql VerificationCases = new(
        Affected("verification_deadline", "fix_submitted_at", "s.subject = 'verify:' || c.level", "c.status = 'fixSubmitted'"),
        Affected("verification_deadline", "fix_submitted_at", "s.subject = N'verify:' + c.level", "c.status = N'fixSubmitted'"));

    // The time a notice gives its recipients to answer (回复期限), counted from the sweep that wrote it.
    internal const string ResponseShift = """
        s.run_id = @RunId AND s.subject = 'respond' AND escalation_notices.created_at >= s.from_at
              AND escalation_notices.created_at < s.to_at AND s.old_due = escalation_notices.respond_by
        """;

    // The notices of cases whose answer period moves, with each case's history tail, read before anything of them moves.
    internal static readonly Sql ResponseCases = Sql.Portable($"""
        SELECT escalation_notices.id AS NoticeId, escalation_notices.step AS Step, c.id AS CaseId, c.status AS Status,
               escalation_notices.respond_by AS OldDue, s.new_due AS NewDue, h.seq AS LastSeq, h.hash AS LastHash
        FROM calendar_shifts s
        JOIN escalation_notices ON {ResponseShift}
        JOIN cases c ON c.id = escalation_notices.case_id
        LEFT JOIN case_history h ON h.case_id = c.id AND h.seq = (SELECT MAX(l.seq) FROM case_history l WHERE l.case_id = c.id)
        WHERE escalation_notices.respond_by >= @OpenFrom
        ORDER BY c.id, escalation_notices.step
        """);

    internal static readonly Sql ResponseUpdate = Sql.Portable($"""
        UPDATE escalation_notices SET respond_by = (SELECT s.new_due FROM calendar_shifts s WHERE {ResponseShift})
        WHERE respond_by >= @OpenFrom AND EXISTS (SELECT 1 FROM calendar_shifts s WHERE {ResponseShift})
        """);

    /// <summary>Lengthens what <paramref name="after"/> makes later than <paramref name="before"/> did, for events up to now; returns the counts.</summary>
    public async Task<RecalculatedDeadlines> Run(WorkdayCalendar before, WorkdayCalendar after, int year, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var runId = Guid.CreateVersion7(now);
        var shifts = Shifts(before, after, year, now, runId).ToList();
        if (shifts.Count == 0)
        {
            return new RecalculatedDeadlines(0, 0, 0, 0);
        }

        await db.WidenCache(ct);
        await db.Execute(InsertShift, shifts, ct);
        var args = new { RunId = runId, Now = now, OpenFrom = now };
        var triage = await Move(TriageCases, "triage", args, actor, now, ct);
        var fix = await Move(FixCases, "fix", args, actor, now, ct);
        var verification = await Move(VerificationCases, "verification", args, actor, now, ct);
        var responses = await MoveResponses(args, actor, now, ct);
        await db.Execute(DeleteShifts, args, ct);
        return new RecalculatedDeadlines(triage, fix, verification, responses);
    }

    private async Task<int> Move(Sql affected, string kind, object args, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var cases = await db.Query<AffectedCase>(affected, args, ct);
        if (cases.Count == 0)
        {
            return 0;
        }

        await store.ShiftDeadlines(kind, args, ct);
        var tails = cases.Where(c => c.LastHash is not null)
            .ToDictionary(c => c.CaseId, c => new HistoryTail { Seq = c.LastSeq, Hash = c.LastHash! });
        var role = Wire.Name(actor.Role);
        await history.AppendMany(cases.Select(c => new HistoryDraft(c.CaseId, Action, c.Status, c.Status, actor.Login, role, now, null, "[]",
            JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["kind"] = kind,
                ["oldDeadline"] = HazardCase.Instant(c.OldDue),
                ["newDeadline"] = HazardCase.Instant(c.NewDue),
            }))), tails, ct);
        return cases.Count;
    }

    // Each moved notice of a case is a row of that case's history, chained after whatever the case's own deadlines wrote.
    private async Task<int> MoveResponses(object args, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var notices = await db.Query<AffectedNotice>(ResponseCases, args, ct);
        if (notices.Count > 0)
        {
            await store.ShiftResponseVersions(args, ct);
        }

        var moved = await db.Execute(ResponseUpdate, args, ct);
        var tails = notices.Where(n => n.LastHash is not null).GroupBy(n => n.CaseId)
            .ToDictionary(g => g.Key, g => new HistoryTail { Seq = g.First().LastSeq, Hash = g.First().LastHash! });
        var role = Wire.Name(actor.Role);
        await history.AppendMany(notices.Select(n => new HistoryDraft(n.CaseId, Action, n.Status, n.Status, actor.Login, role, now, null, "[]",
            JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["kind"] = "escalationResponse",
                ["noticeId"] = n.NoticeId.ToString(),
                ["step"] = n.Step.ToString(CultureInfo.InvariantCulture),
                ["oldDeadline"] = HazardCase.Instant(n.OldDue),
                ["newDeadline"] = HazardCase.Instant(n.NewDue),
            }))), tails, ct);
        return moved;
    }

    /// <summary>Every (kind, local day) whose deadline the new calendar makes later, for days an event may already have had.</summary>
    private IEnumerable<object> Shifts(WorkdayCalendar before, WorkdayCalendar after, int year, DateTimeOffset now, Guid runId)
    {
        var old = (Deadlines: new DeadlineCalculator(before, policy), Ladder: new EscalationLadder(before, ladder));
        var next = (Deadlines: new DeadlineCalculator(after, policy), Ladder: new EscalationLadder(after, ladder));
        var last = new DateOnly(year, 12, 31) < ChinaTime.Today(now) ? new DateOnly(year, 12, 31) : ChinaTime.Today(now);
        var sectors = Enum.GetValues<Sector>().Select(s => Wire.Name(s)).ToList();
        for (var day = new DateOnly(year, 1, 1).AddDays(-LookBackDays); day <= last; day = day.AddDays(1))
        {
            var at = ChinaTime.StartOfDay(day);
            var pairs = new List<(string Subject, DateTimeOffset Old, DateTimeOffset New)>
            {
                ("triage", old.Deadlines.Triage(at), next.Deadlines.Triage(at)),
                ("verify:general", old.Deadlines.Verification(at, major: false), next.Deadlines.Verification(at, major: false)),
                ("verify:major", old.Deadlines.Verification(at, major: true), next.Deadlines.Verification(at, major: true)),
                ("respond", old.Ladder.CutsAt(at).RespondBy, next.Ladder.CutsAt(at).RespondBy),
            };
            pairs.AddRange(sectors.Select(s => ($"fix:{s}", old.Deadlines.GeneralFix(at, s), next.Deadlines.GeneralFix(at, s))));
            foreach (var (subject, oldDue, newDue) in pairs.Where(p => p.New > p.Old))
            {
                yield return new { RunId = runId, Subject = subject, FromAt = at, ToAt = ChinaTime.StartOfDay(day.AddDays(1)), OldDue = oldDue, NewDue = newDue };
            }
        }
    }

    private static string Affected(string column, string eventColumn, string subject, string where) => $"""
        SELECT c.id AS CaseId, c.status AS Status, c.{column} AS OldDue, s.new_due AS NewDue, h.seq AS LastSeq, h.hash AS LastHash
        FROM calendar_shifts s
        JOIN cases c ON c.{column} = s.old_due AND c.{eventColumn} >= s.from_at AND c.{eventColumn} < s.to_at AND {subject}
        LEFT JOIN case_history h ON h.case_id = c.id AND h.seq = (SELECT MAX(l.seq) FROM case_history l WHERE l.case_id = c.id)
        WHERE s.run_id = @RunId AND {where}
        ORDER BY c.id
        """;

    // A moved notice is a moved deadline of its case, named by the notice.
    private sealed class AffectedNotice : AffectedCase
    {
        public Guid NoticeId { get; set; }
        public int Step { get; set; }
    }

    private class AffectedCase
    {
        public Guid CaseId { get; set; }
        public string Status { get; set; } = "";
        public DateTimeOffset OldDue { get; set; }
        public DateTimeOffset NewDue { get; set; }
        public int LastSeq { get; set; }
        public string? LastHash { get; set; }
    }
}
