namespace Hazards.Domain.Places;

/// <summary>
/// Geohash cells (Niemeyer's public-domain scheme): a position as base-32 text whose every further character halves the
/// cell again, so the cases near a point are those whose cell is the point's or one of its eight neighbours, found by an
/// index on the text. At <see cref="Precision"/> 7 a cell is 153 m tall and, in Chongqing (about 30° N), 132 m wide, so
/// the block of nine holds every point within <see cref="MaxRadiusMeters"/> of the centre one's points.
/// </summary>
public static class Geohash
{
    public const int Precision = 7;

    /// <summary>The largest radius the nine cells of <see cref="Precision"/> cover anywhere in mainland China (18° N to 54° N, where a cell is 90 m wide).</summary>
    public const double MaxRadiusMeters = 80;

    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    public static string Encode(LatLng position, int precision = Precision)
    {
        double minLat = -90, maxLat = 90, minLng = -180, maxLng = 180;
        var text = new char[precision];
        var even = true;
        for (var i = 0; i < precision; i++)
        {
            var value = 0;
            for (var bit = 4; bit >= 0; bit--)
            {
                if (even)
                {
                    var mid = (minLng + maxLng) / 2;
                    if (position.Longitude >= mid)
                    {
                        value |= 1 << bit;
                        minLng = mid;
                    }
                    else
                    {
                        maxLng = mid;
                    }
                }
                else
                {
                    var mid = (minLat + maxLat) / 2;
                    if (position.Latitude >= mid)
                    {
                        value |= 1 << bit;
                        minLat = mid;
                    }
                    else
                    {
                        maxLat = mid;
                    }
                }

                even = !even;
            }

            text[i] = Alphabet[value];
        }

        return new string(text);
    }

    /// <summary>The cell of the position and its eight neighbours, the centre first.</summary>
    public static IReadOnlyList<string> Block(LatLng position, int precision = Precision)
    {
        var (height, width) = CellSize(precision);
        var cells = new List<string>(9) { Encode(position, precision) };
        foreach (var dLat in new[] { 0, -1, 1 })
        {
            foreach (var dLng in new[] { 0, -1, 1 })
            {
                if (dLat == 0 && dLng == 0)
                {
                    continue;
                }

                var lat = Math.Clamp(position.Latitude + (dLat * height), -90, 90);
                var lng = position.Longitude + (dLng * width);
                lng = lng >= 180 ? lng - 360 : lng < -180 ? lng + 360 : lng;
                cells.Add(Encode(new LatLng(lat, lng), precision));
            }
        }

        return cells;
    }

    /// <summary>Metres between two positions on the sphere (haversine, mean Earth radius).</summary>
    public static double Meters(LatLng a, LatLng b)
    {
        const double radius = 6_371_008.8;
        var dLat = double.DegreesToRadians(b.Latitude - a.Latitude);
        var dLng = double.DegreesToRadians(b.Longitude - a.Longitude);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(double.DegreesToRadians(a.Latitude)) * Math.Cos(double.DegreesToRadians(b.Latitude)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2));
        return 2 * radius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>A cell's height and width in degrees: the bits of latitude and longitude its characters hold.</summary>
    private static (double Height, double Width) CellSize(int precision)
    {
        var bits = precision * 5;
        var lngBits = (bits + 1) / 2;
        var latBits = bits / 2;
        return (180 / Math.Pow(2, latBits), 360 / Math.Pow(2, lngBits));
    }
}
