using System.Globalization;
using Hazards.Domain.Calendar;

namespace Hazards.Domain.Tests.Calendar;

public sealed class ChinaTimeTests
{
    private static DateTimeOffset Utc(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    [TestCase("2026-01-05T15:59:59Z", "2026-01-05")]
    [TestCase("2026-01-05T16:00:00Z", "2026-01-06")]
    [TestCase("2026-01-05T08:00:00+08:00", "2026-01-05")]
    public void LocalDate_WhenAroundLocalMidnight_ReturnsTheShanghaiDate(string instant, string expected)
    {
        var result = ChinaTime.LocalDate(Utc(instant));

        Assert.That(result, Is.EqualTo(DateOnly.Parse(expected, CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Today_WhenUtcIsStillYesterday_ReturnsTheShanghaiDate()
    {
        var result = ChinaTime.Today(Utc("2025-12-31T16:30:00Z"));

        Assert.That(result, Is.EqualTo(new DateOnly(2026, 1, 1)));
    }

    [Test]
    public void EndOfDay_WhenCalled_Returns235959LocalAsUtc()
    {
        var result = ChinaTime.EndOfDay(new DateOnly(2026, 1, 5));

        Assert.That(result, Is.EqualTo(Utc("2026-01-05T15:59:59Z")));
        Assert.That(result.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void StartOfDay_WhenCalled_ReturnsLocalMidnightAsUtc()
    {
        var result = ChinaTime.StartOfDay(new DateOnly(2026, 1, 5));

        Assert.That(result, Is.EqualTo(Utc("2026-01-04T16:00:00Z")));
        Assert.That(result.Offset, Is.EqualTo(TimeSpan.Zero));
    }
}
