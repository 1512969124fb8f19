using System.Text.Json;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Supervision;

namespace Hazards.Api.Features.Supervision;

/// <summary>Reads a stored draw back, with its population and tasks, for the draw's answer and its audit.</summary>
public sealed class SpotCheckRecords(DbSession db)
{
    internal static readonly Sql DrawById = Sql.Portable("""
        SELECT d.id AS Id, d.org_code AS OrgCode, d.org_path AS OrgPath, d.closed_from AS ClosedFrom, d.closed_to AS ClosedTo,
               d.rate AS Rate, d.requested_count AS RequestedCount, d.seed AS Seed, d.weights AS Weights,
               d.population_size AS PopulationSize, d.population_hash AS PopulationHash, d.drawn_by AS DrawnBy, d.drawn_at AS DrawnAt
        FROM spot_check_draws d WHERE d.id = @Id
        """);

    internal static readonly Sql PopulationOf = Sql.Portable("""
        SELECT p.case_id AS CaseId, p.weight AS Weight FROM spot_check_population p WHERE p.draw_id = @Id
        """);

    internal static readonly Sql TasksOf = Sql.Portable("""
        SELECT t.ordinal AS Ordinal, t.case_id AS CaseId, c.code AS Code, p.weight AS Weight, t.self_verified AS SelfVerified,
               t.fixed_on_spot AS FixedOnSpot, t.verified_by AS VerifiedBy, t.status AS Status, t.finding AS Finding,
               t.checked_by AS CheckedBy, t.checked_at AS CheckedAt
        FROM spot_check_tasks t
        JOIN cases c ON c.id = t.case_id
        JOIN spot_check_population p ON p.draw_id = t.draw_id AND p.case_id = t.case_id
        WHERE t.draw_id = @Id
        ORDER BY t.ordinal
        """);

    internal static readonly Sql ExclusionsOf = Sql.Portable("""
        SELECT x.case_id AS CaseId, c.code AS Code, x.pending_draw_id AS PendingDrawId
        FROM spot_check_exclusions x
        JOIN cases c ON c.id = x.case_id
        WHERE x.draw_id = @Id
        ORDER BY c.code
        """);

    /// <summary>
    /// The draw if the actor may see it: district regulators and above whose subtree holds the org unit. Outside the
    /// subtree it does not exist (404); inside it, a lower role is refused (403), as drawing one is.
    /// </summary>
    public async Task<SpotCheckDrawView> Load(Guid id, Actor actor, bool rederive, CancellationToken ct)
    {
        var draw = await db.Single<DrawRow>(DrawById, new { Id = id }, ct);
        if (draw is null || !actor.CoversPath(draw.OrgPath))
        {
            throw ProblemException.NotFound("spot_check");
        }

        if (!actor.IsAtLeast(Role.DistrictRegulator))
        {
            throw ProblemException.Forbidden("spot_check.forbidden", "Only district regulators and above read spot-check draws.");
        }

        var tasks = (await db.Query<TaskRow>(TasksOf, new { Id = id }, ct)).Select(t => t.View).ToList();
        var excluded = (await db.Query<ExclusionRow>(ExclusionsOf, new { Id = id }, ct))
            .Select(x => new SpotCheckExclusionView(x.CaseId, x.Code, x.PendingDrawId)).ToList();
        RederiveCheck? check = null;
        if (rederive)
        {
            var population = (await db.Query<CandidateRow>(PopulationOf, new { Id = id }, ct))
                .Select(p => new SpotCheckCandidate(p.CaseId, p.Weight)).ToList();
            var recomputed = SpotCheckSampler.Draw(population, draw.Seed, tasks.Count);
            var hashMatches = SpotCheckSampler.PopulationHash(population) == draw.PopulationHash && population.Count == draw.PopulationSize;
            var drawMatches = recomputed.SequenceEqual(tasks.Select(t => t.CaseId));
            check = new RederiveCheck(hashMatches && drawMatches, hashMatches, drawMatches, recomputed);
        }

        return new SpotCheckDrawView(draw.Id, draw.OrgCode, draw.ClosedFrom, draw.ClosedTo, draw.Rate is { } r ? (decimal)r : null,
            draw.RequestedCount, draw.Seed, JsonSerializer.Deserialize<SpotCheckWeights>(draw.Weights)!, draw.PopulationSize,
            draw.PopulationHash, draw.DrawnBy, draw.DrawnAt, tasks, excluded, check);
    }

    private sealed class ExclusionRow
    {
        public Guid CaseId { get; set; }
        public string Code { get; set; } = "";
        public Guid PendingDrawId { get; set; }
    }

    private sealed class CandidateRow
    {
        public Guid CaseId { get; set; }
        public int Weight { get; set; }
    }

    private sealed class TaskRow
    {
        public int Ordinal { get; set; }
        public Guid CaseId { get; set; }
        public string Code { get; set; } = "";
        public int Weight { get; set; }
        public bool SelfVerified { get; set; }
        public bool FixedOnSpot { get; set; }
        public string? VerifiedBy { get; set; }
        public string Status { get; set; } = "";
        public string? Finding { get; set; }
        public string? CheckedBy { get; set; }
        public DateTimeOffset? CheckedAt { get; set; }

        public SpotCheckCaseView View =>
            new(Ordinal, CaseId, Code, Weight, SelfVerified, FixedOnSpot, VerifiedBy, Status, Finding, CheckedBy, CheckedAt);
    }

    private sealed class DrawRow
    {
        public Guid Id { get; set; }
        public string OrgCode { get; set; } = "";
        public string OrgPath { get; set; } = "";
        public DateOnly ClosedFrom { get; set; }
        public DateOnly ClosedTo { get; set; }
        public double? Rate { get; set; }
        public int? RequestedCount { get; set; }
        public string Seed { get; set; } = "";
        public string Weights { get; set; } = "";
        public int PopulationSize { get; set; }
        public string PopulationHash { get; set; } = "";
        public string DrawnBy { get; set; } = "";
        public DateTimeOffset DrawnAt { get; set; }
    }
}
