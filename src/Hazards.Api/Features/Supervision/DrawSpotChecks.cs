using System.Security.Cryptography;
using System.Text.Json;
using FluentValidation;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Supervision;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>
/// 真查: draws a weighted random sample of the cases closed under an org unit between two local days, by rate
/// or count. The seed is random unless given (to replay a draw for an audit).
/// </summary>
public sealed record DrawSpotChecksCommand(string? OrgUnit, DateOnly? From, DateOnly? To, decimal? Rate, int? Count, string? Seed)
    : ICommand<SpotCheckDrawView>;

public sealed class DrawSpotChecksValidator : AbstractValidator<DrawSpotChecksCommand>
{
    public const int MaxCount = 500;

    public DrawSpotChecksValidator()
    {
        RuleFor(c => c.OrgUnit).NotEmpty().Matches("^[0-9]{6,15}$").WithMessage("An org unit is a 6 to 15 digit code.");
        RuleFor(c => c.From).NotNull().WithinRange();
        RuleFor(c => c.To).WithinRange();
        RuleFor(c => c.To).NotNull().GreaterThanOrEqualTo(c => c.From).When(c => c.From is not null);
        RuleFor(c => c).Must(c => c.To!.Value.DayNumber - c.From!.Value.DayNumber <= 366).When(c => c.From is not null && c.To is not null)
            .WithName("to").WithMessage("A draw covers at most 366 days.");
        RuleFor(c => c).Must(c => (c.Rate is null) != (c.Count is null)).WithName("rate").WithMessage("Give either rate or count.");
        RuleFor(c => c.Rate).GreaterThan(0).LessThanOrEqualTo(1).When(c => c.Rate is not null);
        RuleFor(c => c.Count).InclusiveBetween(1, MaxCount).When(c => c.Count is not null);
        RuleFor(c => c.Seed).Matches("^[A-Za-z0-9_-]{1,64}$").When(c => c.Seed is not null)
            .WithMessage("A seed is 1 to 64 letters, digits, '-' or '_'.");
    }
}

public sealed class DrawSpotChecksHandler(DbSession db, ICurrentUser user, TimeProvider clock, SpotCheckRecords records)
    : ICommandHandler<DrawSpotChecksCommand, SpotCheckDrawView>
{
    internal static readonly Sql OrgPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code");

    internal static readonly Sql InsertDraw = Sql.Portable("""
        INSERT INTO spot_check_draws (id, org_code, org_path, closed_from, closed_to, rate, requested_count, seed, weights,
            population_size, population_hash, drawn_count, drawn_by, drawn_at)
        VALUES (@Id, @OrgCode, @OrgPath, @ClosedFrom, @ClosedTo, @Rate, @RequestedCount, @Seed, @Weights,
            0, '', 0, @DrawnBy, @DrawnAt)
        """);

    private const string ClosedInPeriod = """
        c.status = 'closed' AND c.org_path >= @PathFrom AND c.org_path < @PathTo
          AND c.closed_at >= @ClosedAfter AND c.closed_at < @ClosedBefore
        """;

    /// <summary>
    /// Cases closed in the period whose task of an earlier draw is still pending: left out of this draw, so that one
    /// finding is one task, and recorded as left out with the draw that holds them.
    /// </summary>
    internal static readonly Sql InsertExclusions = Sql.Portable($"""
        INSERT INTO spot_check_exclusions (draw_id, case_id, pending_draw_id)
        SELECT @Id, c.id, t.draw_id
        FROM cases c
        JOIN spot_check_tasks t ON t.case_id = c.id AND t.status = 'pending'
        WHERE {ClosedInPeriod}
        """);

    /// <summary>The population, set-based: closed in the period under the org unit and not pending, weighted as the draw records.</summary>
    internal static readonly Sql InsertPopulation = Sql.Portable($"""
        INSERT INTO spot_check_population (draw_id, case_id, weight)
        SELECT @Id, c.id,
               @Base + CASE WHEN c.closed_by = c.reported_by THEN @SelfVerified ELSE 0 END
                     + CASE WHEN c.fixed_on_spot = 1 THEN @FixedOnSpot ELSE 0 END
        FROM cases c
        WHERE {ClosedInPeriod}
          AND NOT EXISTS (SELECT 1 FROM spot_check_tasks t WHERE t.case_id = c.id AND t.status = 'pending')
        """);

    internal static readonly Sql PopulationOf = Sql.Portable("""
        SELECT p.case_id AS CaseId, p.weight AS Weight FROM spot_check_population p WHERE p.draw_id = @Id
        """);

    internal static readonly Sql FinishDraw = Sql.Portable("""
        UPDATE spot_check_draws SET population_size = @PopulationSize, population_hash = @PopulationHash, drawn_count = @DrawnCount
        WHERE id = @Id
        """);

    internal static readonly Sql InsertTask = Sql.Portable($"""
        INSERT INTO spot_check_tasks (draw_id, case_id, ordinal, org_path, district_code, unit_id, verified_by, self_verified, fixed_on_spot, status)
        SELECT @DrawId, c.id, @Ordinal, c.org_path, c.district_code, {Cases.ResponsibleSide.UnitColumn}, c.closed_by,
               CASE WHEN c.closed_by = c.reported_by THEN 1 ELSE 0 END, c.fixed_on_spot, 'pending'
        FROM cases c WHERE c.id = @CaseId
        """);

    public async ValueTask<SpotCheckDrawView> Handle(DrawSpotChecksCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var path = await db.Single<string>(OrgPath, new { Code = command.OrgUnit }, ct);
        if (path is null || !actor.CoversPath(path))
        {
            throw ProblemException.NotFound("org_unit");
        }

        if (!actor.IsAtLeast(Role.DistrictRegulator))
        {
            throw ProblemException.Forbidden("spot_check.forbidden", "Only district regulators and above draw spot checks.");
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var weights = SpotCheckWeights.Default;
        var seed = command.Seed ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await db.Execute(InsertDraw, new
        {
            Id = id,
            OrgCode = command.OrgUnit,
            OrgPath = path,
            ClosedFrom = command.From!.Value,
            ClosedTo = command.To!.Value,
            Rate = command.Rate is { } r ? (double?)r : null,
            RequestedCount = command.Count,
            Seed = seed,
            Weights = JsonSerializer.Serialize(weights),
            DrawnBy = actor.Login,
            DrawnAt = now,
        }, ct);
        var period = new
        {
            Id = id,
            weights.Base,
            weights.SelfVerified,
            weights.FixedOnSpot,
            PathFrom = path,
            PathTo = OrgPaths.UpperBound(path),
            ClosedAfter = ChinaTime.StartOfDay(command.From.Value),
            ClosedBefore = ChinaTime.StartOfDay(command.To.Value.AddDays(1)),
        };
        await db.Execute(InsertExclusions, period, ct);
        await db.Execute(InsertPopulation, period, ct);

        var population = (await db.Query<CandidateRow>(PopulationOf, new { Id = id }, ct))
            .Select(p => new SpotCheckCandidate(p.CaseId, p.Weight)).ToList();
        if (population.Count == 0)
        {
            throw new Hazards.Domain.DomainRuleException("spot_check.population_empty",
                "No case under this org unit closed in the period, other than those whose spot check is still pending.");
        }

        var drawn = SpotCheckSampler.Draw(population, seed, SpotCheckSampler.SampleSize(population.Count, command.Rate, command.Count));
        await db.Execute(FinishDraw, new
        {
            Id = id,
            PopulationSize = population.Count,
            PopulationHash = SpotCheckSampler.PopulationHash(population),
            DrawnCount = drawn.Count,
        }, ct);
        for (var i = 0; i < drawn.Count; i++)
        {
            await db.Execute(InsertTask, new { DrawId = id, CaseId = drawn[i], Ordinal = i + 1 }, ct);
        }

        return await records.Load(id, actor, rederive: false, ct);
    }

    private sealed class CandidateRow
    {
        public Guid CaseId { get; set; }
        public int Weight { get; set; }
    }
}
