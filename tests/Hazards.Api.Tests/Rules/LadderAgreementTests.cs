using Dapper;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using Hazards.Domain.Escalation;
using Hazards.Domain.Inspections;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Rules;

/// <summary>
/// The escalation ladder has one home, <see cref="EscalationLadder"/>: its C# steps and the SQL the sweep applies
/// set-based. Each test runs the sweep's own INSERT … SELECT on generated cases (rolled back) and requires, case by case,
/// the same answer as the C# form: a candidate or not, and at which step.
/// </summary>
public sealed class LadderAgreementTests
{
    /// <summary>A working Friday, the weekend after it, the start and the end of the Monday, National Day and the first day back.</summary>
    private static readonly DateTimeOffset[] Nows =
    [
        Utc("2026-03-13T02:00:00Z"),
        Utc("2026-03-14T08:00:00Z"),
        Utc("2026-03-15T16:00:00Z"),
        ChinaTime.EndOfDay(new DateOnly(2026, 3, 16)),
        Utc("2025-10-01T04:00:00Z"),
        Utc("2025-10-09T01:00:00Z"),
    ];

    private static readonly Sql Notices = Sql.Portable("SELECT subject_id AS SubjectId, step AS Step FROM escalation_notices WHERE sweep_id = @SweepId");

    private HazardsApp app = null!;
    private EscalationLadder ladder = null!;
    private IReadOnlyList<RuleCase> cases = null!;
    private IReadOnlyList<(Guid Id, Cadence Cadence, int Misses)> plans = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = new HazardsApp();
        ladder = app.Services.GetRequiredService<EscalationLadder>();
        var edges = Nows.SelectMany(now => ladder.CutsAt(now) is var cuts ? [now, cuts.WarnBy, .. cuts.Cut] : Array.Empty<DateTimeOffset>()).ToList();
        cases = RuleCaseGenerator.Generate(600, edges);
        await RuleCaseGenerator.Insert(app, cases);
        plans = await InsertPlans();
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCaseSource(nameof(Nows))]
    public async Task FixLadder_SweepSqlAndStepFor_AgreeOnEveryCase(DateTimeOffset now)
    {
        var expected = Expected(CaseStatus.Rectifying, c => c.Deadline, (c, due) => ladder.StepFor(due, now, c.Level == HazardLevel.Major, c.ReworkCount));

        var actual = await SweptCases(EscalationSql.InsertFix, now);

        Assert.That(actual, Is.EquivalentTo(expected));
    }

    [TestCaseSource(nameof(Nows))]
    public async Task TriageLadder_SweepSqlAndLateStepFor_AgreeOnEveryCase(DateTimeOffset now)
    {
        var expected = Expected(CaseStatus.Reported, c => c.TriageDeadline, (_, due) => ladder.LateStepFor(due, now));

        var actual = await SweptCases(EscalationSql.InsertTriage, now);

        Assert.That(actual, Is.EquivalentTo(expected));
    }

    [TestCaseSource(nameof(Nows))]
    public async Task VerificationLadder_SweepSqlAndLateStepFor_AgreeOnEveryCase(DateTimeOffset now)
    {
        var expected = Expected(CaseStatus.FixSubmitted, c => c.VerificationDeadline, (_, due) => ladder.LateStepFor(due, now));

        var actual = await SweptCases(EscalationSql.InsertVerification, now);

        Assert.That(actual, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task MissesLadder_SweepSqlAndStepForMisses_AgreeOnEveryPlan()
    {
        var expected = plans.Select(p => (p.Id, ladder.StepForMisses(p.Cadence, p.Misses))).ToList();

        var notices = await Swept(EscalationSql.InsertInspection, Nows[0]);

        var actual = plans.Select(p => (p.Id, notices.TryGetValue(p.Id, out var step) ? step : EscalationLadder.None)).ToList();
        Assert.That(actual, Is.EquivalentTo(expected));
        Assert.That(expected.Select(e => e.Item2).Distinct(), Is.EquivalentTo(new[] { EscalationLadder.None, 1, 2, 3, 4 }), "the plans reach every step");
    }

    [Test]
    public void GeneratedCases_ReachEveryStepOfEachLadder()
    {
        var fix = Nows.SelectMany(now => cases.Where(c => c.Deadline is not null)
            .Select(c => ladder.StepFor(c.Deadline!.Value, now, c.Level == HazardLevel.Major, c.ReworkCount))).Distinct();
        var late = Nows.SelectMany(now => cases.Where(c => c.TriageDeadline is not null).Select(c => ladder.LateStepFor(c.TriageDeadline!.Value, now))).Distinct();

        Assert.That(fix, Is.EquivalentTo(new[] { EscalationLadder.None, 0, 1, 2, 3, 4 }));
        Assert.That(late, Is.EquivalentTo(new[] { EscalationLadder.None, 1, 2, 3, 4 }));
    }

    /// <summary>Every case with its step, <see cref="EscalationLadder.None"/> for one that is no candidate.</summary>
    private List<(Guid Id, int Step)> Expected(CaseStatus status, Func<RuleCase, DateTimeOffset?> due, Func<RuleCase, DateTimeOffset, int> step) =>
        cases.Select(c => (c.Id, c.Status == status && due(c) is { } d ? step(c, d) : EscalationLadder.None)).ToList();

    private async Task<Dictionary<Guid, int>> Swept(Sql insert, DateTimeOffset now)
    {
        var parameters = EscalateCasesHandler.SweepParameters(ladder, now, Guid.CreateVersion7(now));
        var notices = await RuleDatabase.WriteThenRead<Notice>(app, insert, Notices, parameters);
        return notices.ToDictionary(n => Guid.Parse(n.SubjectId), n => n.Step);
    }

    /// <summary>Every case with the step of the notice the sweep gave it, <see cref="EscalationLadder.None"/> for none.</summary>
    private async Task<List<(Guid Id, int Step)>> SweptCases(Sql insert, DateTimeOffset now)
    {
        var notices = await Swept(insert, now);
        return cases.Select(c => (c.Id, notices.TryGetValue(c.Id, out var step) ? step : EscalationLadder.None)).ToList();
    }

    private async Task<IReadOnlyList<(Guid Id, Cadence Cadence, int Misses)>> InsertPlans()
    {
        var random = new Random(RuleCaseGenerator.Seed);
        var result = new List<(Guid, Cadence, int)>();
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < 300; i++)
        {
            var id = Guid.CreateVersion7(Nows[0].AddSeconds(i));
            var cadence = RuleCaseGenerator.Pick(random, Enum.GetValues<Cadence>());
            var misses = random.Next(13);
            var unit = RuleCaseGenerator.Pick(random, RuleCaseGenerator.UnitIds);
            await connection.ExecuteAsync(
                """
                INSERT INTO inspection_plans (id, name, unit_id, grid_code, org_path, cadence, level, checklist, active_from, active_to, created_at, created_by)
                SELECT @Id, @Name, u.id, NULL, u.org_path, @Cadence, 'team', '[]', '2025-01-01', NULL, '2025-01-01T00:00:00.0000000Z', 'rules'
                FROM units u WHERE u.id = @Unit
                """,
                new { Id = RuleCaseGenerator.Text(id), Name = $"Plan {i:D4}", Cadence = Wire.Name(cadence), Unit = RuleCaseGenerator.Text(unit) },
                transaction);
            for (var k = 1; k <= misses; k++)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO inspection_missed (plan_id, period_key, period_start, period_end, consecutive, streak_start, detected_at)
                    VALUES (@Id, @Key, '2026-12-01', '2026-12-31', @Consecutive, '2026-01-01', '2026-01-01T00:00:00.0000000Z')
                    """,
                    new { Id = RuleCaseGenerator.Text(id), Key = $"slot-{k:D2}", Consecutive = k },
                    transaction);
            }

            result.Add((id, cadence, misses));
        }

        await transaction.CommitAsync();
        return result;
    }

    private static DateTimeOffset Utc(string instant) =>
        DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

    private sealed class Notice
    {
        public string SubjectId { get; set; } = "";

        public int Step { get; set; }
    }
}
