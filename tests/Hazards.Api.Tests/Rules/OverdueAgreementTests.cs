using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;

namespace Hazards.Api.Tests.Rules;

/// <summary>
/// Overdue has one home, <see cref="Overdue"/>: <see cref="Overdue.At"/> (each answer's <c>overdue</c>) and
/// <see cref="Overdue.Predicate"/> (the filter, the inbox list, the reports) must say the same of every case, also of a
/// deadline exactly now or one tick either side.
/// </summary>
public sealed class OverdueAgreementTests
{
    private static readonly DateTimeOffset[] Nows =
    [
        HazardsApp.DefaultStart,
        ChinaTime.EndOfDay(new DateOnly(2026, 3, 13)),
        ChinaTime.StartOfDay(new DateOnly(2026, 3, 16)),
        new(2026, 3, 20, 6, 30, 0, 123, TimeSpan.Zero),
    ];

    private static readonly Sql Flags = Sql.Portable($"SELECT c.id AS Id, CASE WHEN {Overdue.Predicate} THEN 1 ELSE 0 END AS IsOverdue FROM cases c");

    private HazardsApp app = null!;
    private IReadOnlyList<RuleCase> cases = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = new HazardsApp();
        cases = RuleCaseGenerator.Generate(400, Nows);
        await RuleCaseGenerator.Insert(app, cases);
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCaseSource(nameof(Nows))]
    public async Task OverduePredicateAndAt_AgreeOnEveryCase(DateTimeOffset now)
    {
        var expected = cases.Select(c => (c.Id, Overdue.At(now, c.Status, c.TriageDeadline, c.Deadline, c.VerificationDeadline))).ToList();

        var rows = await RuleDatabase.Query<Flag>(app, Flags, new { Now = now });

        Assert.That(rows.Select(r => (Guid.Parse(r.Id), r.IsOverdue == 1)), Is.EquivalentTo(expected));
        Assert.That(expected.Count(e => e.Item2), Is.InRange(20, cases.Count - 20), "the cases are overdue and not");
    }

    [Test]
    public void GeneratedCases_HaveDeadlinesExactlyNowAndOneTickEitherSide()
    {
        var due = cases.Select(c => Overdue.DueOf(c.Status, c.TriageDeadline, c.Deadline, c.VerificationDeadline)).OfType<DateTimeOffset>().ToList();

        Assert.That(Nows.Count(now => due.Contains(now) && due.Contains(now.AddTicks(-1)) && due.Contains(now.AddTicks(1))), Is.GreaterThanOrEqualTo(3));
    }

    private sealed class Flag
    {
        public string Id { get; set; } = "";

        public long IsOverdue { get; set; }
    }
}
