using System.Globalization;
using Dapper;
using Hazards.Api.Features.Places;
using Hazards.Bench.Dataset;
using Hazards.Domain.Places;
using NetTopologySuite.Geometries;

namespace Hazards.Bench.Places;

/// <summary>
/// Made-up boundaries for the bench city's grids: a lattice of 0.005° squares (about 500 m) from 28.2 N, 105.3 E, one
/// per grid in code order, each side with its vertices spread along it as a surveyed boundary has many.
/// </summary>
public static class BenchGrids
{
    public const double Size = 0.005;
    private const double South = 28.2;
    private const double West = 105.3;
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static int Columns(int grids) => (int)Math.Ceiling(Math.Sqrt(grids));

    /// <summary>The square of grid <paramref name="index"/> of <paramref name="grids"/>, with <paramref name="perSide"/> vertices a side.</summary>
    public static Polygon Square(int index, int grids, int perSide)
    {
        var columns = Columns(grids);
        var (minLng, minLat) = (West + ((index % columns) * Size), South + ((index / columns) * Size));
        var ring = new List<Coordinate>((perSide * 4) + 1);
        for (var side = 0; side < 4; side++)
        {
            for (var k = 0; k < perSide; k++)
            {
                var t = Size * k / perSide;
                ring.Add(side switch
                {
                    0 => new Coordinate(minLng + t, minLat),
                    1 => new Coordinate(minLng + Size, minLat + t),
                    2 => new Coordinate(minLng + Size - t, minLat + Size),
                    _ => new Coordinate(minLng, minLat + Size - t),
                });
            }
        }

        ring.Add(ring[0].Copy());
        return Factory.CreatePolygon([.. ring]);
    }

    /// <summary>The extent of the lattice: its south-west corner and its size in degrees.</summary>
    public static (LatLng SouthWest, double Height, double Width) Extent(int grids) =>
        (new LatLng(South, West), ((grids + Columns(grids) - 1) / Columns(grids)) * Size, Columns(grids) * Size);

    /// <summary>
    /// Writes the lattice into a bench city's file as its grids' boundaries and moves the stamp, as the service's store
    /// does; answers each grid's centre.
    /// </summary>
    public static Dictionary<string, LatLng> Write(string databasePath, int perSide = 8)
    {
        using var connection = DatabaseFile.Open(databasePath, synchronous: "OFF");
        var codes = connection.Query<string>("SELECT code FROM org_units WHERE level = 'grid' ORDER BY code").ToList();
        using var transaction = connection.BeginTransaction();
        var centres = new Dictionary<string, LatLng>(codes.Count, StringComparer.Ordinal);
        for (var i = 0; i < codes.Count; i++)
        {
            var square = Square(i, codes.Count, perSide);
            var box = square.EnvelopeInternal;
            connection.Execute("""
                INSERT OR REPLACE INTO org_unit_boundaries (org_code, geojson, vertices, min_lng, min_lat, max_lng, max_lat, synthetic, updated_at, updated_by)
                VALUES (@Code, @GeoJson, @Vertices, @MinLng, @MinLat, @MaxLng, @MaxLat, 1, @At, 'bench')
                """, new
            {
                Code = codes[i], GeoJson = BoundaryShape.Write(square), Vertices = square.NumPoints, MinLng = box.MinX, MinLat = box.MinY,
                MaxLng = box.MaxX, MaxLat = box.MaxY, At = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            }, transaction);
            centres[codes[i]] = new LatLng(box.Centre.Y, box.Centre.X);
        }

        connection.Execute("UPDATE boundary_stamp SET stamp = stamp + 1 WHERE id = 1", transaction: transaction);
        transaction.Commit();
        return centres;
    }
}
