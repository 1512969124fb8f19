using System.Globalization;
using Hazards.Domain.Calendar;
using Hazards.Domain.Inspections;

namespace Hazards.Domain.Escalation;

/// <summary>The thresholds of design §7, in working days; configuration may change every one.</summary>
public sealed record LadderPolicy
{
    public int WarnWorkingDaysBefore { get; init; } = 3;
    public int ReminderWorkingDaysOverdue { get; init; } = 1;
    public int WarningWorkingDaysOverdue { get; init; } = 5;
    public int CircularWorkingDaysOverdue { get; init; } = 15;
    public int ExposureWorkingDaysOverdue { get; init; } = 30;
    public int ReworksForWarning { get; init; } = 2;
    public int RespondWorkingDays { get; init; } = 3;
    public int DailyMissesPerStep { get; init; } = 3;
    public int WeeklyMissesPerStep { get; init; } = 2;
    public int MonthlyMissesPerStep { get; init; } = 1;

    /// <summary>叫应: how long the addressees of a notice of <see cref="EscalationLadder.AcknowledgedFromStep"/> and above have to acknowledge it.</summary>
    public int AcknowledgeHours { get; init; } = 24;
}

/// <summary>
/// The instants a sweep compares deadlines with: a deadline at or before <see cref="Cut"/>[k] is at least
/// the k-th step's working days overdue; at or before <see cref="WarnBy"/> it is within the warning window.
/// </summary>
public sealed record LadderCuts(DateTimeOffset Now, DateTimeOffset WarnBy, IReadOnlyList<DateTimeOffset> Cut, DateTimeOffset RespondBy);

/// <summary>快警、快控、快处: 预警 → 提示函 → 警示函 → 通报 → 曝光.</summary>
public sealed class EscalationLadder(WorkdayCalendar calendar, LadderPolicy policy)
{
    public const int None = -1;

    /// <summary>警示函 and above expect an acknowledgement (签收) from their addressees; an unanswered one is chased a level up.</summary>
    public const int AcknowledgedFromStep = 2;

    private static readonly string[] Names = ["预警", "提示函", "警示函", "通报", "曝光"];
    private static readonly string[] LetterWords = ["预", "提", "警", "通", "曝"];

    public LadderPolicy Policy => policy;

    public static string StepName(int step) => Names[step];

    /// <summary>A letter number like 渝中安提〔2026〕12号: district, 安 (the safety committee), step, year, sequence.</summary>
    public static string LetterNumber(string districtName, int step, int year, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{ShortName(districtName)}安{LetterWords[step]}〔{year}〕{sequence}号");

    /// <summary>渝中区 → 渝中, 石柱土家族自治县 → 石柱: the usual short form in official letter numbers.</summary>
    public static string ShortName(string districtName) =>
        districtName.Contains("自治县", StringComparison.Ordinal) ? districtName[..2]
        : districtName.EndsWith('区') || districtName.EndsWith('县') ? districtName[..^1]
        : districtName;

    public LadderCuts CutsAt(DateTimeOffset now)
    {
        var today = ChinaTime.LocalDate(now);
        int[] thresholds = [policy.ReminderWorkingDaysOverdue, policy.WarningWorkingDaysOverdue, policy.CircularWorkingDaysOverdue, policy.ExposureWorkingDaysOverdue];
        var cuts = new List<DateTimeOffset> { now };
        cuts.AddRange(thresholds.Select(t => ChinaTime.EndOfDay(LatestDayOverdueBy(today, t))));
        return new LadderCuts(now, ChinaTime.EndOfDay(calendar.AddWorkingDays(today, policy.WarnWorkingDaysBefore)), cuts,
            ChinaTime.EndOfDay(calendar.AddWorkingDays(today, policy.RespondWorkingDays)));
    }

    /// <summary>
    /// The step a fix deadline has reached, or <see cref="None"/> when the case is no candidate (neither within the
    /// warning window nor reworked often enough). The sweep applies the same rule set-based: <see cref="FixCandidateSql"/>
    /// picks the candidates and <see cref="FixStepSql"/> their step.
    /// </summary>
    public int StepFor(DateTimeOffset deadline, DateTimeOffset now, bool major, int reworks)
    {
        var cuts = CutsAt(now);
        return deadline <= cuts.Cut[4] ? 4
            : deadline <= cuts.Cut[3] || (major && deadline < now) ? 3
            : deadline <= cuts.Cut[2] || reworks >= policy.ReworksForWarning ? 2
            : deadline <= cuts.Cut[1] ? 1
            : deadline <= cuts.WarnBy ? 0
            : None;
    }

    /// <summary>
    /// <see cref="StepFor"/> for the cases of a table aliased <c>c</c>: a candidate for a fix notice. Binds <c>@WarnBy</c>
    /// of <see cref="CutsAt"/> and <c>@ReworksForWarning</c> of the policy.
    /// </summary>
    public const string FixCandidateSql = "c.deadline <= @WarnBy OR c.rework_count >= @ReworksForWarning";

    /// <summary>
    /// <see cref="StepFor"/> for a candidate row <c>y</c> (<c>due_at</c>, <c>level</c>, <c>rework_count</c>). Binds <c>@Now</c>
    /// and <c>@Cut1</c>…<c>@Cut4</c> of <see cref="CutsAt"/> and <c>@ReworksForWarning</c> of the policy.
    /// </summary>
    public const string FixStepSql = """
        CASE WHEN y.due_at <= @Cut4 THEN 4
             WHEN y.due_at <= @Cut3 OR (y.level = 'major' AND y.due_at < @Now) THEN 3
             WHEN y.due_at <= @Cut2 OR y.rework_count >= @ReworksForWarning THEN 2
             WHEN y.due_at <= @Cut1 THEN 1
             ELSE 0 END
        """;

    /// <summary>
    /// The step of a triage or verification that ran past its deadline: no early warning, only the overdue steps;
    /// <see cref="None"/> before the first. The sweep's forms are <see cref="LateCandidateSql"/> and <see cref="LateStepSql"/>.
    /// </summary>
    public int LateStepFor(DateTimeOffset due, DateTimeOffset now)
    {
        var cuts = CutsAt(now);
        return due <= cuts.Cut[4] ? 4
            : due <= cuts.Cut[3] ? 3
            : due <= cuts.Cut[2] ? 2
            : due <= cuts.Cut[1] ? 1
            : None;
    }

    /// <summary><see cref="LateStepFor"/> for the cases of a table aliased <c>c</c>: a candidate once its deadline passed <c>@Cut1</c>.</summary>
    public static string LateCandidateSql(string dueColumn) => $"c.{dueColumn} <= @Cut1";

    /// <summary><see cref="LateStepFor"/> for a candidate row <c>y</c> (<c>due_at</c>); binds <c>@Cut1</c>…<c>@Cut4</c> of <see cref="CutsAt"/>.</summary>
    public const string LateStepSql =
        "CASE WHEN y.due_at <= @Cut4 THEN 4 WHEN y.due_at <= @Cut3 THEN 3 WHEN y.due_at <= @Cut2 THEN 2 WHEN y.due_at <= @Cut1 THEN 1 ELSE 0 END";

    public int MissesPerStep(Cadence cadence) => cadence switch
    {
        Cadence.Daily => policy.DailyMissesPerStep,
        Cadence.Weekly => policy.WeeklyMissesPerStep,
        _ => policy.MonthlyMissesPerStep,
    };

    /// <summary>
    /// A plan's run of missed slots: step 1 at the threshold, one step more at each multiple, at most 4. The sweep's forms:
    /// <see cref="MissesRawStepSql"/>, kept where <see cref="MissesCandidateSql"/> holds, capped by <see cref="MissesStepSql"/>.
    /// </summary>
    public int StepForMisses(Cadence cadence, int consecutive) => Math.Min(4, consecutive / MissesPerStep(cadence)) is var step and > 0 ? step : None;

    /// <summary>
    /// The uncapped step of a run <c>s</c> (<c>misses</c>) of a plan <c>p</c> (<c>cadence</c>); binds <c>@DailyPerStep</c>,
    /// <c>@WeeklyPerStep</c> and <c>@MonthlyPerStep</c> of <see cref="MissesPerStep"/>.
    /// </summary>
    public const string MissesRawStepSql =
        "s.misses / CASE p.cadence WHEN 'daily' THEN @DailyPerStep WHEN 'weekly' THEN @WeeklyPerStep ELSE @MonthlyPerStep END";

    /// <summary>A run of the row <c>y</c> (<c>raw_step</c> of <see cref="MissesRawStepSql"/>) reached a step.</summary>
    public const string MissesCandidateSql = "y.raw_step >= 1";

    /// <summary>The step of the row <c>y</c>: its raw step, at most 4.</summary>
    public const string MissesStepSql = "CASE WHEN y.raw_step > 4 THEN 4 ELSE y.raw_step END";

    /// <summary>The latest day d such that the working days in (d, today] number at least <paramref name="workingDays"/>.</summary>
    private DateOnly LatestDayOverdueBy(DateOnly today, int workingDays)
    {
        var day = today;
        var counted = 0;
        while (counted < workingDays)
        {
            if (calendar.IsWorkingDay(day))
            {
                counted++;
            }

            day = day.AddDays(-1);
        }

        return day;
    }
}
