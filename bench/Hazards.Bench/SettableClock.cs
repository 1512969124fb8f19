namespace Hazards.Bench;

/// <summary>The service's clock, set by the benchmark to the instant a scenario needs.</summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
