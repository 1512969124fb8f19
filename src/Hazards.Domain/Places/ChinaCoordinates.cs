namespace Hazards.Domain.Places;

/// <summary>The datums a phone may report a position in: WGS-84 (GPS, the stored form) or GCJ-02 (the common map apps in China).</summary>
public enum Crs
{
    Wgs84,
    Gcj02,
}

/// <summary>A position in degrees, WGS-84 unless said otherwise.</summary>
public readonly record struct LatLng(double Latitude, double Longitude)
{
    public bool IsValid => double.IsFinite(Latitude) && double.IsFinite(Longitude) && Latitude is >= -90 and <= 90 && Longitude is >= -180 and <= 180;
}

/// <summary>
/// GCJ-02, the offset datum of maps published in China, as the widely published transform gives it (the Krasovsky
/// 1940 ellipsoid's axis and eccentricity with the offset polynomials): <see cref="ToGcj02"/> is the transform itself,
/// <see cref="ToWgs84"/> its inverse found by fixed-point iteration (better than a millimetre inside China). Outside
/// mainland China's rough bounding box both datums are the same.
/// </summary>
public static class ChinaCoordinates
{
    private const double Axis = 6378245.0;
    private const double Eccentricity2 = 0.00669342162296594323;

    public static LatLng ToWgs84(LatLng position, Crs crs) => crs == Crs.Gcj02 ? ToWgs84(position) : position;

    public static LatLng ToGcj02(LatLng wgs)
    {
        if (OutsideChina(wgs))
        {
            return wgs;
        }

        var (dLat, dLng) = Offset(wgs);
        return new LatLng(wgs.Latitude + dLat, wgs.Longitude + dLng);
    }

    public static LatLng ToWgs84(LatLng gcj)
    {
        if (OutsideChina(gcj))
        {
            return gcj;
        }

        var guess = gcj;
        for (var i = 0; i < 30; i++)
        {
            var forward = ToGcj02(guess);
            var errorLat = forward.Latitude - gcj.Latitude;
            var errorLng = forward.Longitude - gcj.Longitude;
            guess = new LatLng(guess.Latitude - errorLat, guess.Longitude - errorLng);
            if (Math.Abs(errorLat) < 1e-10 && Math.Abs(errorLng) < 1e-10)
            {
                break;
            }
        }

        return guess;
    }

    private static bool OutsideChina(LatLng p) => p.Longitude is < 72.004 or > 137.8347 || p.Latitude is < 0.8293 or > 55.8271;

    private static (double Lat, double Lng) Offset(LatLng p)
    {
        var x = p.Longitude - 105.0;
        var y = p.Latitude - 35.0;
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        var dLng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        var wave = (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        dLat += wave + (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
            + (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        dLng += wave + (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
            + (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;

        var radLat = p.Latitude / 180.0 * Math.PI;
        var magic = 1 - Eccentricity2 * Math.Sin(radLat) * Math.Sin(radLat);
        var sqrtMagic = Math.Sqrt(magic);
        return (dLat * 180.0 / (Axis * (1 - Eccentricity2) / (magic * sqrtMagic) * Math.PI),
            dLng * 180.0 / (Axis / sqrtMagic * Math.Cos(radLat) * Math.PI));
    }
}
