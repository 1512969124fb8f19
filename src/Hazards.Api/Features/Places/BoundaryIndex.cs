using System.Diagnostics;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Places;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace Hazards.Api.Features.Places;

/// <summary>One org unit's boundary in the lookup index: prepared, so many point tests against it stay cheap.</summary>
public sealed record BoundaryEntry(string Code, string Level, Geometry Geometry, IPreparedGeometry Prepared)
{
    public static BoundaryEntry Of(string code, string level, Geometry geometry) =>
        new(code, level, geometry, PreparedGeometryFactory.Prepare(geometry));
}

/// <summary>The boundaries of the active org units at one stamp, in an STR-tree over their envelopes.</summary>
public sealed class BoundarySnapshot
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private readonly STRtree<BoundaryEntry> tree = new();
    private readonly Dictionary<string, BoundaryEntry> byCode;

    public BoundarySnapshot(IEnumerable<BoundaryEntry> entries, long stamp)
    {
        byCode = new Dictionary<string, BoundaryEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            byCode[entry.Code] = entry;
            tree.Insert(entry.Geometry.EnvelopeInternal, entry);
        }

        tree.Build();
        Stamp = stamp;
    }

    public long Stamp { get; }

    public int Count => byCode.Count;

    public BoundaryEntry? Of(string code) => byCode.GetValueOrDefault(code);

    /// <summary>Every boundary that covers the point (its edge included), deepest level first, the smallest first within a level.</summary>
    public IReadOnlyList<BoundaryEntry> Containing(LatLng position)
    {
        var point = Point(position);
        return [.. tree.Query(point.EnvelopeInternal)
            .Where(e => e.Prepared.Covers(point))
            .OrderByDescending(e => e.Code.Length)
            .ThenBy(e => e.Geometry.Area)];
    }

    /// <summary>The grid whose boundary covers the point, if any.</summary>
    public BoundaryEntry? GridAt(LatLng position) => Containing(position).FirstOrDefault(e => e.Level == "grid");

    public static Point Point(LatLng position) => Factory.CreatePoint(new Coordinate(position.Longitude, position.Latitude));

    /// <summary>How far, in metres (approximately), the point lies outside the boundary; 0 inside it.</summary>
    public static double MetersOutside(BoundaryEntry entry, LatLng position) =>
        entry.Prepared.Covers(Point(position)) ? 0 : entry.Geometry.Distance(Point(position)) * BoundaryShape.MetersPerDegree;
}

/// <summary>
/// The lookup index of every active boundary, kept in memory. A change on any instance moves the stamp in the database;
/// each instance reads the stamp at most every <c>Location:StampCheckMilliseconds</c> before a lookup and rebuilds the
/// index when it moved. This instance's own change rebuilds it on the next lookup after the commit.
/// </summary>
public sealed class BoundaryIndex(IServiceScopeFactory scopes, LocationOptions options, ILogger<BoundaryIndex> logger)
{
    internal static readonly Sql ReadStamp = Sql.Portable("SELECT stamp FROM boundary_stamp WHERE id = 1");

    internal static readonly Sql ReadAll = Sql.Portable("""
        SELECT b.org_code AS Code, o.level AS Level, b.geojson AS GeoJson
        FROM org_unit_boundaries b JOIN org_units o ON o.code = b.org_code
        WHERE o.retired_at IS NULL
        """);

    private readonly SemaphoreSlim loading = new(1, 1);
    private readonly TimeSpan checkEvery = TimeSpan.FromMilliseconds(options.StampCheckMilliseconds);
    private volatile BoundarySnapshot? current;
    private long checkedAt = long.MinValue;
    private volatile bool stale;

    /// <summary>After this instance's own change committed: the next lookup reads the stamp whatever the interval.</summary>
    public void Invalidate() => stale = true;

    public async Task<BoundarySnapshot> Current(CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        if (current is { } fresh && !stale && Stopwatch.GetElapsedTime(Interlocked.Read(ref checkedAt), now) < checkEvery)
        {
            return fresh;
        }

        await loading.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            stale = false;
            var stamp = await db.Scalar<long>(ReadStamp, null, ct);
            if (current?.Stamp != stamp)
            {
                var started = Stopwatch.GetTimestamp();
                var rows = await db.Query<StoredBoundary>(ReadAll, null, ct);
                current = new BoundarySnapshot(rows.Select(r => BoundaryEntry.Of(r.Code, r.Level, BoundaryShape.Read(r.GeoJson))), stamp);
                logger.LogInformation("Boundaries loaded at stamp {Stamp}: {Count} in {Milliseconds:0} ms",
                    stamp, current.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            Interlocked.Exchange(ref checkedAt, now);
            return current;
        }
        finally
        {
            loading.Release();
        }
    }

    private sealed record StoredBoundary(string Code, string Level, string GeoJson);
}
