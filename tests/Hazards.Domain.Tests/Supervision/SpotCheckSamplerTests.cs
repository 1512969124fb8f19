using Hazards.Domain.Supervision;

namespace Hazards.Domain.Tests.Supervision;

public sealed class SpotCheckSamplerTests
{
    private static readonly SpotCheckCandidate[] Population = Enumerable.Range(1, 200)
        .Select(i => new SpotCheckCandidate(new Guid($"00000000-0000-0000-0000-{i:000000000000}"), i % 4 == 0 ? 5 : 1))
        .ToArray();

    [Test]
    public void Draw_WhenTheSameSeedAndPopulationInAnyOrder_DrawsTheSameCases()
    {
        var first = SpotCheckSampler.Draw(Population, "audit-2026", 20);

        var again = SpotCheckSampler.Draw(Population.Reverse(), "audit-2026", 20);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(first, Is.Unique);
        Assert.That(first, Has.Count.EqualTo(20));
    }

    [Test]
    public void Draw_WhenTheSeedDiffers_DrawsOtherCases()
    {
        var first = SpotCheckSampler.Draw(Population, "seed-a", 20);

        var other = SpotCheckSampler.Draw(Population, "seed-b", 20);

        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Draw_OverManySeeds_FavoursTheHeavierCases()
    {
        var heavy = Population.Where(c => c.Weight == 5).Select(c => c.CaseId).ToHashSet();

        var drawnHeavy = Enumerable.Range(0, 200)
            .SelectMany(s => SpotCheckSampler.Draw(Population, $"seed-{s}", 10))
            .Count(heavy.Contains);

        // A quarter of the cases carry five times the weight: unweighted they would be 25% of the draws,
        // weighted about 60%; 50% is far outside what chance gives over 2,000 draws.
        Assert.That(drawnHeavy / 2000.0, Is.GreaterThan(0.5));
    }

    [TestCase(0, null, 5, 0)]
    [TestCase(30, 0.1, null, 3)]
    [TestCase(7, 0.1, null, 1)]
    [TestCase(10, null, 50, 10)]
    [TestCase(10, 1.0, null, 10)]
    public void SampleSize_RoundsARateUpAndNeverExceedsThePopulation(int population, double? rate, int? count, int expected)
    {
        Assert.That(SpotCheckSampler.SampleSize(population, (decimal?)rate, count), Is.EqualTo(expected));
    }

    [Test]
    public void PopulationHash_IgnoresOrderButNotWeights()
    {
        var hash = SpotCheckSampler.PopulationHash(Population);

        Assert.That(SpotCheckSampler.PopulationHash(Population.Reverse()), Is.EqualTo(hash));
        Assert.That(SpotCheckSampler.PopulationHash(Population.Select(c => c with { Weight = 1 })), Is.Not.EqualTo(hash));
    }

    [Test]
    public void Weights_AddUpForSelfVerifiedAndFixedOnSpot()
    {
        var weights = SpotCheckWeights.Default;

        Assert.That(new[] { weights.For(false, false), weights.For(true, false), weights.For(false, true), weights.For(true, true) },
            Is.EqualTo(new[] { 1, 3, 3, 5 }));
    }
}
