using Hazards.Api.Infrastructure.Data;
using NetTopologySuite.Geometries;

namespace Hazards.Api.Features.Places;

/// <summary>
/// Made-up boundaries for the demo, stored marked synthetic, so that a report with a phone's position alone finds its
/// grid out of the box. They are rectangles, not the real districts: the 38 districts on a lattice of 0.1° cells
/// (each 0.09° square) placed so that 渝中区 lies over its real centre, each district split into its three townships
/// west to east, each township into its two villages south to north, each village into its two grids west to east.
/// Grid 500103001001001 is centred on 解放碑 (29.5577 N, 106.5770 E). Children tile their parent exactly.
/// </summary>
public static class DemoBoundaries
{
    internal static readonly Sql Unbounded = Sql.Portable("""
        SELECT o.code AS Code FROM org_units o
        LEFT JOIN org_unit_boundaries b ON b.org_code = o.code
        WHERE b.org_code IS NULL AND o.level <> 'city' AND o.retired_at IS NULL
        ORDER BY o.code
        """);

    public const double DistrictStep = 0.1;
    public const double DistrictSize = 0.09;
    public const string Yuzhong = "500103";
    public static readonly (double Latitude, double Longitude) Jiefangbei = (29.5577, 106.5770);

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>The rectangle of a demo org unit (district, township, village or grid) as min/max longitude and latitude.</summary>
    public static Envelope Cell(string code, IReadOnlyList<string> districts)
    {
        var index = IndexOf(code[..6], districts);
        var yuzhong = IndexOf(Yuzhong, districts);
        const int columns = 7;

        // Grid 1 of village 1 of township 1 of 渝中区 has its centre on 解放碑.
        var originLng = Jiefangbei.Longitude - (DistrictSize / 3 / 4) + (((index % columns) - (yuzhong % columns)) * DistrictStep);
        var originLat = Jiefangbei.Latitude - (DistrictSize / 4) + (((index / columns) - (yuzhong / columns)) * DistrictStep);
        var (minLng, minLat, width, height) = (originLng, originLat, DistrictSize, DistrictSize);
        if (code.Length >= 9)
        {
            width /= 3;
            minLng += (Part(code, 6) - 1) * width;
        }

        if (code.Length >= 12)
        {
            height /= 2;
            minLat += (Part(code, 9) - 1) * height;
        }

        if (code.Length >= 15)
        {
            width /= 2;
            minLng += (Part(code, 12) - 1) * width;
        }

        return new Envelope(minLng, minLng + width, minLat, minLat + height);
    }

    /// <summary>Gives every org unit without a boundary its demo rectangle; a boundary already set is kept.</summary>
    public static async Task<int> Seed(DbSession db, BoundaryStore store, IReadOnlyList<string> districts, DateTimeOffset now, CancellationToken ct)
    {
        var codes = await db.Query<string>(Unbounded, null, ct);
        foreach (var code in codes)
        {
            var cell = Cell(code, districts);
            var shape = Factory.CreatePolygon(
            [
                new Coordinate(cell.MinX, cell.MinY), new Coordinate(cell.MaxX, cell.MinY), new Coordinate(cell.MaxX, cell.MaxY),
                new Coordinate(cell.MinX, cell.MaxY), new Coordinate(cell.MinX, cell.MinY),
            ]);
            await store.Save(code, shape, synthetic: true, now, "seed-demo", ct);
        }

        return codes.Count;
    }

    /// <summary>The township, village or grid number of a code: its three digits from <paramref name="start"/>, at least 1.</summary>
    private static int Part(string code, int start) => Math.Max(1, int.Parse(code.AsSpan(start, 3), System.Globalization.CultureInfo.InvariantCulture));

    private static int IndexOf(string district, IReadOnlyList<string> districts)
    {
        for (var i = 0; i < districts.Count; i++)
        {
            if (districts[i] == district)
            {
                return i;
            }
        }

        throw new ArgumentException($"{district} is not a district of the demo.", nameof(district));
    }
}
