using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The report's set-based statements. Each scans the unit's subtree once by its path range and groups by the
/// child unit, taken from the row's path: the child's code is the next segment of the path after the unit's
/// (<c>@ChildStart</c>, <c>@ChildLength</c>; codes of one level have one length, design §3). Events count when
/// <c>@Start</c> ≤ at &lt; <c>@End</c>; <c>@Now</c> is the period's end (or now, for a period reaching today), so the
/// list's own overdue rule (<see cref="ListCasesHandler.OverdueExpression"/>) is evaluated at the period's end.
/// <para>
/// Only cases that changed since the period began have their history replayed. A case's <c>updated_at</c> is the
/// instant of its last move (<see cref="CaseStore"/> writes it with the move's history row), so a case with
/// <c>updated_at</c> &lt; <c>@Start</c> has no history at or after <c>@Start</c>: it was at the period's start, and is
/// at its end, in its current status, with no event in the period. Such a quiet case is counted from its row: an
/// open one is carried over and still open; a closed or rejected one counts only in the listings. Likewise a case
/// with <c>updated_at</c> &lt; <c>@End</c> is open at the end exactly when its status is open.
/// </para>
/// </summary>
internal static class ReportSql
{
    private const string InScope = "c.org_path >= @PathFrom AND c.org_path < @PathTo";

    private const string OpenStatus = "c.status IN ('reported', 'rectifying', 'fixSubmitted')";

    /// <summary>How one dialect names a child unit, and which index it is told to read the changed or the open cases by.</summary>
    private sealed record Dialect(Func<string, string> Child, string ByChange, string ByOpen, string ByListed);

    // SQLite plans without statistics, and would read the changed cases through the wider org-path range; SQL Server plans by its statistics.
    private static readonly Dialect Sqlite = new(
        alias => $"substr({alias}.org_path, @ChildStart, @ChildLength)", "INDEXED BY ix_cases_updated_at", "INDEXED BY ix_cases_open_report", "INDEXED BY ix_cases_listed");

    private static readonly Dialect SqlServer = new(alias => $"SUBSTRING({alias}.org_path, @ChildStart, @ChildLength)", "", "", "");

    /// <summary>Per case changed since the period began, its history up to the period's end: the moves that decide open/closed and the period's activity.</summary>
    private static string History(Dialect d) => $"""
        SELECT h.case_id,
               SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) AS passes_before,
               SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) AS passes_in,
               SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END) AS reopens_before,
               SUM(CASE WHEN h.action = 'reopen' AND h.at >= @Start THEN 1 ELSE 0 END) AS reopens_in,
               SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) AS rejects_before,
               SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) AS rejects_in,
               SUM(CASE WHEN h.action = 'verifyFail' AND h.at >= @Start THEN 1 ELSE 0 END) AS fails_in,
               SUM(CASE WHEN h.action IN ('submitFix', 'reportFixedOnSpot') AND h.at >= @Start THEN 1 ELSE 0 END) AS fixes_in
        FROM cases hc {d.ByChange}
        JOIN case_history h ON h.case_id = hc.id
        WHERE hc.updated_at >= @Start AND hc.org_path >= @PathFrom AND hc.org_path < @PathTo AND h.at < @End
        GROUP BY h.case_id
        """;

    // Open at an instant: reported before it, never rejected before it, and every close before it undone by a reopen.
    private const string OpenAtEnd = "(x.rejects_before + x.rejects_in = 0 AND x.passes_before + x.passes_in = x.reopens_before + x.reopens_in)";

    private const string NotRejected = "x.rejects_before + x.rejects_in = 0";

    private const string CarriedOver = "(c.reported_at < @Start AND x.rejects_before = 0 AND x.passes_before = x.reopens_before)";

    private const string IsNew = $"(c.reported_at >= @Start AND {NotRejected})";

    private const string Caseload = $"({CarriedOver} OR {IsNew})";

    private const string Overdue = $"({OpenAtEnd} AND {ListCasesHandler.OverdueExpression})";

    private const string ListedCity = "CASE WHEN c.listed = 1 AND c.listed_level = 'city' THEN 1 ELSE 0 END";

    private const string ListedDistrict = "CASE WHEN c.listed = 1 AND (c.listed_level IS NULL OR c.listed_level <> 'city') THEN 1 ELSE 0 END";

    /// <summary>
    /// One row per case that counts: those changed since the period began, replayed from their history; the quiet
    /// open ones, carried over and still open; the quiet closed or rejected ones that are listed, for the listings.
    /// </summary>
    private static string PerCase(Dialect d) => $"""
        SELECT {d.Child("c")} AS child, c.level, c.sector, c.origin, c.escalation_step,
               CASE WHEN {IsNew} THEN 1 ELSE 0 END AS is_new,
               CASE WHEN {IsNew} AND c.self_reported = 1 THEN 1 ELSE 0 END AS is_new_self,
               CASE WHEN {CarriedOver} THEN 1 ELSE 0 END AS is_carried,
               CASE WHEN x.passes_in > 0 THEN 1 ELSE 0 END AS is_closed,
               CASE WHEN x.passes_in > 0 AND c.status = 'closed' AND c.fix_submitted_at <= c.deadline THEN 1 ELSE 0 END AS is_on_time,
               CASE WHEN x.passes_in > 0 OR ({OpenAtEnd} AND c.deadline >= @Start AND c.deadline < @End) THEN 1 ELSE 0 END AS is_due,
               CASE WHEN {OpenAtEnd} THEN 1 ELSE 0 END AS is_open,
               CASE WHEN {Overdue} THEN 1 ELSE 0 END AS is_overdue,
               CASE WHEN {Caseload} AND c.assigned_at < @End THEN 1 ELSE 0 END AS is_rectifying,
               CASE WHEN {Caseload} AND c.assigned_at < @End AND c.extension_count > 0 THEN 1 ELSE 0 END AS is_extended,
               CASE WHEN {Caseload} AND c.penalty = 'exempt' THEN 1 ELSE 0 END AS is_exempt,
               CASE WHEN {Caseload} AND c.penalty = 'aggravated' THEN 1 ELSE 0 END AS is_aggravated,
               {ListedCity} AS is_listed_city, {ListedDistrict} AS is_listed_district,
               x.rejects_in, x.fixes_in, x.fails_in, x.reopens_in, x.passes_in
        FROM cases c
        JOIN ({History(d)}) x ON x.case_id = c.id
        WHERE {InScope} AND c.updated_at >= @Start AND c.reported_at < @End
        UNION ALL
        SELECT {d.Child("c")}, c.level, c.sector, c.origin, c.escalation_step,
               0, 0, 1, 0, 0,
               CASE WHEN c.deadline >= @Start AND c.deadline < @End THEN 1 ELSE 0 END,
               1,
               CASE WHEN {ListCasesHandler.OverdueExpression} THEN 1 ELSE 0 END,
               CASE WHEN c.assigned_at < @End THEN 1 ELSE 0 END,
               CASE WHEN c.assigned_at < @End AND c.extension_count > 0 THEN 1 ELSE 0 END,
               CASE WHEN c.penalty = 'exempt' THEN 1 ELSE 0 END,
               CASE WHEN c.penalty = 'aggravated' THEN 1 ELSE 0 END,
               {ListedCity}, {ListedDistrict},
               0, 0, 0, 0, 0
        FROM cases c {d.ByOpen}
        WHERE {InScope} AND {OpenStatus} AND c.updated_at < @Start
        UNION ALL
        SELECT {d.Child("c")}, c.level, c.sector, c.origin, c.escalation_step,
               0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
               {ListedCity}, {ListedDistrict},
               0, 0, 0, 0, 0
        FROM cases c {d.ByListed}
        WHERE {InScope} AND c.listed = 1 AND c.status IN ('closed', 'rejected') AND c.updated_at < @Start
        """;

    private static string CaseGroups(Dialect d) => $"""
        SELECT k.child AS Child, k.level AS Level, k.sector AS Sector, k.origin AS Origin,
               SUM(k.is_new) AS New, SUM(k.is_new_self) AS NewSelfReported, SUM(k.is_carried) AS CarriedOver,
               SUM(k.is_closed) AS Closed, SUM(k.is_on_time) AS FixedOnTime, SUM(k.is_due) AS OnTimeDue,
               SUM(k.is_open) AS OpenAtEnd, SUM(k.is_overdue) AS Overdue, SUM(k.rejects_in) AS Rejected,
               SUM(k.is_rectifying) AS Rectifying, SUM(k.is_extended) AS Extended,
               SUM(k.is_exempt) AS Exempt, SUM(k.is_aggravated) AS Aggravated,
               SUM(k.is_listed_district) AS ListedDistrict, SUM(k.is_listed_city) AS ListedCity,
               SUM(k.fixes_in) AS FixSubmissions, SUM(k.fails_in) AS Reworks, SUM(k.reopens_in) AS Reopens, SUM(k.passes_in) AS Closes,
               SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 0 THEN 1 ELSE 0 END) AS OverdueStep0,
               SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 1 THEN 1 ELSE 0 END) AS OverdueStep1,
               SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 2 THEN 1 ELSE 0 END) AS OverdueStep2,
               SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 3 THEN 1 ELSE 0 END) AS OverdueStep3,
               SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 4 THEN 1 ELSE 0 END) AS OverdueStep4
        FROM ({PerCase(d)}) k
        GROUP BY k.child, k.level, k.sector, k.origin
        """;

    /// <summary>Case counts per child unit, level, sector and origin; the report adds them up per child and for the unit.</summary>
    public static readonly Sql Cases = new(CaseGroups(Sqlite), CaseGroups(SqlServer));

    private static string CadenceGroups(string child) => $"""
        SELECT k.child AS Child, k.cadence AS Cadence, SUM(k.filled) AS Filled, SUM(k.missed) AS Missed
        FROM (
            SELECT {child} AS child, p.cadence, s.filled, s.missed
            FROM (
                SELECT r.plan_id, 1 AS filled, 0 AS missed FROM inspection_records r
                WHERE r.period_end >= @FromDay AND r.period_end <= @LastEndedDay
                UNION ALL
                SELECT m.plan_id, 0 AS filled, 1 AS missed FROM inspection_missed m
                WHERE m.period_end >= @FromDay AND m.period_end <= @LastEndedDay
            ) s
            JOIN inspection_plans p ON p.id = s.plan_id
            WHERE p.org_path >= @PathFrom AND p.org_path < @PathTo
        ) k
        GROUP BY k.child, k.cadence
        """;

    /// <summary>Inspection slots whose period ended in the window: a record filled it, or the sweep found it missed.</summary>
    public static readonly Sql Cadence = new(
        CadenceGroups("substr(p.org_path, @ChildStart, @ChildLength)"),
        CadenceGroups("SUBSTRING(p.org_path, @ChildStart, @ChildLength)"));

    private static string NoticeGroups(string child) => $"""
        SELECT k.child AS Child, k.step AS Step, COUNT(*) AS Notices
        FROM (
            SELECT {child} AS child, n.step
            FROM escalation_notices n
            WHERE n.org_path >= @PathFrom AND n.org_path < @PathTo AND n.created_at >= @Start AND n.created_at < @End
        ) k
        GROUP BY k.child, k.step
        """;

    /// <summary>Escalation notices (of cases and of missed checks) issued in the period, per step.</summary>
    public static readonly Sql Notices = new(
        NoticeGroups("substr(n.org_path, @ChildStart, @ChildLength)"),
        NoticeGroups("SUBSTRING(n.org_path, @ChildStart, @ChildLength)"));

    private static string MajorColumns(Dialect d) => $"""
        c.id AS Id, c.code AS Code, c.title AS Title, c.status AS Status, {d.Child("c")} AS Child, COALESCE(ru.name, u.name) AS UnitName,
               CASE WHEN c.plan_goals IS NULL THEN 'none' WHEN c.plan_approved = 1 THEN 'approved' ELSE 'submitted' END AS PlanState,
               c.deadline AS Deadline, c.escalation_step AS EscalationStep, c.listed AS Listed, c.listed_level AS ListedLevel,
               CASE WHEN {ListCasesHandler.OverdueExpression} THEN 1 ELSE 0 END AS Overdue
        """;

    // Open at the end: a case unchanged since then by its status, one changed after it by its history before it.
    private static string Majors(Dialect d) => $"""
        SELECT {MajorColumns(d)}
        FROM cases c {d.ByOpen}
        LEFT JOIN units u ON u.id = c.unit_id
        LEFT JOIN units ru ON ru.id = c.responsible_unit_id
        WHERE {InScope} AND {OpenStatus} AND c.level = 'major' AND c.updated_at < @End
        UNION ALL
        SELECT {MajorColumns(d)}
        FROM cases c {d.ByChange}
        LEFT JOIN units u ON u.id = c.unit_id
        LEFT JOIN units ru ON ru.id = c.responsible_unit_id
        WHERE c.updated_at >= @End AND {InScope} AND c.level = 'major' AND c.reported_at < @End
          AND NOT EXISTS (SELECT 1 FROM case_history r WHERE r.case_id = c.id AND r.action = 'reject' AND r.at < @End)
          AND (SELECT COUNT(*) FROM case_history hp WHERE hp.case_id = c.id AND hp.action = 'verifyPass' AND hp.at < @End)
            = (SELECT COUNT(*) FROM case_history ho WHERE ho.case_id = c.id AND ho.action = 'reopen' AND ho.at < @End)
        ORDER BY Deadline, Code
        """;

    /// <summary>Major hazards open at the period's end (the 清零 list), soonest deadline first, those still to be assigned on top.</summary>
    public static readonly Sql OpenMajors = new(Majors(Sqlite), Majors(SqlServer));

    // Local days: Asia/Shanghai has been UTC+8 all year since 1991 (see ChinaTime). SQLite's date() rounds the
    // seventh fractional digit into the next second, so the fraction is cut off first. A case reported or closed
    // in the period has changed since it began, so both halves read only the changed cases.
    private static string DailyTrend(Dialect d, string reportedDay, string closedDay) => $"""
        SELECT k.day AS Day, SUM(k.is_new) AS New, SUM(k.is_close) AS Closes
        FROM (
            SELECT {reportedDay} AS day, 1 AS is_new, 0 AS is_close
            FROM cases c {d.ByChange}
            WHERE c.updated_at >= @Start AND {InScope} AND c.reported_at >= @Start AND c.reported_at < @End
              AND NOT EXISTS (SELECT 1 FROM case_history r WHERE r.case_id = c.id AND r.action = 'reject' AND r.at < @End)
            UNION ALL
            SELECT {closedDay} AS day, 0 AS is_new, 1 AS is_close
            FROM cases c {d.ByChange}
            JOIN case_history h ON h.case_id = c.id
            WHERE c.updated_at >= @Start AND {InScope} AND h.action = 'verifyPass' AND h.at >= @Start AND h.at < @End
        ) k
        GROUP BY k.day
        """;

    /// <summary>New cases and close events per local day of the period; the report folds the days into ISO weeks.</summary>
    public static readonly Sql Trend = new(
        DailyTrend(Sqlite, "date(substr(c.reported_at, 1, 19), '+8 hours')", "date(substr(h.at, 1, 19), '+8 hours')"),
        DailyTrend(SqlServer, "CONVERT(varchar(10), SWITCHOFFSET(c.reported_at, '+08:00'), 23)", "CONVERT(varchar(10), SWITCHOFFSET(h.at, '+08:00'), 23)"));

    public static readonly Sql OrgUnit = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level, path AS Path FROM org_units WHERE code = @Code
        """);

    public static readonly Sql Children = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level, path AS Path FROM org_units WHERE parent_code = @Code ORDER BY code
        """);
}
