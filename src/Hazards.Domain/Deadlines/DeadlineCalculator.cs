using Hazards.Domain.Calendar;

namespace Hazards.Domain.Deadlines;

/// <summary>
/// Computes deadlines as 23:59:59 Asia/Shanghai of a working day, counted from the day after the
/// event's local date (期间开始之日不计算在期间内). Every instant taken and returned is UTC.
/// </summary>
public sealed class DeadlineCalculator(WorkdayCalendar calendar, DeadlinePolicy policy)
{
    public DateTimeOffset GeneralFix(DateTimeOffset assignedAt, string? sector) =>
        Due(assignedAt, sector is not null && policy.SectorFixWorkingDays.TryGetValue(sector, out var days)
            ? days
            : policy.GeneralFixWorkingDays);

    public DateTimeOffset Triage(DateTimeOffset reportedAt) => Due(reportedAt, policy.TriageWorkingDays);

    public DateTimeOffset Verification(DateTimeOffset fixSubmittedAt, bool major) =>
        Due(fixSubmittedAt, major ? policy.VerifyMajorWorkingDays : policy.VerifyGeneralWorkingDays);

    /// <summary>A major hazard's deadline is the approved plan's date, at most MajorMaxCalendarDays away.</summary>
    public DateTimeOffset MajorFix(DateTimeOffset assignedAt, DateOnly planTimeLimit)
    {
        var assignedDay = ChinaTime.LocalDate(assignedAt);
        if (planTimeLimit < assignedDay)
        {
            throw new DomainRuleException(
                "case.deadline_in_past",
                $"The plan's time limit {planTimeLimit:yyyy-MM-dd} is before the assignment date {assignedDay:yyyy-MM-dd}.");
        }

        if (planTimeLimit.DayNumber - assignedDay.DayNumber > policy.MajorMaxCalendarDays)
        {
            throw new DomainRuleException(
                "case.plan_time_limit_too_far",
                $"The plan's time limit {planTimeLimit:yyyy-MM-dd} is more than {policy.MajorMaxCalendarDays} days after {assignedDay:yyyy-MM-dd}.");
        }

        return ChinaTime.EndOfDay(planTimeLimit);
    }

    /// <summary>Working days after the deadline's local date up to and including today's; 0 while not yet due.</summary>
    public int WorkingDaysOverdue(DateTimeOffset deadline, DateTimeOffset now) => now <= deadline
        ? 0
        : calendar.WorkingDaysBetween(ChinaTime.LocalDate(deadline), ChinaTime.LocalDate(now));

    /// <summary>Working days after today up to and including the deadline's day; 0 on the deadline day or later.</summary>
    public int WorkingDaysUntil(DateTimeOffset deadline, DateTimeOffset now) =>
        calendar.WorkingDaysBetween(ChinaTime.LocalDate(now), ChinaTime.LocalDate(deadline));

    private DateTimeOffset Due(DateTimeOffset eventAt, int workingDays) =>
        ChinaTime.EndOfDay(calendar.AddWorkingDays(ChinaTime.LocalDate(eventAt), workingDays));
}
