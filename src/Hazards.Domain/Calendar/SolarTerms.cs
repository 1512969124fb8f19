namespace Hazards.Domain.Calendar;

/// <summary>
/// The 24 solar terms (节气) are instants at which the Sun's apparent ecliptic longitude is a multiple of
/// 15°; 清明 is 15°. The longitude follows Meeus, Astronomical Algorithms, ch. 25 (low accuracy, about
/// 0.01°, which is a quarter of an hour), good enough to name the day in Beijing time.
/// </summary>
public static class SolarTerms
{
    private const double DaysPerDegree = 365.2422 / 360.0;

    /// <summary>The local date in Asia/Shanghai of 清明 (the Sun at 15°) in <paramref name="year"/>.</summary>
    public static DateOnly Qingming(int year) => ChinaTime.LocalDate(Instant(year, 15.0, new DateTime(year, 4, 4, 0, 0, 0, DateTimeKind.Utc)));

    /// <summary>The instant (UTC) near <paramref name="guess"/> when the apparent solar longitude is <paramref name="degrees"/>.</summary>
    public static DateTimeOffset Instant(int year, double degrees, DateTime guess)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        var julianDay = JulianDay(guess);
        for (var i = 0; i < 8; i++)
        {
            var off = degrees - ApparentLongitude(julianDay);
            off -= 360.0 * Math.Round(off / 360.0);
            julianDay += off * DaysPerDegree;
        }

        return new DateTimeOffset(new DateTime(1858, 11, 17, 0, 0, 0, DateTimeKind.Utc).AddDays(julianDay - 2400000.5), TimeSpan.Zero);
    }

    /// <summary>The Sun's apparent longitude in degrees [0, 360) at a Julian day (TT and UT differ by about a minute; ignored).</summary>
    public static double ApparentLongitude(double julianDay)
    {
        var t = (julianDay - 2451545.0) / 36525.0;
        var meanLongitude = 280.46646 + (36000.76983 * t) + (0.0003032 * t * t);
        var meanAnomaly = Radians(357.52911 + (35999.05029 * t) - (0.0001537 * t * t));
        var centre = ((1.914602 - (0.004817 * t) - (0.000014 * t * t)) * Math.Sin(meanAnomaly))
            + ((0.019993 - (0.000101 * t)) * Math.Sin(2 * meanAnomaly))
            + (0.000289 * Math.Sin(3 * meanAnomaly));
        var node = Radians(125.04 - (1934.136 * t));
        var apparent = meanLongitude + centre - 0.00569 - (0.00478 * Math.Sin(node));
        return ((apparent % 360.0) + 360.0) % 360.0;
    }

    private static double JulianDay(DateTime utc) => (utc - new DateTime(1858, 11, 17, 0, 0, 0, DateTimeKind.Utc)).TotalDays + 2400000.5;

    private static double Radians(double degrees) => degrees * Math.PI / 180.0;
}
