namespace Hazards.Domain.Inspections;

/// <summary>
/// Which slots a plan owes: the slot of every period that shares a day with the plan's active days. A plan that starts
/// on a Tuesday owes that week's slot from the moment it exists, so this week's check can be recorded this week; only a
/// slot that ends unfilled is missed. A plan may start in the current period but not before it: an earlier period could
/// only be owed after it closed. <see cref="Owes"/> answers for one period, <see cref="Predicate"/> for set-based
/// statements (the due list, the missed-check sweep).
/// </summary>
public static class PlanSlots
{
    public static bool Owes(Period period, DateOnly activeFrom, DateOnly? activeTo) =>
        activeFrom <= period.End && (activeTo is not { } to || to >= period.Start);

    /// <summary>The first day a plan of <paramref name="cadence"/> created on <paramref name="today"/> may start: its current period's first.</summary>
    public static DateOnly EarliestStart(Cadence cadence, DateOnly today) => Period.Containing(cadence, today).Start;

    /// <summary><see cref="Owes"/> for the plans of a table aliased <c>p</c>, given SQL expressions for the period's first and last day.</summary>
    public static string Predicate(string periodStart, string periodEnd) =>
        $"p.active_from <= {periodEnd} AND (p.active_to IS NULL OR p.active_to >= {periodStart})";
}
