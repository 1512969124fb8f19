using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Units;

public sealed record UnitPlace(Guid Id, string GridCode, string OrgPath);

/// <summary>Where a unit sits, if the actor may see it: unit officers their own units, others their subtree.</summary>
public sealed class UnitScope(DbSession db)
{
    internal static readonly Sql PlaceOf = Sql.Portable("""
        SELECT id AS Id, grid_code AS GridCode, org_path AS OrgPath FROM units WHERE id = @Id
        """);

    public async Task<UnitPlace?> Find(Guid unitId, Actor actor, CancellationToken ct)
    {
        var place = await db.Single<UnitPlace>(PlaceOf, new { Id = unitId }, ct);
        return place is not null && actor.CoversUnit(place.Id, place.OrgPath) ? place : null;
    }

    public async Task<bool> IsVisible(Guid unitId, Actor actor, CancellationToken ct) => await Find(unitId, actor, ct) is not null;
}
