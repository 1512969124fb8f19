namespace Hazards.Domain.Calendar;

/// <summary>Local dates and day boundaries in Asia/Shanghai; every instant returned is UTC (offset zero).</summary>
public static class ChinaTime
{
    // China has had no DST since 1991, but the zone rules stay the single source of the offset.
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today(DateTimeOffset utcNow) => LocalDate(utcNow);

    public static DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>The instant as a clock in Chongqing shows it (offset +08:00), for what a person reads.</summary>
    public static DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateTimeOffset StartOfDay(DateOnly day) => ToUtc(day.ToDateTime(TimeOnly.MinValue));

    public static DateTimeOffset EndOfDay(DateOnly day) => ToUtc(day.ToDateTime(new TimeOnly(23, 59, 59)));

    // Total: the first and last local days of DateTime, whose UTC instants fall outside it, end at its bounds.
    private static DateTimeOffset ToUtc(DateTime local)
    {
        var offset = Zone.GetUtcOffset(local);
        return local.Ticks - offset.Ticks < DateTime.MinValue.Ticks ? DateTimeOffset.MinValue
            : local.Ticks - offset.Ticks > DateTime.MaxValue.Ticks ? DateTimeOffset.MaxValue
            : new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
