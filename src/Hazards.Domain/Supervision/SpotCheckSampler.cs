using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hazards.Domain.Supervision;

/// <summary>
/// How much more likely a closed case is to be drawn: every case counts <see cref="Base"/>, a case closed by
/// the person who reported it (self-verified) adds <see cref="SelfVerified"/>, one fixed on the spot (立查立改)
/// adds <see cref="FixedOnSpot"/> — the closings nobody else looked at are the ones worth checking (真查).
/// </summary>
public sealed record SpotCheckWeights(int Base, int SelfVerified, int FixedOnSpot)
{
    public static SpotCheckWeights Default { get; } = new(1, 2, 2);

    public int For(bool selfVerified, bool fixedOnSpot) =>
        Base + (selfVerified ? SelfVerified : 0) + (fixedOnSpot ? FixedOnSpot : 0);
}

/// <summary>One case of a draw's population, with the weight it had at the draw.</summary>
public sealed record SpotCheckCandidate(Guid CaseId, int Weight);

/// <summary>
/// Weighted sampling without replacement (Efraimidis–Spirakis): each case gets the key ln(u)/w and the
/// largest keys are drawn. u comes from SHA-256 of the seed and the case id, not from a PRNG stream, so anyone
/// holding the seed and the population can re-derive the draw with any SHA-256 tool, in any order.
/// </summary>
public static class SpotCheckSampler
{
    public static int SampleSize(int population, decimal? rate, int? count)
    {
        if (population == 0)
        {
            return 0;
        }

        var wanted = count ?? (int)Math.Ceiling(rate!.Value * population);
        return Math.Clamp(wanted, 1, population);
    }

    /// <summary>The drawn case ids, in draw order (highest key first; ties by id).</summary>
    public static IReadOnlyList<Guid> Draw(IEnumerable<SpotCheckCandidate> population, string seed, int size) =>
        population
            .Select(c => (c.CaseId, Key: Math.Log(Uniform(seed, c.CaseId)) / c.Weight))
            .OrderByDescending(k => k.Key)
            .ThenBy(k => Canonical(k.CaseId), StringComparer.Ordinal)
            .Take(size)
            .Select(k => k.CaseId)
            .ToList();

    /// <summary>A number in (0, 1): the first 53 bits of SHA-256("seed:case-id"), centred in its interval.</summary>
    public static double Uniform(string seed, Guid caseId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{Canonical(caseId)}"));
        var bits = BinaryPrimitives.ReadUInt64BigEndian(digest) >> 11;
        return (bits + 0.5) / (1UL << 53);
    }

    /// <summary>SHA-256 over "case-id:weight\n" lines in id order: the fingerprint of the population a draw used.</summary>
    public static string PopulationHash(IEnumerable<SpotCheckCandidate> population)
    {
        var text = new StringBuilder();
        foreach (var c in population.OrderBy(c => Canonical(c.CaseId), StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Canonical(c.CaseId)}:{c.Weight}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Canonical(Guid id) => id.ToString("D");
}
