namespace Hazards.Domain.Calendar;

/// <summary>
/// The days the service takes from anyone: 2000-01-01 to 2100-12-31, inside the years whose
/// holidays <see cref="StatutoryHolidays"/> computes. A day outside is refused at the edge with a 400.
/// </summary>
public static class DayRange
{
    public static readonly DateOnly First = new(2000, 1, 1);

    public static readonly DateOnly Last = new(StatutoryHolidays.LastYear, 12, 31);

    public static bool Contains(DateOnly day) => day >= First && day <= Last;

    public static bool Contains(DateOnly? day) => day is not { } d || Contains(d);

    public static string Describe => $"{First:yyyy-MM-dd} to {Last:yyyy-MM-dd}";
}
