using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Places;
using Mediator;

namespace Hazards.Api.Features.Places;

public sealed record PlaceRef(string Code, string Name);

/// <summary>Where a position is: its WGS-84 form and the district, township, village and grid whose boundaries hold it.</summary>
public sealed record LocateView(
    double Latitude, double Longitude, PlaceRef? District, PlaceRef? Township, PlaceRef? Village, PlaceRef Grid, bool InScope);

public sealed record LocateQuery(double? Lat, double? Lng, string? Crs) : IQuery<LocateView>;

/// <summary>A position as a phone sends it, read at the edge: in range, in a datum the service knows, and turned into WGS-84.</summary>
public static class Positions
{
    public static LatLng Wgs84(double? latitude, double? longitude, string? crs)
    {
        if (latitude is not { } lat || longitude is not { } lng)
        {
            throw ProblemException.BadRequest("location.incomplete", "Give both latitude and longitude, in degrees.");
        }

        var position = new LatLng(lat, lng);
        if (!position.IsValid)
        {
            throw ProblemException.BadRequest("location.out_of_range", "A latitude is between -90 and 90 degrees, a longitude between -180 and 180.");
        }

        return ChinaCoordinates.ToWgs84(position, Datum(crs));
    }

    public static Crs Datum(string? crs) => crs?.Trim().ToLowerInvariant() switch
    {
        null or "" or "wgs84" => Crs.Wgs84,
        "gcj02" => Crs.Gcj02,
        _ => throw ProblemException.BadRequest("location.unknown_crs",
            "The position's datum (crs) is wgs84 (GPS, the default) or gcj02 (the common map apps in China)."),
    };
}

/// <summary>The one home of finding the grid of a position, for the locate route, reports and tips alike.</summary>
public sealed class Locator(BoundaryIndex index, DbSession db, LocationOptions options)
{
    internal static readonly Sql Chain = Sql.Portable("""
        SELECT code AS Code, name AS Name, path AS Path FROM org_units WHERE code IN (@District, @Township, @Village, @Grid)
        """);

    /// <summary>The grid whose boundary holds the position, with its path; 422 <c>location.unresolved</c> when none does.</summary>
    public async Task<(string Code, string Path)> GridAt(LatLng position, CancellationToken ct) =>
        await TryGridAt(position, ct) ?? throw Unresolved();

    /// <summary>The grid whose boundary holds the position, with its path, or null when none does.</summary>
    public async Task<(string Code, string Path)?> TryGridAt(LatLng position, CancellationToken ct) =>
        (await index.Current(ct)).GridAt(position) is { } grid
        && await db.Single<string>(Cases.CaseReporter.GridPath, new { Code = grid.Code }, ct) is { } path
            ? (grid.Code, path)
            : null;

    /// <summary>Refuses a grid code that a position contradicts: outside the grid's boundary by more than <c>Location:GridToleranceMeters</c>.</summary>
    public async Task CheckAgrees(string gridCode, LatLng position, CancellationToken ct)
    {
        if ((await index.Current(ct)).Of(gridCode) is { } grid && BoundarySnapshot.MetersOutside(grid, position) is var off
            && off > options.GridToleranceMeters)
        {
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "location.grid_mismatch",
                $"The position lies {off:0} m outside grid {gridCode}: correct the position or the grid.");
        }
    }

    /// <summary>
    /// The grid and the org units above it, read from its stored path: a merge moves a grid under another village
    /// while it keeps its code, so its code's prefix no longer names its parents.
    /// </summary>
    public async Task<IReadOnlyList<NamedPlace>> Places(string gridPath, CancellationToken ct)
    {
        var chain = gridPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? At(int depth) => chain.Length > depth ? chain[depth] : null;
        return await db.Query<NamedPlace>(Chain, new { District = At(1), Township = At(2), Village = At(3), Grid = At(4) }, ct);
    }

    private static ProblemException Unresolved() =>
        new(StatusCodes.Status422UnprocessableEntity, "location.unresolved",
            "No grid's boundary holds this position: check it, or name the grid (the code on the grid's sign) instead.");
}

public sealed record NamedPlace(string Code, string Name, string Path);

public sealed class LocateHandler(Locator locator, ICurrentUser user) : IQueryHandler<LocateQuery, LocateView>
{
    public async ValueTask<LocateView> Handle(LocateQuery query, CancellationToken ct)
    {
        var position = Positions.Wgs84(query.Lat, query.Lng, query.Crs);
        var (_, path) = await locator.GridAt(position, ct);
        var places = (await locator.Places(path, ct)).ToDictionary(p => OrgPaths.Depth(p.Path), p => new PlaceRef(p.Code, p.Name));
        return new LocateView(position.Latitude, position.Longitude, places.GetValueOrDefault(1), places.GetValueOrDefault(2),
            places.GetValueOrDefault(3), places[4], user.Actor.CoversPath(path));
    }
}
