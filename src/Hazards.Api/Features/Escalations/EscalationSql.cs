using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Escalation;

namespace Hazards.Api.Features.Escalations;

/// <summary>
/// The set-based statements of the escalation sweep. Each subject kind finds, in one INSERT … SELECT, the
/// subjects whose step rose and numbers their letters per district and step after the last number used.
/// </summary>
internal static class EscalationSql
{
    /// <summary>A random version-4 id in SQLite's text form (SQL Server has NEWID()).</summary>
    internal const string SqliteId = """
        lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
        || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
        """;

    private const string Columns = """
        INSERT INTO escalation_notices (id, subject_kind, subject_id, subject_round, step, case_id, plan_id, unit_id, org_path, grid_code,
            district_code, letter_year, letter_seq, due_at, misses, respond_by, acknowledge_by, sweep_id, created_at)
        """;

    // 警示函 and above expect their addressees' 签收 by @AcknowledgeBy.
    private static readonly string AcknowledgeBy = $"CASE WHEN x.step >= {EscalationLadder.AcknowledgedFromStep} THEN @AcknowledgeBy END";

    private const string Numbering = """
        COALESCE(ls.last_value, 0) + ROW_NUMBER() OVER (PARTITION BY x.district_code, x.step ORDER BY x.code)
        """;

    private static string CaseKind(string id, string substring, string kind, string round, string dueColumn, string status, string stepExpression, string candidate) => $"""
        {Columns}
        SELECT {id}, '{kind}', x.id, x.subject_round, x.step, x.id, NULL, x.unit_id, x.org_path, x.grid_code, x.district_code, @Year,
               {Numbering}, x.due_at, NULL, @RespondBy, {AcknowledgeBy}, @SweepId, @Now
        FROM (
            SELECT y.*, {stepExpression} AS step
            FROM (
                SELECT c.id, c.code, {round} AS subject_round, c.{dueColumn} AS due_at, {Cases.ResponsibleSide.UnitColumn} AS unit_id,
                       c.org_path, COALESCE(c.grid_code, {substring}(c.org_path, 16, 9)) AS grid_code, c.district_code, c.level, c.rework_count
                FROM cases c
                WHERE c.status = '{status}' AND c.{dueColumn} IS NOT NULL AND ({candidate})
            ) y
        ) x
        LEFT JOIN letter_sequences ls ON ls.district_code = x.district_code AND ls.year = @Year AND ls.step = x.step
        WHERE NOT EXISTS (SELECT 1 FROM escalation_notices n
                          WHERE n.subject_kind = '{kind}' AND n.subject_id = x.id AND n.subject_round = x.subject_round AND n.step >= x.step)
        """;

    /// <summary>The fix deadline: warned before it, stepped up after; an extension or a reopening starts a new round.</summary>
    public static readonly Sql InsertFix = new(
        CaseKind(SqliteId, "substr", "fix", "c.deadline", "deadline", "rectifying", EscalationLadder.FixStepSql, EscalationLadder.FixCandidateSql),
        CaseKind("NEWID()", "SUBSTRING", "fix", "CONVERT(varchar(40), c.deadline, 127)", "deadline", "rectifying", EscalationLadder.FixStepSql,
            EscalationLadder.FixCandidateSql));

    /// <summary>Triage that ran past its working day: no early warning, only the overdue steps.</summary>
    public static readonly Sql InsertTriage = new(
        CaseKind(SqliteId, "substr", "triage", "''", "triage_deadline", "reported", EscalationLadder.LateStepSql, EscalationLadder.LateCandidateSql("triage_deadline")),
        CaseKind("NEWID()", "SUBSTRING", "triage", "''", "triage_deadline", "reported", EscalationLadder.LateStepSql,
            EscalationLadder.LateCandidateSql("triage_deadline")));

    /// <summary>Verification that ran past its limit; each submitted fix is a round of its own.</summary>
    public static readonly Sql InsertVerification = new(
        CaseKind(SqliteId, "substr", "verification", "c.fix_submitted_at", "verification_deadline", "fixSubmitted", EscalationLadder.LateStepSql,
            EscalationLadder.LateCandidateSql("verification_deadline")),
        CaseKind("NEWID()", "SUBSTRING", "verification", "CONVERT(varchar(40), c.fix_submitted_at, 127)", "verification_deadline", "fixSubmitted",
            EscalationLadder.LateStepSql, EscalationLadder.LateCandidateSql("verification_deadline")));

    private static string InspectionKind(string id, string substring) => $"""
        {Columns}
        SELECT {id}, 'inspection', x.plan_id, x.streak_start, x.step, NULL, x.plan_id, x.unit_id, x.org_path, x.grid_code, x.district_code, @Year,
               {Numbering}, NULL, x.misses, @RespondBy, {AcknowledgeBy}, @SweepId, @Now
        FROM (
            SELECT y.*, {EscalationLadder.MissesStepSql} AS step
            FROM (
                SELECT s.plan_id, s.streak_start, s.misses, p.unit_id, p.org_path, p.name AS code,
                       COALESCE(p.grid_code, u.grid_code) AS grid_code, {substring}(COALESCE(p.grid_code, u.grid_code), 1, 6) AS district_code,
                       {EscalationLadder.MissesRawStepSql} AS raw_step
                FROM (
                    SELECT m.plan_id, m.streak_start, MAX(m.consecutive) AS misses
                    FROM inspection_missed m
                    WHERE m.period_end >= @MissedSince
                    GROUP BY m.plan_id, m.streak_start
                ) s
                JOIN inspection_plans p ON p.id = s.plan_id
                LEFT JOIN units u ON u.id = p.unit_id
            ) y
            WHERE {EscalationLadder.MissesCandidateSql}
        ) x
        LEFT JOIN letter_sequences ls ON ls.district_code = x.district_code AND ls.year = @Year AND ls.step = x.step
        WHERE NOT EXISTS (SELECT 1 FROM escalation_notices n
                          WHERE n.subject_kind = 'inspection' AND n.subject_id = x.plan_id AND n.subject_round = x.streak_start AND n.step >= x.step)
        """;

    /// <summary>A plan's run of missed checks: the run is the round, its length the step.</summary>
    public static readonly Sql InsertInspection = new(InspectionKind(SqliteId, "substr"), InspectionKind("NEWID()", "SUBSTRING"));

    public static readonly Sql AdvanceLetterSequences = new(
        """
        INSERT INTO letter_sequences (district_code, year, step, last_value)
        SELECT n.district_code, n.letter_year, n.step, MAX(n.letter_seq)
        FROM escalation_notices n WHERE n.sweep_id = @SweepId
        GROUP BY n.district_code, n.letter_year, n.step
        ON CONFLICT (district_code, year, step) DO UPDATE SET last_value = excluded.last_value
        WHERE excluded.last_value > letter_sequences.last_value
        """,
        """
        MERGE letter_sequences WITH (HOLDLOCK) AS t
        USING (SELECT n.district_code, n.letter_year, n.step, MAX(n.letter_seq) AS last_value
               FROM escalation_notices n WHERE n.sweep_id = @SweepId
               GROUP BY n.district_code, n.letter_year, n.step) AS s
        ON t.district_code = s.district_code AND t.year = s.letter_year AND t.step = s.step
        WHEN MATCHED AND s.last_value > t.last_value THEN UPDATE SET last_value = s.last_value
        WHEN NOT MATCHED THEN INSERT (district_code, year, step, last_value) VALUES (s.district_code, s.letter_year, s.step, s.last_value);
        """);

    // A case placed only at a township (a public tip without a grid) carries the township code for its grid:
    // no grid worker matches it and its first nine digits still find the township officers.
    // One indexed join per kind of recipient, united: a single join with the kinds OR-ed together scanned
    // every user for every notice (measured in bench/: 196 s against 2.4 s at 50,000 cases). Each branch picks
    // users of one role, one row per (notice, user), so the branches cannot overlap: UNION ALL, no de-duplication.
    // The addressees, whose 签收 a warning expects, are the responsible side: the unit's officers and the grid's
    // workers, or the township's officers for a case placed at a township; everyone above is copied.
    private static string Recipients(string substring, string length) => $"""
        INSERT INTO notice_recipients (notice_id, user_id, sweep_id, addressee)
        SELECT n.id, uu.user_id, n.sweep_id, 1
        FROM escalation_notices n
        JOIN user_units uu ON uu.unit_id = n.unit_id
        JOIN users u ON u.id = uu.user_id AND u.role = 'unitOfficer' AND u.active = 1
        WHERE n.sweep_id = @SweepId
        UNION ALL
        SELECT n.id, u.id, n.sweep_id, 1 FROM escalation_notices n JOIN users u ON u.org_code = n.grid_code AND u.role = 'gridWorker' AND u.active = 1
        WHERE n.sweep_id = @SweepId
        UNION ALL
        SELECT n.id, u.id, n.sweep_id, CASE WHEN {length}(n.grid_code) = 9 THEN 1 ELSE 0 END
        FROM escalation_notices n JOIN users u ON u.org_code = {substring}(n.grid_code, 1, 9) AND u.role = 'townshipOfficer' AND u.active = 1
        WHERE n.sweep_id = @SweepId AND n.step >= 1
        UNION ALL
        SELECT n.id, u.id, n.sweep_id, 0 FROM escalation_notices n JOIN users u ON u.org_code = n.district_code AND u.role = 'districtRegulator' AND u.active = 1
        WHERE n.sweep_id = @SweepId AND n.step >= 2
        UNION ALL
        SELECT n.id, u.id, n.sweep_id, 0 FROM escalation_notices n JOIN users u ON u.role = 'cityAdmin' AND u.active = 1
        WHERE n.sweep_id = @SweepId AND n.step >= 3
        """;

    /// <summary>Who a notice goes to, resolved from the hierarchy now: the ladder of design §7.</summary>
    public static readonly Sql InsertRecipients = new(Recipients("substr", "length"), Recipients("SUBSTRING", "LEN"));

    /// <summary>
    /// 叫应: a warning whose addressees did not acknowledge it by its time is chased once, in the sweep that finds it, while
    /// its subject is still open (a case closed or rejected meanwhile needs nobody called). The primary key and the NOT
    /// EXISTS make a doubled or concurrent sweep chase nothing twice.
    /// </summary>
    public static readonly Sql InsertChases = Sql.Portable("""
        INSERT INTO notice_chases (notice_id, sweep_id, created_at)
        SELECT n.id, @SweepId, @Now
        FROM escalation_notices n
        LEFT JOIN cases c ON c.id = n.case_id
        WHERE n.acknowledged_at IS NULL AND n.acknowledge_by <= @Now
          AND (c.id IS NULL OR c.status NOT IN ('closed', 'rejected'))
          AND NOT EXISTS (SELECT 1 FROM notice_chases h WHERE h.notice_id = n.id)
        """);

    // The level above the addressees: the township's officers above a grid, the district's regulators above a township.
    private static string ChaseRecipients(string substring, string length) => $"""
        INSERT INTO chase_recipients (notice_id, user_id, sweep_id)
        SELECT n.id, u.id, h.sweep_id
        FROM notice_chases h
        JOIN escalation_notices n ON n.id = h.notice_id
        JOIN users u ON u.org_code = {substring}(n.grid_code, 1, 9) AND u.role = 'townshipOfficer' AND u.active = 1
        WHERE h.sweep_id = @SweepId AND {length}(n.grid_code) = 15
        UNION ALL
        SELECT n.id, u.id, h.sweep_id
        FROM notice_chases h
        JOIN escalation_notices n ON n.id = h.notice_id
        JOIN users u ON u.org_code = n.district_code AND u.role = 'districtRegulator' AND u.active = 1
        WHERE h.sweep_id = @SweepId AND {length}(n.grid_code) = 9
        """;

    /// <summary>Who a chase goes to: the level above the notice's addressees.</summary>
    public static readonly Sql InsertChaseRecipients = new(ChaseRecipients("substr", "length"), ChaseRecipients("SUBSTRING", "LEN"));

    /// <summary>One sweep at a time on SQL Server; SQLite's single writer already serializes it.</summary>
    public static readonly Sql Lock = new(
        "SELECT 0",
        "DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'hazards:escalate', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000; SELECT @result;");
}
