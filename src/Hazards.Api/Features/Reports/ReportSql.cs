using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The report's set-based statements. Each scans the unit's subtree once by its path range and groups by the
/// child unit, taken from the row's path: the child's code is the next segment of the path after the unit's
/// (<c>@ChildStart</c>, <c>@ChildLength</c>; codes of one level have one length, design §3). Events count when
/// <c>@Start</c> ≤ at &lt; <c>@End</c>; <c>@Now</c> is the period's end (or now, for a period reaching today), so the
/// list's own overdue rule (<see cref="Domain.Cases.Overdue"/>) is evaluated at the period's end.
/// <para>
/// No case's whole history is replayed. A case's <c>updated_at</c> is the instant of its last move
/// (<see cref="CaseStore"/> writes it with the move's history row), so a case with <c>updated_at</c> &lt; <c>@Start</c>
/// was at the period's start, and is at its end, in its current status, with no event in the period: such a quiet
/// case is counted from its row (an open one is carried over and still open; a closed or rejected one counts only
/// in the listings). A case changed since <c>@Start</c> is read with its moves since <c>@Start</c>, and its state at
/// the period's end and start is its current state with those moves undone, one at a time: a close is undone by
/// a reopen and a reopen by a close, a rejection is final (the lifecycle allows no other way into or out of
/// closed and rejected).
/// </para>
/// </summary>
internal static class ReportSql
{
    private const string InScope = "c.org_path >= @PathFrom AND c.org_path < @PathTo";

    private const string OpenStatus = "c.status IN ('reported', 'rectifying', 'fixSubmitted')";

    /// <summary>How one dialect names a child unit, and which index it is told to read the changed cases, the open cases, the listed cases and the moves by.</summary>
    private sealed record Dialect(Func<string, string> Child, string ByChange, string ByOpen, string ByListed, string ByTime);

    // SQLite plans without statistics, and would read the changed cases through the wider org-path range; SQL Server plans by its statistics.
    private static readonly Dialect Sqlite = new(
        alias => $"substr({alias}.org_path, @ChildStart, @ChildLength)", "INDEXED BY ix_cases_updated_at", "INDEXED BY ix_cases_open_report",
        "INDEXED BY ix_cases_listed", "INDEXED BY ix_case_history_at");

    private static readonly Dialect SqlServer = new(alias => $"SUBSTRING({alias}.org_path, @ChildStart, @ChildLength)", "", "", "", "");

    /// <summary>Per case, its moves since the period began that the report counts: in the period (before <c>@End</c>) and after it.</summary>
    private static string Moves(Dialect d) => $"""
        SELECT h.case_id,
               SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @End THEN 1 ELSE 0 END) AS passes_in,
               SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @End THEN 1 ELSE 0 END) AS passes_after,
               SUM(CASE WHEN h.action = 'reopen' AND h.at < @End THEN 1 ELSE 0 END) AS reopens_in,
               SUM(CASE WHEN h.action = 'reopen' AND h.at >= @End THEN 1 ELSE 0 END) AS reopens_after,
               SUM(CASE WHEN h.action = 'reject' AND h.at < @End THEN 1 ELSE 0 END) AS rejects_in,
               SUM(CASE WHEN h.action = 'reject' AND h.at >= @End THEN 1 ELSE 0 END) AS rejects_after,
               SUM(CASE WHEN h.action = 'verifyFail' AND h.at < @End THEN 1 ELSE 0 END) AS fails_in,
               SUM(CASE WHEN h.action IN ('submitFix', 'reportFixedOnSpot') AND h.at < @End THEN 1 ELSE 0 END) AS fixes_in
        FROM case_history h {d.ByTime}
        WHERE h.at >= @Start AND h.action IN ('verifyPass', 'reopen', 'reject', 'verifyFail', 'submitFix', 'reportFixedOnSpot')
        GROUP BY h.case_id
        """;

    // A changed case's moves (x, absent when it has none since @Start): its state at the end is its current one with
    // the moves after the end undone; at the start, that with the period's moves undone too.
    private const string PassesIn = "COALESCE(x.passes_in, 0)";

    private const string ReopensIn = "COALESCE(x.reopens_in, 0)";

    private const string RejectsIn = "COALESCE(x.rejects_in, 0)";

    /// <summary>1 when the case was rejected at the period's end, else 0.</summary>
    private const string RejectedAtEnd = "(CASE WHEN c.status = 'rejected' THEN 1 ELSE 0 END - COALESCE(x.rejects_after, 0))";

    /// <summary>1 when the case was closed at the period's end, else 0.</summary>
    private const string ClosedAtEnd = "(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END - COALESCE(x.passes_after, 0) + COALESCE(x.reopens_after, 0))";

    // Open at an instant: reported before it, not rejected before it, and every close before it undone by a reopen.
    private const string OpenAtEnd = $"({RejectedAtEnd} = 0 AND {ClosedAtEnd} = 0)";

    private const string NotRejected = $"{RejectedAtEnd} = 0";

    private const string CarriedOver = $"(c.reported_at < @Start AND {RejectedAtEnd} - {RejectsIn} = 0 AND {ClosedAtEnd} - {PassesIn} + {ReopensIn} = 0)";

    private const string IsNew = $"(c.reported_at >= @Start AND {NotRejected})";

    private const string Caseload = $"({CarriedOver} OR {IsNew})";

    private const string Overdue = $"({OpenAtEnd} AND {Domain.Cases.Overdue.Predicate})";

    private const string ListedCity = "SUM(CASE WHEN c.listed = 1 AND c.listed_level = 'city' THEN 1 ELSE 0 END)";

    private const string ListedDistrict = "SUM(CASE WHEN c.listed = 1 AND (c.listed_level IS NULL OR c.listed_level <> 'city') THEN 1 ELSE 0 END)";

    private static string Key(Dialect d) => $"{d.Child("c")}, c.level, c.sector, c.origin, c.escalation_step";

    private static string KeyNames(Dialect d) => $"{d.Child("c")} AS child, c.level, c.sector, c.origin, c.escalation_step";

    // Each part adds up its cases per child unit, level, sector, origin and escalation step, its figures in the
    // order the first part names them.

    /// <summary>The cases changed since the period began, with their moves since.</summary>
    private static string ChangedCases(Dialect d) => $"""
        SELECT {KeyNames(d)},
               SUM(CASE WHEN {IsNew} THEN 1 ELSE 0 END) AS n_new,
               SUM(CASE WHEN {IsNew} AND c.self_reported = 1 THEN 1 ELSE 0 END) AS n_new_self,
               SUM(CASE WHEN {CarriedOver} THEN 1 ELSE 0 END) AS n_carried,
               SUM(CASE WHEN {PassesIn} > 0 THEN 1 ELSE 0 END) AS n_closed,
               SUM(CASE WHEN {PassesIn} > 0 AND c.status = 'closed' AND c.fix_submitted_at <= c.deadline THEN 1 ELSE 0 END) AS n_on_time,
               SUM(CASE WHEN {PassesIn} > 0 OR ({OpenAtEnd} AND c.deadline >= @Start AND c.deadline < @End) THEN 1 ELSE 0 END) AS n_due,
               SUM(CASE WHEN {OpenAtEnd} THEN 1 ELSE 0 END) AS n_open_at_end,
               SUM(CASE WHEN {Overdue} THEN 1 ELSE 0 END) AS n_overdue,
               SUM({RejectsIn}) AS n_rejected,
               SUM(CASE WHEN {Caseload} AND c.assigned_at < @End THEN 1 ELSE 0 END) AS n_rectifying,
               SUM(CASE WHEN {Caseload} AND c.assigned_at < @End AND c.extension_count > 0 THEN 1 ELSE 0 END) AS n_extended,
               SUM(CASE WHEN {Caseload} AND c.penalty = 'exempt' THEN 1 ELSE 0 END) AS n_exempt,
               SUM(CASE WHEN {Caseload} AND c.penalty = 'aggravated' THEN 1 ELSE 0 END) AS n_aggravated,
               {ListedDistrict} AS n_listed_district, {ListedCity} AS n_listed_city,
               SUM(COALESCE(x.fixes_in, 0)) AS n_fixes, SUM(COALESCE(x.fails_in, 0)) AS n_fails, SUM({ReopensIn}) AS n_reopens, SUM({PassesIn}) AS n_passes
        FROM cases c {d.ByChange}
        LEFT JOIN ({Moves(d)}) x ON x.case_id = c.id
        WHERE c.updated_at >= @Start AND {InScope} AND c.reported_at < @End
        GROUP BY {Key(d)}
        """;

    /// <summary>The open cases unchanged since the period began: carried over and still open, with no event in it.</summary>
    private static string QuietOpenCases(Dialect d) => $"""
        SELECT {Key(d)},
               0, 0, COUNT(*), 0, 0,
               SUM(CASE WHEN c.deadline >= @Start AND c.deadline < @End THEN 1 ELSE 0 END),
               COUNT(*),
               SUM(CASE WHEN {Domain.Cases.Overdue.Predicate} THEN 1 ELSE 0 END),
               0,
               SUM(CASE WHEN c.assigned_at < @End THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.assigned_at < @End AND c.extension_count > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.penalty = 'exempt' THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.penalty = 'aggravated' THEN 1 ELSE 0 END),
               {ListedDistrict}, {ListedCity},
               0, 0, 0, 0
        FROM cases c {d.ByOpen}
        WHERE {InScope} AND {OpenStatus} AND c.updated_at < @Start
        GROUP BY {Key(d)}
        """;

    /// <summary>The closed or rejected cases unchanged since the period began: only their listings count.</summary>
    private static string QuietListedCases(Dialect d) => $"""
        SELECT {Key(d)},
               0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
               {ListedDistrict}, {ListedCity},
               0, 0, 0, 0
        FROM cases c {d.ByListed}
        WHERE {InScope} AND c.listed = 1 AND c.status IN ('closed', 'rejected') AND c.updated_at < @Start
        GROUP BY {Key(d)}
        """;

    private static string CaseGroups(Dialect d) => $"""
        SELECT k.child AS Child, k.level AS Level, k.sector AS Sector, k.origin AS Origin,
               SUM(k.n_new) AS New, SUM(k.n_new_self) AS NewSelfReported, SUM(k.n_carried) AS CarriedOver,
               SUM(k.n_closed) AS Closed, SUM(k.n_on_time) AS FixedOnTime, SUM(k.n_due) AS OnTimeDue,
               SUM(k.n_open_at_end) AS OpenAtEnd, SUM(k.n_overdue) AS Overdue, SUM(k.n_rejected) AS Rejected,
               SUM(k.n_rectifying) AS Rectifying, SUM(k.n_extended) AS Extended,
               SUM(k.n_exempt) AS Exempt, SUM(k.n_aggravated) AS Aggravated,
               SUM(k.n_listed_district) AS ListedDistrict, SUM(k.n_listed_city) AS ListedCity,
               SUM(k.n_fixes) AS FixSubmissions, SUM(k.n_fails) AS Reworks, SUM(k.n_reopens) AS Reopens, SUM(k.n_passes) AS Closes,
               SUM(CASE WHEN k.escalation_step = 0 THEN k.n_overdue ELSE 0 END) AS OverdueStep0,
               SUM(CASE WHEN k.escalation_step = 1 THEN k.n_overdue ELSE 0 END) AS OverdueStep1,
               SUM(CASE WHEN k.escalation_step = 2 THEN k.n_overdue ELSE 0 END) AS OverdueStep2,
               SUM(CASE WHEN k.escalation_step = 3 THEN k.n_overdue ELSE 0 END) AS OverdueStep3,
               SUM(CASE WHEN k.escalation_step = 4 THEN k.n_overdue ELSE 0 END) AS OverdueStep4
        FROM ({ChangedCases(d)}
              UNION ALL
              {QuietOpenCases(d)}
              UNION ALL
              {QuietListedCases(d)}
        ) k
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

    private static string AcknowledgementRows(string child) => $"""
        SELECT {child} AS Child, n.created_at AS CreatedAt, n.acknowledge_by AS AcknowledgeBy, n.acknowledged_at AS AcknowledgedAt
        FROM escalation_notices n
        WHERE n.org_path >= @PathFrom AND n.org_path < @PathTo AND n.acknowledge_by >= @Start AND n.acknowledge_by < @End
          AND (n.acknowledge_by <= @Now OR n.acknowledged_at IS NOT NULL)
        """;

    /// <summary>
    /// The notices due for 签收 in the period (警示函 and above whose time to acknowledge fell in it and has passed, or
    /// that were acknowledged already), each with when it went out and when its addressees acknowledged it.
    /// </summary>
    public static readonly Sql Acknowledgements = new(
        AcknowledgementRows("substr(n.org_path, @ChildStart, @ChildLength)"),
        AcknowledgementRows("SUBSTRING(n.org_path, @ChildStart, @ChildLength)"));

    // The case's step once the ladder has sent it anything: step 0 alone cannot tell a 预警 sent from none at all.
    private const string SentStep = "CASE WHEN EXISTS (SELECT 1 FROM escalation_notices n WHERE n.case_id = c.id) THEN c.escalation_step END";

    private static string MajorColumns(Dialect d) => $"""
        c.id AS Id, c.code AS Code, c.title AS Title, c.status AS Status, {d.Child("c")} AS Child, COALESCE(ru.name, u.name) AS UnitName,
               CASE WHEN c.plan_goals IS NULL THEN 'none' WHEN c.plan_approved = 1 THEN 'approved' ELSE 'submitted' END AS PlanState,
               c.deadline AS Deadline, {SentStep} AS EscalationStep, c.listed AS Listed, c.listed_level AS ListedLevel,
               CASE WHEN {Domain.Cases.Overdue.Predicate} THEN 1 ELSE 0 END AS Overdue
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
    // seventh fractional digit into the next second, so the fraction is cut off first. A case reported in the period
    // has changed since it began; it was rejected by the end when it is rejected now and not only after the end.
    private static string DailyTrend(Dialect d, string reportedDay, string closedDay) => $"""
        SELECT k.day AS Day, SUM(k.is_new) AS New, SUM(k.is_close) AS Closes
        FROM (
            SELECT {reportedDay} AS day, 1 AS is_new, 0 AS is_close
            FROM cases c {d.ByChange}
            WHERE c.updated_at >= @Start AND {InScope} AND c.reported_at >= @Start AND c.reported_at < @End
              AND (c.status <> 'rejected' OR EXISTS (SELECT 1 FROM case_history r WHERE r.case_id = c.id AND r.action = 'reject' AND r.at >= @End))
            UNION ALL
            SELECT {closedDay} AS day, 0 AS is_new, 1 AS is_close
            FROM case_history h {d.ByTime}
            JOIN cases c ON c.id = h.case_id
            WHERE h.at >= @Start AND h.at < @End AND h.action = 'verifyPass' AND {InScope}
        ) k
        GROUP BY k.day
        """;

    /// <summary>New cases and close events per local day of the period; the report folds the days into ISO weeks.</summary>
    public static readonly Sql Trend = new(
        DailyTrend(Sqlite, "date(substr(c.reported_at, 1, 19), '+8 hours')", "date(substr(h.at, 1, 19), '+8 hours')"),
        DailyTrend(SqlServer, "CONVERT(varchar(10), SWITCHOFFSET(c.reported_at, '+08:00'), 23)", "CONVERT(varchar(10), SWITCHOFFSET(h.at, '+08:00'), 23)"));

    private const string CheckedInScope = "t.org_path >= @PathFrom AND t.org_path < @PathTo AND t.status = 'done' AND t.checked_at >= @Start AND t.checked_at < @End";

    private static string SpotCheckGroups(string child) => $"""
        SELECT k.child AS Child, COUNT(*) AS Checked, SUM(k.fake) AS FakeFixes
        FROM (
            SELECT {child} AS child, CASE WHEN t.finding = 'notGenuine' THEN 1 ELSE 0 END AS fake
            FROM spot_check_tasks t
            WHERE {CheckedInScope}
        ) k
        GROUP BY k.child
        """;

    /// <summary>Spot checks (真查) whose finding was recorded in the period, and of them the fake fixes (假整改), by where the case was at the draw.</summary>
    public static readonly Sql SpotChecks = new(
        SpotCheckGroups("substr(t.org_path, @ChildStart, @ChildLength)"),
        SpotCheckGroups("SUBSTRING(t.org_path, @ChildStart, @ChildLength)"));

    private static string FakeFixUnits(string child) => $"""
        SELECT k.unit_id AS UnitId, k.unit_name AS UnitName, k.child AS Child, COUNT(*) AS FakeFixes
        FROM (
            SELECT t.unit_id, u.name AS unit_name, {child} AS child
            FROM spot_check_tasks t
            LEFT JOIN units u ON u.id = t.unit_id
            WHERE {CheckedInScope} AND t.finding = 'notGenuine'
        ) k
        GROUP BY k.unit_id, k.unit_name, k.child
        ORDER BY FakeFixes DESC, UnitName, UnitId
        """;

    /// <summary>Fake fixes found in the period per unit the case was on at the draw (its unit officers answer for it).</summary>
    public static readonly Sql FakeFixesByUnit = new(
        FakeFixUnits("substr(t.org_path, @ChildStart, @ChildLength)"),
        FakeFixUnits("SUBSTRING(t.org_path, @ChildStart, @ChildLength)"));

    /// <summary>Fake fixes found in the period per verifier who had closed the case (核查销号).</summary>
    public static readonly Sql FakeFixesByVerifier = Sql.Portable($"""
        SELECT k.login AS Login, k.name AS Name, COUNT(*) AS FakeFixes
        FROM (
            SELECT t.verified_by AS login, us.name
            FROM spot_check_tasks t
            LEFT JOIN users us ON us.login = t.verified_by
            WHERE {CheckedInScope} AND t.finding = 'notGenuine'
        ) k
        GROUP BY k.login, k.name
        ORDER BY FakeFixes DESC, Login
        """);

    public static readonly Sql OrgUnit = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level, path AS Path FROM org_units WHERE code = @Code
        """);

    public static readonly Sql Children = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level, path AS Path FROM org_units WHERE parent_code = @Code AND retired_at IS NULL ORDER BY code
        """);
}
