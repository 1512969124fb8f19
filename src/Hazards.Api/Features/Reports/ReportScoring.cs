using System.ComponentModel.DataAnnotations;

namespace Hazards.Api.Features.Reports;

/// <summary>The <c>Reports:Weights</c> section: how much each rate counts in a unit's score, and the points lost per open overdue major hazard.</summary>
public sealed class ReportWeights
{
    [Range(0, double.MaxValue)]
    public double OnTime { get; set; } = 0.4;

    [Range(0, double.MaxValue)]
    public double CloseOut { get; set; } = 0.3;

    [Range(0, double.MaxValue)]
    public double SelfReport { get; set; } = 0.2;

    [Range(0, double.MaxValue)]
    public double Cadence { get; set; } = 0.1;

    [Range(0, double.MaxValue)]
    public double OpenOverdueMajorPenalty { get; set; } = 5;
}

/// <summary>
/// score = 100 × Σ wᵢ·rateᵢ / Σ wᵢ over the rates that are present (an absent rate's weight is dropped and the
/// rest re-normalised), minus the penalty for each open overdue major hazard. No rate present → no score, no rank.
/// Ranks are competition ranks among the siblings (1, 2, 2, 4), highest score first.
/// </summary>
public static class ReportScoring
{
    public static double? Score(Rates rates, int openOverdueMajor, ReportWeights weights)
    {
        (Rate? Rate, double Weight)[] terms =
        [
            (rates.OnTimeRectification, weights.OnTime),
            (rates.CloseOut, weights.CloseOut),
            (rates.SelfReport, weights.SelfReport),
            (rates.Cadence, weights.Cadence),
        ];
        var present = terms.Where(t => t.Rate is not null && t.Weight > 0).ToList();
        var total = present.Sum(t => t.Weight);
        if (total <= 0)
        {
            return null;
        }

        // The exact fractions, not the rounded values shown, so that a score does not depend on display rounding.
        var weighted = present.Sum(t => t.Weight * t.Rate!.Numerator / t.Rate.Denominator) / total;
        return Math.Round((100 * weighted) - (weights.OpenOverdueMajorPenalty * openOverdueMajor), 2);
    }

    public static IReadOnlyList<UnitMetrics> Ranked(IReadOnlyList<UnitMetrics> units) => units
        .Select(u => u with { Rank = u.Score is { } score ? 1 + units.Count(o => o.Score > score) : null })
        .ToList();
}
