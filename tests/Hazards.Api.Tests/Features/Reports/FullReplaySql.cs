namespace Hazards.Api.Tests.Features.Reports;

/// <summary>
/// The report's case, open-major and trend statements as they were before they learned to skip the cases that
/// did not change in the period: every case in scope replayed from its whole history. The reference the faster
/// statements of <c>ReportSql</c> must equal (SQLite).
/// </summary>
internal static class FullReplaySql
{
    private const string Child = "substr(c.org_path, @ChildStart, @ChildLength)";

    private const string InScope = "c.org_path >= @PathFrom AND c.org_path < @PathTo";

    /// <summary>Per case, its history up to the period's end: the moves that decide open/closed and the period's activity.</summary>
    private const string History = """
        SELECT h.case_id,
               SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) AS passes_before,
               SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) AS passes_in,
               SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END) AS reopens_before,
               SUM(CASE WHEN h.action = 'reopen' AND h.at >= @Start THEN 1 ELSE 0 END) AS reopens_in,
               SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) AS rejects_before,
               SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) AS rejects_in,
               SUM(CASE WHEN h.action = 'verifyFail' AND h.at >= @Start THEN 1 ELSE 0 END) AS fails_in,
               SUM(CASE WHEN h.action IN ('submitFix', 'reportFixedOnSpot') AND h.at >= @Start THEN 1 ELSE 0 END) AS fixes_in
        FROM case_history h
        JOIN cases hc ON hc.id = h.case_id
        WHERE hc.org_path >= @PathFrom AND hc.org_path < @PathTo AND h.at < @End
        GROUP BY h.case_id
        """;

    // Open at an instant: reported before it, never rejected before it, and every close before it undone by a reopen.
    private const string OpenAtEnd = "(x.rejects_before + x.rejects_in = 0 AND x.passes_before + x.passes_in = x.reopens_before + x.reopens_in)";

    private const string NotRejected = "x.rejects_before + x.rejects_in = 0";

    private const string CarriedOver = "(c.reported_at < @Start AND x.rejects_before = 0 AND x.passes_before = x.reopens_before)";

    private const string IsNew = $"(c.reported_at >= @Start AND {NotRejected})";

    private const string Caseload = $"({CarriedOver} OR {IsNew})";

    private const string Overdue = $"({OpenAtEnd} AND {Domain.Cases.Overdue.Predicate})";

    private static string PerCase(string child) => $"""
        SELECT {child} AS child, c.level, c.sector, c.origin, c.escalation_step,
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
               CASE WHEN c.listed = 1 AND c.listed_level = 'city' THEN 1 ELSE 0 END AS is_listed_city,
               CASE WHEN c.listed = 1 AND (c.listed_level IS NULL OR c.listed_level <> 'city') THEN 1 ELSE 0 END AS is_listed_district,
               x.rejects_in, x.fixes_in, x.fails_in, x.reopens_in, x.passes_in
        FROM cases c
        JOIN ({History}) x ON x.case_id = c.id
        WHERE {InScope} AND c.reported_at < @End
        """;

    private static string CaseGroups(string child) => $"""
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
        FROM ({PerCase(child)}) k
        GROUP BY k.child, k.level, k.sector, k.origin
        """;

    private static string Majors(string child) => $"""
        SELECT c.id AS Id, c.code AS Code, c.title AS Title, c.status AS Status, {child} AS Child, COALESCE(ru.name, u.name) AS UnitName,
               CASE WHEN c.plan_goals IS NULL THEN 'none' WHEN c.plan_approved = 1 THEN 'approved' ELSE 'submitted' END AS PlanState,
               c.deadline AS Deadline, CASE WHEN EXISTS (SELECT 1 FROM escalation_notices n WHERE n.case_id = c.id) THEN c.escalation_step END
               AS EscalationStep, c.listed AS Listed, c.listed_level AS ListedLevel,
               CASE WHEN {Domain.Cases.Overdue.Predicate} THEN 1 ELSE 0 END AS Overdue
        FROM cases c
        LEFT JOIN units u ON u.id = c.unit_id
        LEFT JOIN units ru ON ru.id = c.responsible_unit_id
        WHERE {InScope} AND c.level = 'major' AND c.reported_at < @End
          AND NOT EXISTS (SELECT 1 FROM case_history r WHERE r.case_id = c.id AND r.action = 'reject' AND r.at < @End)
          AND (SELECT COUNT(*) FROM case_history hp WHERE hp.case_id = c.id AND hp.action = 'verifyPass' AND hp.at < @End)
            = (SELECT COUNT(*) FROM case_history ho WHERE ho.case_id = c.id AND ho.action = 'reopen' AND ho.at < @End)
        ORDER BY c.deadline, c.code
        """;

    // Local days: Asia/Shanghai has been UTC+8 all year since 1991 (see ChinaTime). SQLite's date() rounds the
    // seventh fractional digit into the next second, so the fraction is cut off first.
    private static string DailyTrend(string reportedDay, string closedDay) => $"""
        SELECT k.day AS Day, SUM(k.is_new) AS New, SUM(k.is_close) AS Closes
        FROM (
            SELECT {reportedDay} AS day, 1 AS is_new, 0 AS is_close
            FROM cases c
            WHERE {InScope} AND c.reported_at >= @Start AND c.reported_at < @End
              AND NOT EXISTS (SELECT 1 FROM case_history r WHERE r.case_id = c.id AND r.action = 'reject' AND r.at < @End)
            UNION ALL
            SELECT {closedDay} AS day, 0 AS is_new, 1 AS is_close
            FROM case_history h
            JOIN cases c ON c.id = h.case_id
            WHERE {InScope} AND h.action = 'verifyPass' AND h.at >= @Start AND h.at < @End
        ) k
        GROUP BY k.day
        """;

    public static readonly string Cases = CaseGroups(Child);

    public static readonly string OpenMajors = Majors(Child);

    public static readonly string Trend = DailyTrend("date(substr(c.reported_at, 1, 19), '+8 hours')", "date(substr(h.at, 1, 19), '+8 hours')");
}
