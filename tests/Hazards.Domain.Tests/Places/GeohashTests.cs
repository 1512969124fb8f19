using Hazards.Domain.Places;

namespace Hazards.Domain.Tests.Places;

/// <summary>Geohash cells, checked against the scheme's published examples, and the block of nine that finds nearby cases.</summary>
public sealed class GeohashTests
{
    // The examples of the scheme's description (geohash.org and its Wikipedia article).
    [TestCase(57.64911, 10.40744, 11, "u4pruydqqvj")]
    [TestCase(42.6, -5.6, 5, "ezs42")]
    [TestCase(-25.382708, -49.265506, 8, "6gkzwgjz")]
    public void Encode_OnThePublishedExamples_GivesTheirCells(double lat, double lng, int precision, string cell)
    {
        Assert.That(Geohash.Encode(new LatLng(lat, lng), precision), Is.EqualTo(cell));
    }

    [Test]
    public void Block_IsTheCellAndItsEightNeighbours_CoveringEveryPointWithinTheMaximumRadius()
    {
        var centre = new LatLng(29.5577, 106.5770);
        var block = Geohash.Block(centre);
        var random = new Random(7);

        Assert.That(block, Has.Count.EqualTo(9).And.Unique);
        Assert.That(block[0], Is.EqualTo(Geohash.Encode(centre)));
        for (var i = 0; i < 2000; i++)
        {
            // A point within the maximum radius of a point anywhere in mainland China lies in that point's block.
            var at = new LatLng(18 + (random.NextDouble() * 36), 74 + (random.NextDouble() * 60));
            var bearing = random.NextDouble() * 2 * Math.PI;
            var meters = random.NextDouble() * Geohash.MaxRadiusMeters;
            var near = new LatLng(at.Latitude + (meters * Math.Cos(bearing) / 111_320),
                at.Longitude + (meters * Math.Sin(bearing) / (111_320 * Math.Cos(double.DegreesToRadians(at.Latitude)))));
            Assert.That(Geohash.Block(at), Does.Contain(Geohash.Encode(near)), $"{near} within {meters:0} m of {at}");
        }
    }

    [Test]
    public void Meters_OneDegreeOfLatitude_IsAbout111Kilometres()
    {
        Assert.That(Geohash.Meters(new LatLng(29, 106), new LatLng(30, 106)), Is.EqualTo(111_195).Within(5));
        Assert.That(Geohash.Meters(new LatLng(29.5577, 106.5770), new LatLng(29.5577, 106.5770)), Is.Zero);
    }
}
