using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>The districts of the city, or the townships and streets of one district: what a public tip can name.</summary>
public sealed record ListPlacesQuery(string? District) : IQuery<PlaceList>;

public sealed record PlaceList(IReadOnlyList<Place> Items);

public sealed record Place(string Code, string Name);

public sealed class ListPlacesHandler(DbSession db) : IQueryHandler<ListPlacesQuery, PlaceList>
{
    internal static readonly Sql Districts = Sql.Portable("SELECT code AS Code, name AS Name FROM org_units WHERE level = 'district' AND retired_at IS NULL ORDER BY code");

    internal static readonly Sql IsDistrict = Sql.Portable("SELECT COUNT(*) FROM org_units WHERE code = @Code AND level = 'district'");

    internal static readonly Sql Townships = Sql.Portable("""
        SELECT code AS Code, name AS Name FROM org_units WHERE parent_code = @Code AND level = 'township' AND retired_at IS NULL ORDER BY code
        """);

    public async ValueTask<PlaceList> Handle(ListPlacesQuery query, CancellationToken ct)
    {
        if (query.District is null)
        {
            return new PlaceList(await db.Query<Place>(Districts, null, ct));
        }

        if (await db.Scalar<int>(IsDistrict, new { Code = query.District }, ct) == 0)
        {
            throw ProblemException.NotFound("place");
        }

        return new PlaceList(await db.Query<Place>(Townships, new { Code = query.District }, ct));
    }
}
