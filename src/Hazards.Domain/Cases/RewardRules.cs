namespace Hazards.Domain.Cases;

/// <summary>
/// 举报奖励 for a major hazard under the 2018 national rules (安全生产领域举报奖励办法, domain §3): normally 15% of
/// the fine, at least 3,000 and at most 300,000 yuan.
/// </summary>
public static class RewardRules
{
    public const decimal Minimum = 3_000m;
    public const decimal Maximum = 300_000m;
    public const decimal FineShare = 0.15m;

    /// <summary>15% of the fine in yuan and fen, raised to the minimum and capped at the maximum.</summary>
    public static decimal Standard(decimal fineAmount) =>
        Math.Clamp(Math.Round(fineAmount * FineShare, 2, MidpointRounding.AwayFromZero), Minimum, Maximum);

    public static bool InRange(decimal amount) => amount is >= Minimum and <= Maximum;

    /// <summary>An amount other than the standard one is allowed, but only with a reason on record.</summary>
    public static bool NeedsReason(decimal fineAmount, decimal amount) => amount != Standard(fineAmount);
}
