using System.Globalization;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;
using Microsoft.Data.Sqlite;

namespace Hazards.Bench.Dataset;

/// <summary>How many cases of each state a generated file holds.</summary>
public sealed record CaseCounts(int Reported, int Rectifying, int FixSubmitted, int Closed, int Rejected, int Major, int Users)
{
    public int Open => Reported + Rectifying + FixSubmitted;

    public int Total => Open + Closed + Rejected;

    /// <summary>The rows written into <c>case_history</c> (only counted when the whole lifecycle is written).</summary>
    public long HistoryRows { get; init; }

    public override string ToString() => FormattableString.Invariant(
        $"{Total:N0} cases ({Reported:N0} reported, {Rectifying:N0} rectifying, {FixSubmitted:N0} fixSubmitted, {Closed:N0} closed, {Rejected:N0} rejected; {Major:N0} major), {Users:N0} users");
}

/// <summary>
/// The people and the cases of a generated city: a user of each role for every district, township, grid and
/// unit (so every notice finds its recipients), then cases reported over the two years before
/// <paramref name="end"/>, in every state, their columns filled the way the domain fills them (deadlines from
/// the service's own <see cref="DeadlineCalculator"/>), one history row each and the code counters.
/// Open cases are the recent ones, and those assigned long ago had their deadline extended, so that at
/// <paramref name="end"/> none is overdue yet; the deadlines then fall due over the following months.
/// </summary>
public sealed class CaseGenerator(DeadlineCalculator deadlines, DateTimeOffset end, int seed)
{
    public const double MajorShare = 0.05;
    public const double RejectedShare = 0.06;
    public const double FixedOnSpotShare = 0.12;
    public const double FixSubmittedShare = 0.08;
    public const int ExtendedDeadlineDays = 120;

    private static readonly Sector[] Sectors = Enum.GetValues<Sector>();
    private static readonly Origin[] Origins = Enum.GetValues<Origin>();

    private static readonly string[] Titles =
    [
        "消防通道被杂物堵塞", "灭火器过期未更换", "电气线路私拉乱接", "燃气管道软管老化", "脚手架连墙件缺失",
        "危化品储存超量", "有限空间作业未审批", "特种设备未定期检验", "安全出口锁闭", "边坡出现裂缝",
    ];

    /// <summary>Cases are reported general; a district raises the level to major when it assigns them.</summary>
    private static readonly string ReportDetails = $$"""{"level":"{{Wire.Name(HazardLevel.General)}}"}""";

    /// <summary>How long after a rework's fix its failed check comes.</summary>
    private static readonly TimeSpan ReworkCheck = TimeSpan.FromMinutes(30);

    private readonly BenchIds ids = new(seed);
    private readonly Random random = new(seed);
    private readonly DateTimeOffset start = end.AddDays(-730);

    /// <summary>The city administrator, then for every district, township and grid its officer, and one officer per unit linked in user_units.</summary>
    public Staff WriteUsers(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<GeneratedUnit> units, DateTimeOffset at)
    {
        var grids = units.Select(u => u.GridCode).Distinct().Order(StringComparer.Ordinal).ToArray();
        var townships = grids.Select(g => g[..9]).Distinct().Order(StringComparer.Ordinal).ToArray();
        var districts = townships.Select(t => t[..6]).Distinct().Order(StringComparer.Ordinal).ToArray();
        var created = DapperTypes.FormatInstant(at);
        var staff = new Staff(units.Count);
        using var users = new BulkInsert(connection, transaction, "users", "id", "login", "name", "email", "role", "org_code", "created_at");
        void User(string login, string name, Role role, string org) =>
            users.Row(ids.Next(at), login, name, login + "@hazards.example", Wire.Name(role), org, created);

        User("city-admin", "市安委办值班员", Role.CityAdmin, "500000");
        foreach (var code in districts)
        {
            User(staff.District[code] = "dr-" + code, $"区县监管员{code}", Role.DistrictRegulator, code);
        }

        foreach (var code in townships)
        {
            User(staff.Township[code] = "to-" + code, $"乡镇街道安办{code}", Role.TownshipOfficer, code);
        }

        foreach (var code in grids)
        {
            User(staff.Grid[code] = "gw-" + code, $"网格员{code}", Role.GridWorker, code);
        }

        using var links = new BulkInsert(connection, transaction, "user_units", "user_id", "unit_id");
        for (var u = 0; u < units.Count; u++)
        {
            var login = staff.Unit[u] = FormattableString.Invariant($"uo-{u + 1:D6}");
            var id = ids.Next(at);
            users.Row(id, login, FormattableString.Invariant($"企业安全员{u + 1:D6}"), login + "@hazards.example", Wire.Name(Role.UnitOfficer), units[u].GridCode, created);
            links.Row(id, units[u].Id);
        }

        staff.Users = users.Rows;
        return staff;
    }

    /// <summary>
    /// <paramref name="total"/> cases reported from two years before the end up to it, of which exactly
    /// <paramref name="open"/> are still open, most of them recent: the i-th case is open when
    /// ⌊open · f((i+1)/total)⌋ steps up, with f(x) = x^k, so the share open rises towards the end.
    /// With <paramref name="lifecycle"/> each case also gets the history rows of the moves its state implies
    /// (assign, submitFix and verifyFail for each rework, submitFix, verifyPass, reject), timed from its own
    /// columns and drawing no random numbers, so the cases are the same either way; without it, only the report row.
    /// </summary>
    public CaseCounts WriteCases(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<GeneratedUnit> units, Staff staff, int total, int open, bool lifecycle = false)
    {
        var exponent = open >= total ? 1.0 : Math.Min(5.0, (double)total / open);
        var sequences = new Dictionary<(string District, int Year), int>();
        int reported = 0, rectifying = 0, fixSubmitted = 0, closed = 0, rejected = 0, major = 0;
        var historyRows = 0L;
        using var cases = new BulkInsert(connection, transaction, "cases",
            "id", "code", "status", "level", "sector", "origin", "title", "description", "standard_clause", "unit_id", "grid_code",
            "responsible_unit_id", "org_path", "district_code", "latitude", "longitude", "address", "reported_by", "reported_by_role", "reported_at",
            "triage_deadline", "assigned_by", "assigned_by_role", "assigned_at", "deadline", "plan_goals", "plan_measures", "plan_funds",
            "plan_people", "plan_time_limit", "plan_safety_measures", "plan_approved", "extension_count", "fix_submitted_by", "fix_submitted_at",
            "verification_deadline", "closed_at", "closed_by", "fixed_on_spot", "self_reported", "penalty", "rework_count", "listed",
            "fake_rectification", "escalation_step", "reject_reason", "version", "updated_at");
        using var history = new BulkInsert(connection, transaction, "case_history",
            "case_id", "seq", "action", "from_status", "to_status", "actor_login", "actor_role", "at", "reason", "evidence_ids", "details");
        var span = end - start;
        var last = end.AddSeconds(-1);
        DateTimeOffset Cap(DateTimeOffset t) => t < last ? t : last;
        for (var i = 0; i < total; i++)
        {
            var isOpen = open >= total || Math.Floor(open * Math.Pow((i + 1.0) / total, exponent)) > Math.Floor(open * Math.Pow((double)i / total, exponent));
            var reportedAt = start + (span * ((i + random.NextDouble()) / total));
            var unitIndex = random.Next(units.Count);
            var unit = units[unitIndex];
            var district = unit.GridCode[..6];
            var township = unit.GridCode[..9];
            var year = ChinaTime.LocalDate(reportedAt).Year;
            sequences[(district, year)] = sequences.GetValueOrDefault((district, year)) + 1;
            var code = string.Create(CultureInfo.InvariantCulture, $"YH-{district}-{year}-{sequences[(district, year)]:000000}");
            var sector = Sectors[random.Next(Sectors.Length)];
            var origin = Origins[random.Next(Origins.Length)];
            var (reporter, reporterRole) = origin switch
            {
                Origin.SelfCheck => (staff.Unit[unitIndex], Role.UnitOfficer),
                Origin.GridPatrol or Origin.PublicTip or Origin.SensorAlert => (staff.Grid[unit.GridCode], Role.GridWorker),
                Origin.RegulatorInspection or Origin.SpotCheck => (staff.District[district], Role.DistrictRegulator),
                _ => (staff.Township[township], Role.TownshipOfficer),
            };
            var selfReported = origin == Origin.SelfCheck;
            var penalty = origin is Origin.RegulatorInspection or Origin.SpotCheck or Origin.PublicTip ? Penalty.Aggravated : Penalty.None;
            var title = Titles[random.Next(Titles.Length)];

            // The case as it moves: only what its state reached is set.
            var status = CaseStatus.Reported;
            var level = HazardLevel.General;
            var fixedOnSpot = false;
            var version = 1;
            var updatedAt = reportedAt;
            DateTimeOffset? triageDeadline = null, assignedAt = null, deadline = null, fixSubmittedAt = null, verificationDeadline = null, closedAt = null;
            string? assignedBy = null, assignedByRole = null, responsibleUnit = null, fixSubmittedBy = null, closedBy = null, rejectReason = null, clause = null;
            DateOnly? planLimit = null;
            var extensions = 0;
            var reworks = 0;

            void Assign(bool allowMajor)
            {
                level = allowMajor && random.NextDouble() < MajorShare ? HazardLevel.Major : HazardLevel.General;
                assignedAt = Cap(reportedAt.AddHours(0.5 + (random.NextDouble() * 20)));
                (assignedBy, assignedByRole) = level == HazardLevel.Major
                    ? (staff.District[district], Wire.Name(Role.DistrictRegulator))
                    : (staff.Township[township], Wire.Name(Role.TownshipOfficer));
                responsibleUnit = unit.Id;
                if (level == HazardLevel.Major)
                {
                    clause = "《重大事故隐患判定标准》第四条";
                    planLimit = ChinaTime.LocalDate(assignedAt.Value).AddDays(30 + random.Next(150));
                    deadline = deadlines.MajorFix(assignedAt.Value, planLimit.Value);
                    version += 3;
                }
                else
                {
                    deadline = deadlines.GeneralFix(assignedAt.Value, null);
                    version += 1;
                }

                updatedAt = assignedAt.Value;
            }

            void SubmitFix(DateTimeOffset at)
            {
                status = CaseStatus.FixSubmitted;
                fixSubmittedAt = Cap(at);
                fixSubmittedBy = staff.Unit[unitIndex];
                verificationDeadline = deadlines.Verification(fixSubmittedAt.Value, level == HazardLevel.Major);
                version += 1;
                updatedAt = fixSubmittedAt.Value;
            }

            if (!isOpen && random.NextDouble() < RejectedShare)
            {
                triageDeadline = deadlines.Triage(reportedAt);
                status = CaseStatus.Rejected;
                rejectReason = "经核查不属于安全隐患";
                updatedAt = Cap(reportedAt.AddHours(1 + (random.NextDouble() * 20)));
                version = 2;
                rejected++;
            }
            else if (!isOpen && random.NextDouble() < FixedOnSpotShare)
            {
                // 立查立改: fixed when reported, its own deadline, then verified.
                fixedOnSpot = true;
                responsibleUnit = unit.Id;
                deadline = reportedAt;
                fixSubmittedAt = reportedAt;
                fixSubmittedBy = reporter;
                verificationDeadline = deadlines.Verification(reportedAt, major: false);
                closedAt = Cap(reportedAt.AddHours(2 + (random.NextDouble() * 46)));
                closedBy = staff.Township[township];
                status = CaseStatus.Closed;
                penalty = penalty == Penalty.None && selfReported ? Penalty.Exempt : penalty;
                updatedAt = closedAt.Value;
                version = 2;
                closed++;
            }
            else if (!isOpen)
            {
                triageDeadline = deadlines.Triage(reportedAt);
                Assign(allowMajor: true);
                reworks = random.NextDouble() switch { < 0.02 => 2, < 0.10 => 1, _ => 0 };
                version += 2 * reworks;
                var window = deadline!.Value - assignedAt!.Value;
                SubmitFix(assignedAt.Value + (window * (0.2 + (random.NextDouble() * 0.95))));
                closedAt = Cap(fixSubmittedAt!.Value + ((verificationDeadline!.Value - fixSubmittedAt.Value) * (0.1 + (random.NextDouble() * 0.8))));
                closedBy = level == HazardLevel.Major ? staff.District[district] : staff.Township[township];
                status = CaseStatus.Closed;
                penalty = penalty == Penalty.None && selfReported && fixSubmittedAt <= deadline ? Penalty.Exempt : penalty;
                updatedAt = closedAt.Value;
                version += 1;
                closed++;
            }
            else if (end - reportedAt < TimeSpan.FromDays(1))
            {
                triageDeadline = deadlines.Triage(reportedAt);
                reported++;
            }
            else
            {
                triageDeadline = deadlines.Triage(reportedAt);
                Assign(allowMajor: true);
                status = CaseStatus.Rectifying;
                if (deadline < end)
                {
                    // Still open after its deadline: granted an extension (延期) into the coming months.
                    extensions = random.NextDouble() < 0.2 ? 2 : 1;
                    deadline = ChinaTime.EndOfDay(ChinaTime.LocalDate(end).AddDays(random.Next(ExtendedDeadlineDays)));
                    planLimit = level == HazardLevel.Major ? ChinaTime.LocalDate(deadline.Value) : planLimit;
                    updatedAt = Cap(end.AddDays(-random.Next(1, 20)));
                    version += extensions * 2;
                }

                reworks = random.NextDouble() switch { < 0.01 => 2, < 0.04 => 1, _ => 0 };
                version += 2 * reworks;
                if (random.NextDouble() < FixSubmittedShare)
                {
                    SubmitFix(end.AddHours(-random.NextDouble() * 96) is var at && at > updatedAt ? at : updatedAt.AddMinutes(1));
                    fixSubmitted++;
                }
                else
                {
                    rectifying++;
                }
            }

            if (level == HazardLevel.Major)
            {
                major++;
            }

            // Reworks fall evenly between the assignment and the last fix (or the data's end). The last failed
            // check of a case still rectifying is its latest move, so updated_at, the instant of the last move, follows it.
            var reworkUntil = fixSubmittedAt ?? (assignedAt is { } given && updatedAt > given ? updatedAt : last);
            if (reworks > 0 && assignedAt is { } reworked
                && reworked + ((reworkUntil - reworked) * (reworks / (reworks + 1.0))) + ReworkCheck is var lastFail && lastFail > updatedAt)
            {
                updatedAt = lastFail;
            }

            var id = ids.Next(reportedAt);
            cases.Row(id, code, Wire.Name(status), Wire.Name(level), Wire.Name(sector), Wire.Name(origin), $"{title}（{code}）",
                $"{title}，位于{unit.GridCode}网格。", clause, unit.Id, unit.GridCode, responsibleUnit, unit.OrgPath, district,
                29.0 + random.NextDouble(), 106.0 + random.NextDouble(), null, reporter, Wire.Name(reporterRole), Instant(reportedAt),
                Instant(triageDeadline), assignedBy, assignedByRole, Instant(assignedAt), Instant(deadline),
                planLimit is null ? null : "消除隐患", planLimit is null ? null : "停产整改、更换设备", planLimit is null ? null : "50万元",
                planLimit is null ? null : "企业主要负责人", planLimit?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                planLimit is null ? null : "设置警戒区、专人值守", planLimit is null ? 0 : 1, extensions, fixSubmittedBy, Instant(fixSubmittedAt),
                Instant(verificationDeadline), Instant(closedAt), closedBy, fixedOnSpot ? 1 : 0, selfReported ? 1 : 0, Wire.Name(penalty),
                reworks, 0, 0, 0, rejectReason, version, Instant(updatedAt));
            history.Row(id, 1, Wire.Name(fixedOnSpot ? CaseAction.ReportFixedOnSpot : CaseAction.Report), null,
                Wire.Name(fixedOnSpot ? CaseStatus.FixSubmitted : CaseStatus.Reported), reporter, Wire.Name(reporterRole), Instant(reportedAt),
                null, "[]", ReportDetails);
            if (lifecycle)
            {
                var seq = 1;
                void Move(CaseAction action, CaseStatus from, CaseStatus to, string actor, Role role, DateTimeOffset at) =>
                    history.Row(id, ++seq, Wire.Name(action), Wire.Name(from), Wire.Name(to), actor, Wire.Name(role), Instant(at), null, "[]", "{}");
                var (checker, checkerRole) = level == HazardLevel.Major
                    ? (staff.District[district], Role.DistrictRegulator)
                    : (staff.Township[township], Role.TownshipOfficer);
                if (status == CaseStatus.Rejected)
                {
                    Move(CaseAction.Reject, CaseStatus.Reported, CaseStatus.Rejected, staff.Township[township], Role.TownshipOfficer, updatedAt);
                }
                else if (fixedOnSpot)
                {
                    Move(CaseAction.VerifyPass, CaseStatus.FixSubmitted, CaseStatus.Closed, closedBy!, Role.TownshipOfficer, closedAt!.Value);
                }
                else if (assignedAt is { } assigned)
                {
                    Move(CaseAction.Assign, CaseStatus.Reported, CaseStatus.Rectifying, checker, checkerRole, assigned);
                    for (var w = 1; w <= reworks; w++)
                    {
                        var fix = assigned + ((reworkUntil - assigned) * (w / (reworks + 1.0)));
                        Move(CaseAction.SubmitFix, CaseStatus.Rectifying, CaseStatus.FixSubmitted, staff.Unit[unitIndex], Role.UnitOfficer, fix);
                        Move(CaseAction.VerifyFail, CaseStatus.FixSubmitted, CaseStatus.Rectifying, checker, checkerRole, fix + ReworkCheck);
                    }

                    if (fixSubmittedAt is { } submitted)
                    {
                        Move(CaseAction.SubmitFix, CaseStatus.Rectifying, CaseStatus.FixSubmitted, staff.Unit[unitIndex], Role.UnitOfficer, submitted);
                    }

                    if (closedAt is { } closing)
                    {
                        Move(CaseAction.VerifyPass, CaseStatus.FixSubmitted, CaseStatus.Closed, checker, checkerRole, closing);
                    }
                }

                historyRows += seq;
            }
        }

        using var counters = new BulkInsert(connection, transaction, "case_code_sequences", "district_code", "year", "last_value");
        foreach (var ((district, year), value) in sequences)
        {
            counters.Row(district, year, value);
        }

        return new CaseCounts(reported, rectifying, fixSubmitted, closed, rejected, major, staff.Users) { HistoryRows = historyRows };
    }

    private static string? Instant(DateTimeOffset? at) => at is { } value ? DapperTypes.FormatInstant(value) : null;
}

/// <summary>The login of the officer for each district, township, grid (by code) and unit (by index).</summary>
public sealed class Staff(int units)
{
    public Dictionary<string, string> District { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Township { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Grid { get; } = new(StringComparer.Ordinal);

    public string[] Unit { get; } = new string[units];

    public int Users { get; set; }
}
