using System.Text.Json;
using Hazards.Api.Features.Admin;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Mediator;
using NetTopologySuite.Geometries;

namespace Hazards.Api.Features.Places;

/// <summary>A sibling whose boundary overlaps the one just set by more than <c>Location:OverlapToleranceSquareMeters</c>.</summary>
public sealed record BoundaryOverlap(string Code, double SquareMeters);

public sealed record BoundaryProperties(
    string Code, string Name, OrgLevel Level, int Vertices, bool Synthetic, DateTimeOffset UpdatedAt, string UpdatedBy, int Version,
    IReadOnlyList<BoundaryOverlap> Overlaps);

/// <summary>An org unit's boundary as a GeoJSON Feature (RFC 7946): the geometry in WGS-84, the org unit in its properties.</summary>
public sealed record BoundaryFeature(string Type, string Id, JsonElement Geometry, BoundaryProperties Properties);

public sealed record GetBoundaryQuery(string Code) : IQuery<BoundaryFeature>;

public sealed record SetBoundaryCommand(string Code, int Version, JsonElement Body) : ICommand<BoundaryFeature>;

/// <summary>The boundaries' SQL: one row per org unit, and the stamp every change moves.</summary>
public sealed class BoundaryStore(DbSession db)
{
    internal static readonly Sql ByCode = Sql.Portable("""
        SELECT org_code AS Code, geojson AS GeoJson, vertices AS Vertices, synthetic AS Synthetic, updated_at AS UpdatedAt, updated_by AS UpdatedBy
        FROM org_unit_boundaries WHERE org_code = @Code
        """);

    internal static readonly Sql Siblings = Sql.Portable("""
        SELECT b.org_code AS Code, b.geojson AS GeoJson
        FROM org_unit_boundaries b JOIN org_units o ON o.code = b.org_code
        WHERE o.parent_code = @Parent AND o.code <> @Code AND o.retired_at IS NULL
          AND b.max_lng >= @MinLng AND b.min_lng <= @MaxLng AND b.max_lat >= @MinLat AND b.min_lat <= @MaxLat
        """);

    internal static readonly Sql Upsert = new(
        """
        INSERT INTO org_unit_boundaries (org_code, geojson, vertices, min_lng, min_lat, max_lng, max_lat, synthetic, updated_at, updated_by)
        VALUES (@Code, @GeoJson, @Vertices, @MinLng, @MinLat, @MaxLng, @MaxLat, @Synthetic, @At, @By)
        ON CONFLICT (org_code) DO UPDATE SET geojson = excluded.geojson, vertices = excluded.vertices, min_lng = excluded.min_lng,
            min_lat = excluded.min_lat, max_lng = excluded.max_lng, max_lat = excluded.max_lat, synthetic = excluded.synthetic,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by
        """,
        """
        MERGE org_unit_boundaries WITH (HOLDLOCK) AS t
        USING (SELECT @Code AS org_code) AS s ON t.org_code = s.org_code
        WHEN MATCHED THEN UPDATE SET geojson = @GeoJson, vertices = @Vertices, min_lng = @MinLng, min_lat = @MinLat, max_lng = @MaxLng,
            max_lat = @MaxLat, synthetic = @Synthetic, updated_at = @At, updated_by = @By
        WHEN NOT MATCHED THEN INSERT (org_code, geojson, vertices, min_lng, min_lat, max_lng, max_lat, synthetic, updated_at, updated_by)
            VALUES (@Code, @GeoJson, @Vertices, @MinLng, @MinLat, @MaxLng, @MaxLat, @Synthetic, @At, @By);
        """);

    internal static readonly Sql BumpStamp = Sql.Portable("UPDATE boundary_stamp SET stamp = stamp + 1 WHERE id = 1");

    public Task<StoredBoundary?> Find(string code, CancellationToken ct) => db.Single<StoredBoundary>(ByCode, new { Code = code }, ct);

    public async Task<IReadOnlyList<(string Code, Geometry Shape)>> SiblingsNear(string code, string parent, Envelope box, CancellationToken ct)
    {
        var rows = await db.Query<StoredBoundary>(Siblings,
            new { Code = code, Parent = parent, MinLng = box.MinX, MaxLng = box.MaxX, MinLat = box.MinY, MaxLat = box.MaxY }, ct);
        return [.. rows.Select(r => (r.Code, BoundaryShape.Read(r.GeoJson)))];
    }

    /// <summary>Writes the boundary and moves the stamp; the caller has claimed the org unit's version.</summary>
    public Task Save(string code, Geometry shape, bool synthetic, DateTimeOffset at, string by, CancellationToken ct) =>
        SaveAll([(code, shape)], synthetic, at, by, ct);

    /// <summary>Writes the boundaries as one batch of the same statement and moves the stamp once, so every instance rebuilds its index once.</summary>
    public async Task SaveAll(IEnumerable<(string Code, Geometry Shape)> boundaries, bool synthetic, DateTimeOffset at, string by, CancellationToken ct)
    {
        var rows = boundaries.Select(b =>
        {
            var box = b.Shape.EnvelopeInternal;
            return new
            {
                b.Code, GeoJson = BoundaryShape.Write(b.Shape), Vertices = b.Shape.NumPoints, MinLng = box.MinX, MinLat = box.MinY,
                MaxLng = box.MaxX, MaxLat = box.MaxY, Synthetic = synthetic, At = at, By = by,
            };
        }).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await db.Execute(Upsert, rows, ct);
        await db.Execute(BumpStamp, null, ct);
    }
}

public sealed class StoredBoundary
{
    public string Code { get; set; } = "";

    public string GeoJson { get; set; } = "";

    public int Vertices { get; set; }

    public bool Synthetic { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}

public sealed class GetBoundaryHandler(ICurrentUser user, OrgUnitReader reader, BoundaryStore store) : IQueryHandler<GetBoundaryQuery, BoundaryFeature>
{
    public async ValueTask<BoundaryFeature> Handle(GetBoundaryQuery query, CancellationToken ct)
    {
        var unit = await reader.Find(query.Code, user.Actor, ct);
        var stored = await store.Find(unit.Code, ct) ?? throw ProblemException.NotFound("boundary");
        return Boundaries.Feature(unit, stored, []);
    }
}

/// <summary>
/// Sets an org unit's boundary (who may: <see cref="BoundaryCheck.Settable"/>). Checked on its own, then within the parent's
/// boundary (where the parent has one) up to <c>Location:ParentToleranceMeters</c>; overlaps with siblings are reported, not
/// refused, since surveys of neighbours rarely agree to the metre. The boundaries import runs the same checks.
/// </summary>
public sealed class SetBoundaryHandler(
    ICurrentUser user, OrgUnitReader reader, OrgUnitAdmin admin, BoundaryCheck check, BoundaryStore store, AdminHistory history, BoundaryIndex index,
    DbSession db, LocationOptions options, TimeProvider clock) : ICommandHandler<SetBoundaryCommand, BoundaryFeature>
{
    public async ValueTask<BoundaryFeature> Handle(SetBoundaryCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var unit = await check.Settable(command.Code, actor, ct);
        var shape = BoundaryShape.Parse(command.Body, options.MaxVertices);
        if (unit.ParentCode is { } parentCode && await store.Find(parentCode, ct) is { } parent
            && check.OutsideParent(shape, parentCode, BoundaryShape.Read(parent.GeoJson)) is { } outside)
        {
            throw outside;
        }

        var overlaps = unit.ParentCode is { } siblingsOf
            ? check.Overlaps(shape, await store.SiblingsNear(unit.Code, siblingsOf, shape.EnvelopeInternal, ct))
            : [];

        await admin.Claim(unit, command.Version, ct);
        var before = await store.Find(unit.Code, ct);
        var now = clock.GetUtcNow();
        await store.Save(unit.Code, shape, synthetic: false, now, actor.Login, ct);
        await history.Append(AdminEntity.OrgUnit, unit.Code, "boundary", actor, Boundaries.HistoryBefore(before), Boundaries.HistoryAfter(shape, overlaps), ct);
        db.AfterCommit(() =>
        {
            index.Invalidate();
            return Task.CompletedTask;
        });

        var saved = await store.Find(unit.Code, ct);
        return Boundaries.Feature(await reader.Find(unit.Code, actor, ct), saved!, overlaps);
    }
}

public static class Boundaries
{
    public static BoundaryFeature Feature(OrgUnitRow unit, StoredBoundary stored, IReadOnlyList<BoundaryOverlap> overlaps)
    {
        using var geometry = JsonDocument.Parse(stored.GeoJson);
        return new BoundaryFeature("Feature", unit.Code, geometry.RootElement.Clone(),
            new BoundaryProperties(unit.Code, unit.Name, Wire.Parse<OrgLevel>(unit.Level), stored.Vertices, stored.Synthetic, stored.UpdatedAt,
                stored.UpdatedBy, unit.Version, overlaps));
    }

    /// <summary>What the admin history keeps of a boundary change, the same for the PUT and the import.</summary>
    public static object? HistoryBefore(StoredBoundary? before) => before is null ? null : new { before.Vertices, before.Synthetic };

    public static object HistoryAfter(Geometry shape, IReadOnlyList<BoundaryOverlap> overlaps) => new { Vertices = shape.NumPoints, overlaps };
}
