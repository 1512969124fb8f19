using FluentValidation;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>Days taken from a request are bounded at the edge: <see cref="DayRange"/>, else a 400.</summary>
public static class Days
{
    public const string OutOfRange = "request.date_out_of_range";

    public static DateOnly? InRange(DateOnly? day, string name) => DayRange.Contains(day)
        ? day
        : throw ProblemException.BadRequest(OutOfRange, $"{name} must be a day from {DayRange.Describe}.");

    public static DateOnly InRange(DateOnly day, string name) => InRange((DateOnly?)day, name)!.Value;

    /// <summary>
    /// A last day a person sets for a fix (an extension, a plan's time limit): from today to the policy's
    /// <see cref="DeadlinePolicy.MajorMaxCalendarDays"/> ahead, checked when it is submitted, not only when approved.
    /// </summary>
    public static IRuleBuilderOptions<T, DateOnly?> WithinPolicy<T>(this IRuleBuilder<T, DateOnly?> rule, TimeProvider clock, DeadlinePolicy policy) =>
        rule.Must(day =>
        {
            var today = ChinaTime.Today(clock.GetUtcNow());
            return day is not { } d || (d >= today && d.DayNumber - today.DayNumber <= policy.MajorMaxCalendarDays);
        }).WithMessage($"A day from today to {policy.MajorMaxCalendarDays} days ahead.");

    /// <summary>The same bound for a validator's rule.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> WithinRange<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.Must(day => DayRange.Contains(day)).WithMessage($"A day from {DayRange.Describe}.");
}
