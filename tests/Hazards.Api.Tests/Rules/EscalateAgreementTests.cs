using System.Text.RegularExpressions;
using Dapper;
using Hazards.Api.Features.Cases;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Rules;

/// <summary>
/// The sweep's move of a case has one home, <see cref="HazardCase.Escalate"/> and <see cref="HazardCase.EscalateSet"/>,
/// applied set-based by <see cref="CaseStore.EscalateSweep"/>. On generated cases in the escalated states with the notices
/// of one sweep (and of an older one), the statement (rolled back) must leave each case as the C# move does, and a case
/// without a notice of the sweep as it was. The states come from the notices the sweep writes, whose status literals are
/// the from-states of the lifecycle's Escalate rows.
/// </summary>
public sealed partial class EscalateAgreementTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 16, 2, 0, 0, TimeSpan.Zero);

    private static readonly Guid SweepId = Guid.CreateVersion7(Now);

    private static readonly Guid OlderSweepId = Guid.CreateVersion7(Now.AddDays(-1));

    private static readonly Sql Rows = Sql.Portable(
        "SELECT id AS Id, listed AS Listed, listed_level AS ListedLevel, escalation_step AS EscalationStep, version AS Version FROM cases");

    private HazardsApp app = null!;
    private IReadOnlyList<EscalateCase> cases = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = new HazardsApp();
        cases = Generate(400);
        await Insert(app, cases);
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task EscalateSweepAndEscalate_AgreeOnEveryEscalatedCase()
    {
        var expected = cases.Select(Expected).ToList();

        var actual = await Swept();

        Assert.That(actual, Is.EquivalentTo(expected));
    }

    [Test]
    public void SweepNoticeStates_AreTheFromStatesOfTheEscalateRows()
    {
        var fromStates = Lifecycle.Table.Where(t => t.Action == CaseAction.Escalate).Select(t => Wire.Name(t.From!.Value)).ToList();

        var selected = new[] { EscalationSql.InsertFix, EscalationSql.InsertTriage, EscalationSql.InsertVerification }
            .SelectMany(sql => new[] { sql.Sqlite, sql.SqlServer })
            .SelectMany(text => StatusLiteral().Matches(text).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.That(selected, Is.EquivalentTo(fromStates));
        Assert.That(fromStates, Is.EquivalentTo(Lifecycle.EscalatedStates.Select(s => Wire.Name(s))));
    }

    [Test]
    public void GeneratedCases_ReachEveryShape()
    {
        var swept = cases.Where(c => c.SweepStep is not null).ToList();

        Assert.That(swept.Select(c => c.SweepStep!.Value).Distinct(), Is.EquivalentTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(cases.Select(c => c.State.Status).Distinct(), Is.SupersetOf(Lifecycle.EscalatedStates));
        Assert.That(cases.Where(c => c.SweepStep is not null).Select(c => c.State.Status).Except(Lifecycle.EscalatedStates), Is.Not.Empty);
        Assert.That(swept.Select(c => (c.State.Listed, c.State.ListedLevel, c.State.Level)).Distinct().Count(), Is.EqualTo(6), "listed or not, each level");
        Assert.That(swept.Count(c => c.Notices.Count(n => n.Sweep == SweepId) > 1), Is.GreaterThan(20), "cases with more than one notice of the sweep");
        Assert.That(cases.Count(c => c.SweepStep is null && c.Notices.Count > 0), Is.GreaterThan(10), "cases with only an older sweep's notices");
        Assert.That(cases.Count(c => c.Notices.Count == 0), Is.GreaterThan(20), "cases without a notice");
    }

    private static Row Expected(EscalateCase c)
    {
        // A case in a state the table does not escalate from keeps its row, whatever notices name it.
        if (c.SweepStep is not { } step || Lifecycle.Find(c.State.Status, CaseAction.Escalate) is null)
        {
            return Stored(c.State);
        }

        var hazard = HazardCase.Restore(c.State);
        hazard.Escalate(step, "fix", Guid.Empty, Now);
        var escalated = Stored(hazard.ToState());

        // Every write of a case, the sweep's included, makes a new version.
        return escalated with { Version = escalated.Version + 1 };
    }

    private static Row Stored(HazardCaseState s) =>
        new(s.Id, s.Listed, s.ListedLevel is { } level ? Wire.Name(level) : null, s.EscalationStep, s.Version);

    private async Task<List<Row>> Swept()
    {
        var rows = await RuleDatabase.WriteThenRead<StoredRow>(app, CaseStore.EscalateSweep, Rows, new { SweepId, Now });
        return rows.Select(r => new Row(Guid.Parse(r.Id), r.Listed == 1, r.ListedLevel, r.EscalationStep, r.Version)).ToList();
    }

    /// <summary>Every escalated state and level, and some cases in the other states; listed or not at each level; any earlier step; up to three notices of the sweep, some of an older one.</summary>
    private static List<EscalateCase> Generate(int count)
    {
        var random = new Random(RuleCaseGenerator.Seed);
        var result = new List<EscalateCase>(count);
        for (var i = 0; i < count; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            var listed = random.Next(3) == 0;
            var state = new HazardCaseState
            {
                Id = new Guid(bytes),
                Code = $"YH-ESC-{i:D5}",
                Status = random.Next(6) == 0
                    ? RuleCaseGenerator.Pick(random, Enum.GetValues<CaseStatus>())
                    : RuleCaseGenerator.Pick(random, Lifecycle.EscalatedStates),
                Level = random.Next(3) == 0 ? HazardLevel.Major : HazardLevel.General,
                Sector = Sector.Construction,
                Origin = Origin.GridPatrol,
                Title = "An escalated rule case",
                Description = "Generated for the escalate agreement test",
                ReportedBy = "grid1",
                ReportedByRole = Role.GridWorker,
                ReportedAt = Now.AddDays(-30),
                Listed = listed,
                ListedLevel = listed ? RuleCaseGenerator.Pick(random, Enum.GetValues<ListingLevel>()) : null,
                EscalationStep = random.Next(5),
                Version = random.Next(1, 9),
            };
            var notices = new List<(Guid Sweep, int Step)>();
            var steps = Enumerable.Range(0, 5).OrderBy(_ => random.Next()).ToList();
            var swept = random.Next(5) == 0 ? 0 : random.Next(1, 4);
            notices.AddRange(steps.Take(swept).Select(s => (SweepId, s)));
            if (random.Next(4) == 0)
            {
                notices.AddRange(steps.Skip(swept).Take(1).Select(s => (OlderSweepId, s)));
            }

            result.Add(new EscalateCase(state, notices));
        }

        return result;
    }

    private static async Task Insert(HazardsApp app, IReadOnlyList<EscalateCase> cases)
    {
        // The service migrates its file as it starts.
        _ = app.Services;
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var letter = 0;
        foreach (var c in cases)
        {
            var s = c.State;
            await connection.ExecuteAsync(
                """
                INSERT INTO cases (id, code, status, level, sector, origin, title, description, org_path, district_code,
                    reported_by, reported_by_role, reported_at, penalty, listed, listed_level, escalation_step, version, updated_at)
                VALUES (@Id, @Code, @Status, @Level, @Sector, @Origin, @Title, @Description, @OrgPath, '500103',
                    @ReportedBy, @ReportedByRole, @ReportedAt, 'none', @Listed, @ListedLevel, @EscalationStep, @Version, @ReportedAt)
                """,
                new
                {
                    Id = RuleCaseGenerator.Text(s.Id),
                    s.Code,
                    Status = Wire.Name(s.Status),
                    Level = Wire.Name(s.Level),
                    Sector = Wire.Name(s.Sector),
                    Origin = Wire.Name(s.Origin),
                    s.Title,
                    s.Description,
                    OrgPath = RuleCaseGenerator.GridPaths[0],
                    s.ReportedBy,
                    ReportedByRole = Wire.Name(s.ReportedByRole),
                    ReportedAt = RuleCaseGenerator.Text(s.ReportedAt),
                    Listed = s.Listed ? 1 : 0,
                    ListedLevel = s.ListedLevel is { } level ? Wire.Name(level) : null,
                    s.EscalationStep,
                    s.Version,
                },
                transaction);
            foreach (var (sweep, step) in c.Notices)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO escalation_notices (id, subject_kind, subject_id, subject_round, step, case_id, plan_id, unit_id, org_path,
                        grid_code, district_code, letter_year, letter_seq, due_at, misses, respond_by, sweep_id, created_at)
                    VALUES (@Id, 'fix', @CaseId, 'round', @Step, @CaseId, NULL, NULL, @OrgPath,
                        '500103001001001', '500103', 2026, @Letter, @At, NULL, @At, @Sweep, @At)
                    """,
                    new
                    {
                        Id = RuleCaseGenerator.Text(Guid.NewGuid()),
                        CaseId = RuleCaseGenerator.Text(s.Id),
                        Step = step,
                        OrgPath = RuleCaseGenerator.GridPaths[0],
                        Letter = ++letter,
                        At = RuleCaseGenerator.Text(Now),
                        Sweep = RuleCaseGenerator.Text(sweep),
                    },
                    transaction);
            }
        }

        await transaction.CommitAsync();
    }

    [GeneratedRegex(@"c\.status = N?'(\w+)'")]
    private static partial Regex StatusLiteral();

    /// <summary>A generated case and the notices written for it: of which sweep, at which step.</summary>
    private sealed record EscalateCase(HazardCaseState State, IReadOnlyList<(Guid Sweep, int Step)> Notices)
    {
        public int? SweepStep => Notices.Where(n => n.Sweep == SweepId).Select(n => (int?)n.Step).Max();
    }

    private sealed record Row(Guid Id, bool Listed, string? ListedLevel, int EscalationStep, int Version);

    private sealed class StoredRow
    {
        public string Id { get; set; } = "";

        public int Listed { get; set; }

        public string? ListedLevel { get; set; }

        public int EscalationStep { get; set; }

        public int Version { get; set; }
    }
}
