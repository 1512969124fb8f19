namespace Hazards.Domain.Cases;

public sealed partial class HazardCase
{
    /// <summary>Rehydrates a stored case exactly as saved; no rule is checked, the store is trusted.</summary>
    public static HazardCase Restore(HazardCaseState state) => new(state);

    /// <summary>The case as it now stands, for the store to write back; the record is immutable, so it is shared, not copied.</summary>
    public HazardCaseState ToState() => state;
}
