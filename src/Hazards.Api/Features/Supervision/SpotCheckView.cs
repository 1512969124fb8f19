using Hazards.Domain.Supervision;

namespace Hazards.Api.Features.Supervision;

/// <summary>One drawn case: its place in the draw, why it weighed what it did, and the finding once recorded.</summary>
public sealed record SpotCheckCaseView(
    int Ordinal, Guid CaseId, string Code, int Weight, bool SelfVerified, bool FixedOnSpot, string? VerifiedBy,
    string Status, string? Finding, string? CheckedBy, DateTimeOffset? CheckedAt);

/// <summary>A case closed in the draw's period but left out of it because a task of an earlier draw on it is still pending.</summary>
public sealed record SpotCheckExclusionView(Guid CaseId, string Code, Guid PendingDrawId);

/// <summary>Re-derived from the record alone: the stored population's hash and the draw recomputed from the seed.</summary>
public sealed record RederiveCheck(bool Matches, bool PopulationHashMatches, bool DrawMatches, IReadOnlyList<Guid> Recomputed);

/// <summary>A draw (真查抽查) as recorded: who, when, over what, with which seed and weights, and what it drew.</summary>
public sealed record SpotCheckDrawView(
    Guid Id,
    string OrgUnit,
    DateOnly From,
    DateOnly To,
    decimal? Rate,
    int? Count,
    string Seed,
    SpotCheckWeights Weights,
    int PopulationSize,
    string PopulationHash,
    string DrawnBy,
    DateTimeOffset DrawnAt,
    IReadOnlyList<SpotCheckCaseView> Cases,
    IReadOnlyList<SpotCheckExclusionView> Excluded,
    RederiveCheck? Rederive);
