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

    /// <summary>The step a deadline has reached: the same rule the sweep's SQL applies with <see cref="CutsAt"/>.</summary>
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

    public int MissesPerStep(Cadence cadence) => cadence switch
    {
        Cadence.Daily => policy.DailyMissesPerStep,
        Cadence.Weekly => policy.WeeklyMissesPerStep,
        _ => policy.MonthlyMissesPerStep,
    };

    /// <summary>A plan's run of missed slots: step 1 at the threshold, one step more at each multiple, at most 4.</summary>
    public int StepForMisses(Cadence cadence, int consecutive) => Math.Min(4, consecutive / MissesPerStep(cadence)) is var step and > 0 ? step : None;

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
