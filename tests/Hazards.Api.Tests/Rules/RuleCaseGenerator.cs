using Dapper;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Rules;

/// <summary>One generated row of <c>cases</c>, with the fields the rules read.</summary>
internal sealed record RuleCase(
    Guid Id,
    string Code,
    CaseStatus Status,
    HazardLevel Level,
    string OrgPath,
    string DistrictCode,
    string? GridCode,
    Guid? UnitId,
    Guid? ResponsibleUnitId,
    string ReportedBy,
    Role ReportedByRole,
    DateTimeOffset ReportedAt,
    DateTimeOffset? TriageDeadline,
    Role? AssignedByRole,
    DateTimeOffset? Deadline,
    bool PlanSubmitted,
    bool PlanApproved,
    DateOnly? ExtensionUntil,
    string? FixSubmittedBy,
    DateTimeOffset? FixSubmittedAt,
    DateTimeOffset? VerificationDeadline,
    int ReworkCount);

/// <summary>
/// Cases for the rule agreement tests: a fixed seed, every status, level and scope shape, deadlines clustered on the
/// instants a rule compares with (exactly on them and one tick either side) and spread around them, and missing
/// deadlines. Rows go straight into <c>cases</c> and <c>units</c> of a real migrated SQLite file, in the stored form.
/// </summary>
internal static class RuleCaseGenerator
{
    public const int Seed = 17;

    /// <summary>Grid paths of two districts, with look-alike codes (…001 and …010) so that a prefix slip shows.</summary>
    public static readonly string[] GridPaths =
    [
        "/500000/500103/500103001/500103001001/500103001001001/",
        "/500000/500103/500103001/500103001001/500103001001002/",
        "/500000/500103/500103001/500103001002/500103001002001/",
        "/500000/500103/500103010/500103010001/500103010001001/",
        "/500000/500104/500104001/500104001001/500104001001001/",
        "/500000/500104/500104002/500104002001/500104002001001/",
    ];

    /// <summary>Townships of the grids: a public tip without a grid sits at its township.</summary>
    public static readonly string[] TownshipPaths =
    [
        "/500000/500103/500103001/",
        "/500000/500103/500103010/",
        "/500000/500104/500104001/",
    ];

    public static readonly string[] Logins = ["grid1", "grid2", "unit1", "town1", "district1", "city1"];

    public static readonly Guid[] UnitIds = [.. Enumerable.Range(1, 8).Select(i => new Guid($"00000000-0000-4000-8000-{i:D12}"))];

    public static IReadOnlyList<RuleCase> Generate(int count, IReadOnlyList<DateTimeOffset> edges)
    {
        var random = new Random(Seed);
        var statuses = Enum.GetValues<CaseStatus>();
        var roles = new[] { Role.GridWorker, Role.UnitOfficer, Role.TownshipOfficer, Role.DistrictRegulator, Role.CityAdmin };
        var cases = new List<RuleCase>(count);
        for (var i = 0; i < count; i++)
        {
            var atTownship = random.Next(10) == 0;
            var path = atTownship ? Pick(random, TownshipPaths) : Pick(random, GridPaths);
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var bytes = new byte[16];
            random.NextBytes(bytes);
            cases.Add(new RuleCase(
                Id: new Guid(bytes),
                Code: $"YH-RULE-{i:D5}",
                Status: Pick(random, statuses),
                Level: random.Next(3) == 0 ? HazardLevel.Major : HazardLevel.General,
                OrgPath: path,
                DistrictCode: segments[1],
                GridCode: atTownship ? null : segments[^1],
                UnitId: random.Next(4) == 0 ? null : Pick(random, UnitIds),
                ResponsibleUnitId: random.Next(2) == 0 ? null : Pick(random, UnitIds),
                ReportedBy: Pick(random, Logins),
                ReportedByRole: Pick(random, roles),
                ReportedAt: edges[0].AddDays(-60),
                TriageDeadline: Instant(random, edges),
                AssignedByRole: random.Next(5) == 0 ? null : Pick(random, roles),
                Deadline: Instant(random, edges),
                PlanSubmitted: random.Next(2) == 0,
                PlanApproved: random.Next(2) == 0,
                ExtensionUntil: random.Next(2) == 0 ? null : DateOnly.FromDateTime(edges[0].UtcDateTime).AddDays(random.Next(1, 60)),
                FixSubmittedBy: random.Next(4) == 0 ? null : Pick(random, Logins),
                FixSubmittedAt: edges[0].AddDays(-random.Next(1, 30)),
                VerificationDeadline: Instant(random, edges),
                ReworkCount: random.Next(4)));
        }

        return cases;
    }

    /// <summary>Writes the units the cases name and the cases themselves, in the form the service stores them.</summary>
    public static async Task Insert(HazardsApp app, IReadOnlyList<RuleCase> cases)
    {
        // The service migrates its file as it starts.
        _ = app.Services;
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();

        // The units' grids and the people's units are not rows of this file: only the rules' columns matter here.
        await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (unit, index) in UnitIds.Select((u, i) => (u, i)))
        {
            var path = GridPaths[index % GridPaths.Length];
            await connection.ExecuteAsync(
                """
                INSERT INTO units (id, name, credit_code, grid_code, org_path, sectors, risk_colour, address, version, created_at, created_by)
                VALUES (@Id, @Name, NULL, @Grid, @Path, '[]', 'blue', NULL, 1, @At, 'rules')
                """,
                new { Id = Text(unit), Name = $"Unit {index}", Grid = path.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1], Path = path, At = "2026-01-01T00:00:00.0000000Z" },
                transaction);
        }

        foreach (var c in cases)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO cases (id, code, status, level, sector, origin, title, description, unit_id, grid_code, responsible_unit_id,
                    org_path, district_code, reported_by, reported_by_role, reported_at, triage_deadline, assigned_by, assigned_by_role, assigned_at,
                    deadline, plan_goals, plan_measures, plan_funds, plan_people, plan_time_limit, plan_safety_measures, plan_approved,
                    extension_until, extension_reason, extension_requested_by, extension_requested_at, extension_count,
                    fix_submitted_by, fix_submitted_at, verification_deadline, penalty, rework_count, version, updated_at)
                VALUES (@Id, @Code, @Status, @Level, 'fire', 'gridPatrol', 'A rule case', 'Generated for a rule agreement test', @UnitId, @GridCode, @ResponsibleUnitId,
                    @OrgPath, @DistrictCode, @ReportedBy, @ReportedByRole, @ReportedAt, @TriageDeadline, @AssignedBy, @AssignedByRole, @AssignedAt,
                    @Deadline, @Plan, @Plan, @Plan, @Plan, @PlanTimeLimit, @Plan, @PlanApproved,
                    @ExtensionUntil, @ExtensionReason, @ExtensionRequestedBy, @ExtensionRequestedAt, 0,
                    @FixSubmittedBy, @FixSubmittedAt, @VerificationDeadline, 'none', @ReworkCount, 1, @ReportedAt)
                """,
                new
                {
                    Id = Text(c.Id),
                    c.Code,
                    Status = Wire.Name(c.Status),
                    Level = Wire.Name(c.Level),
                    UnitId = Text(c.UnitId),
                    c.GridCode,
                    ResponsibleUnitId = Text(c.ResponsibleUnitId),
                    c.OrgPath,
                    c.DistrictCode,
                    c.ReportedBy,
                    ReportedByRole = Wire.Name(c.ReportedByRole),
                    ReportedAt = Text(c.ReportedAt),
                    TriageDeadline = Text(c.TriageDeadline),
                    AssignedBy = c.AssignedByRole is null ? null : "assigner",
                    AssignedByRole = Wire.NameOrNull(c.AssignedByRole),
                    AssignedAt = c.AssignedByRole is null ? null : Text(c.ReportedAt),
                    Deadline = Text(c.Deadline),
                    Plan = c.PlanSubmitted ? "plan part" : null,
                    PlanTimeLimit = c.PlanSubmitted ? "2026-12-31" : null,
                    PlanApproved = c.PlanApproved ? 1 : 0,
                    ExtensionUntil = c.ExtensionUntil?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    ExtensionReason = c.ExtensionUntil is null ? null : "more time",
                    ExtensionRequestedBy = c.ExtensionUntil is null ? null : "unit1",
                    ExtensionRequestedAt = c.ExtensionUntil is null ? null : Text(c.ReportedAt),
                    c.FixSubmittedBy,
                    FixSubmittedAt = Text(c.FixSubmittedAt),
                    VerificationDeadline = Text(c.VerificationDeadline),
                    c.ReworkCount,
                },
                transaction);
        }

        await transaction.CommitAsync();
    }

    public static string? Text(Guid? id) => id?.ToString("D");

    public static string? Text(DateTimeOffset? at) => at is { } a ? DapperTypes.FormatInstant(a) : null;

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Null one time in eight; else on an edge, one tick before or after it; else up to 40 days either side of one.</summary>
    private static DateTimeOffset? Instant(Random random, IReadOnlyList<DateTimeOffset> edges)
    {
        var edge = Pick(random, edges);
        return random.Next(8) switch
        {
            0 => null,
            1 => edge,
            2 => edge.AddTicks(-1),
            3 => edge.AddTicks(1),
            _ => edge.AddSeconds(random.Next(-40 * 86_400, 40 * 86_400)).AddTicks(random.Next(10_000_000)),
        };
    }
}
