using Hazards.Domain.Places;

namespace Hazards.Domain.Tests.Places;

/// <summary>The published GCJ-02 transform, checked against reference pairs that other implementations publish with their tests.</summary>
public sealed class ChinaCoordinatesTests
{
    // WGS-84 latitude, longitude → GCJ-02 latitude, longitude: Shanghai, Shenzhen and Beijing from eviltransform's tests,
    // and Beijing's 39.915, 116.404 from coordtransform's.
    [TestCase(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215)]
    [TestCase(22.543847, 113.912316, 22.540796131694766, 113.9171764808363)]
    [TestCase(39.911954, 116.377817, 39.91334545536069, 116.38404722455657)]
    [TestCase(39.915, 116.404, 39.91640428150164, 116.41024449916938)]
    public void ToGcj02_OnTheReferencePoints_GivesThePublishedOffsets(double lat, double lng, double gcjLat, double gcjLng)
    {
        var gcj = ChinaCoordinates.ToGcj02(new LatLng(lat, lng));

        Assert.That(gcj.Latitude, Is.EqualTo(gcjLat).Within(1e-9));
        Assert.That(gcj.Longitude, Is.EqualTo(gcjLng).Within(1e-9));
    }

    [TestCase(31.17530398364597, 121.531541859215, 31.1774276, 121.5272106)]
    [TestCase(22.540796131694766, 113.9171764808363, 22.543847, 113.912316)]
    [TestCase(39.91334545536069, 116.38404722455657, 39.911954, 116.377817)]
    public void ToWgs84_OnTheReferencePoints_RecoversTheGpsPosition(double gcjLat, double gcjLng, double lat, double lng)
    {
        var wgs = ChinaCoordinates.ToWgs84(new LatLng(gcjLat, gcjLng), Crs.Gcj02);

        // 1e-8 degrees is about a millimetre.
        Assert.That(wgs.Latitude, Is.EqualTo(lat).Within(1e-8));
        Assert.That(wgs.Longitude, Is.EqualTo(lng).Within(1e-8));
    }

    [Test]
    public void ToWgs84_InChongqing_MovesTheMapPointByHundredsOfMetres()
    {
        var gcj = new LatLng(29.5577, 106.5770);

        var wgs = ChinaCoordinates.ToWgs84(gcj, Crs.Gcj02);

        Assert.That(ChinaCoordinates.ToGcj02(wgs).Latitude, Is.EqualTo(gcj.Latitude).Within(1e-9));
        Assert.That(Math.Abs(wgs.Longitude - gcj.Longitude) * 96_800, Is.InRange(300, 700), "metres east-west at this latitude");
    }

    [Test]
    public void Transforms_OutsideChina_LeaveThePositionAlone()
    {
        var london = new LatLng(51.5074, -0.1278);

        Assert.That(ChinaCoordinates.ToGcj02(london), Is.EqualTo(london));
        Assert.That(ChinaCoordinates.ToWgs84(london, Crs.Gcj02), Is.EqualTo(london));
    }

    [TestCase(91, 0, false)]
    [TestCase(0, 181, false)]
    [TestCase(double.NaN, 0, false)]
    [TestCase(0, double.PositiveInfinity, false)]
    [TestCase(-90, 180, true)]
    public void IsValid_BoundsLatitudeAndLongitude(double lat, double lng, bool valid) =>
        Assert.That(new LatLng(lat, lng).IsValid, Is.EqualTo(valid));
}
