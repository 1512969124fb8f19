namespace Hazards.Domain.Deadlines;

/// <summary>Deadline lengths of design §5, in working days unless named otherwise.</summary>
public sealed record DeadlinePolicy
{
    public int GeneralFixWorkingDays { get; init; } = 7;

    /// <summary>Per-sector overrides of <see cref="GeneralFixWorkingDays"/>, keyed by sector name such as "fire", in any case.</summary>
    public IReadOnlyDictionary<string, int> SectorFixWorkingDays
    {
        get;
        init => field = new Dictionary<string, int>(value, StringComparer.OrdinalIgnoreCase);
    } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    public int TriageWorkingDays { get; init; } = 1;

    public int VerifyGeneralWorkingDays { get; init; } = 3;

    public int VerifyMajorWorkingDays { get; init; } = 10;

    public int MajorMaxCalendarDays { get; init; } = 365;
}
