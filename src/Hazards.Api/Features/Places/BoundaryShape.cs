using System.Text.Json;
using Hazards.Api.Infrastructure.Errors;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Valid;

namespace Hazards.Api.Features.Places;

/// <summary>
/// A boundary as sent: a GeoJSON Polygon or MultiPolygon (or a Feature holding one) in WGS-84 longitude, latitude order
/// (RFC 7946). Its structure is checked on the JSON first, so every refusal has its own code and nothing large is built
/// from a bad body; then NetTopologySuite's reader builds it and its validity (rings that do not cross themselves or each other) is checked.
/// </summary>
public static class BoundaryShape
{
    public static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>Metres per degree of latitude: distances in the checks are in degrees scaled by this, close enough for tolerances of metres.</summary>
    public const double MetersPerDegree = 111_320;

    public static Geometry Parse(JsonElement body, int maxVertices)
    {
        try
        {
            return ParseChecked(body, maxVertices);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Text that is not UTF-8, members given twice or of the wrong kind: nothing the reader can build a geometry from.
            throw Refused("boundary.invalid", "The body is not a GeoJSON geometry: a Polygon or MultiPolygon, or a Feature holding one.");
        }
    }

    private static Geometry ParseChecked(JsonElement body, int maxVertices)
    {
        var geometry = body;
        if (Type(body) == "Feature")
        {
            geometry = body.TryGetProperty("geometry", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner
                : throw Refused("boundary.not_polygon", "The feature has no geometry.");
        }

        var type = Type(geometry);
        if (type is not ("Polygon" or "MultiPolygon"))
        {
            throw Refused("boundary.not_polygon", $"A boundary is a GeoJSON Polygon or MultiPolygon, not {(type is null ? "this" : $"a {type}")}.");
        }

        if (!geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            throw Refused("boundary.invalid", "The geometry has no coordinates array.");
        }

        var vertices = 0;
        var polygons = type == "Polygon" ? [coordinates] : coordinates.EnumerateArray().ToList();
        if (polygons.Count == 0)
        {
            throw Refused("boundary.invalid", "The MultiPolygon has no polygons.");
        }

        foreach (var polygon in polygons)
        {
            CheckPolygon(polygon, ref vertices, maxVertices);
        }

        var built = geometry.Deserialize<Geometry>(GeoJson) ?? throw Refused("boundary.invalid", "The geometry could not be read.");
        var validity = new IsValidOp(built);
        if (!validity.IsValid)
        {
            var error = validity.ValidationError;
            throw Refused("boundary.invalid",
                $"The boundary is not a valid polygon: {error.Message} near {error.Coordinate.Y:0.######}, {error.Coordinate.X:0.######} (latitude, longitude).");
        }

        return built;
    }

    public static int Vertices(Geometry geometry) => geometry.NumPoints;

    public static string Write(Geometry geometry) => JsonSerializer.Serialize(geometry, GeoJson);

    public static Geometry Read(string geojson) =>
        JsonSerializer.Deserialize<Geometry>(geojson, GeoJson) ?? throw new InvalidDataException("A stored boundary is empty.");

    private static void CheckPolygon(JsonElement polygon, ref int vertices, int maxVertices)
    {
        if (polygon.ValueKind != JsonValueKind.Array || polygon.GetArrayLength() == 0)
        {
            throw Refused("boundary.invalid", "A polygon is an array of rings, the outer ring first.");
        }

        foreach (var ring in polygon.EnumerateArray())
        {
            if (ring.ValueKind != JsonValueKind.Array || ring.GetArrayLength() < 4)
            {
                throw Refused("boundary.unclosed_ring", "A ring has at least four positions, the last the same as the first.");
            }

            vertices += ring.GetArrayLength();
            if (vertices > maxVertices)
            {
                throw Refused("boundary.too_many_vertices", $"A boundary has at most {maxVertices} vertices (Location:MaxVertices); simplify it.");
            }

            (double Lng, double Lat)? first = null;
            (double Lng, double Lat) last = default;
            foreach (var position in ring.EnumerateArray())
            {
                last = Position(position);
                first ??= last;
            }

            if (first != last)
            {
                throw Refused("boundary.unclosed_ring", "A ring must end where it starts: repeat the first position as the last.");
            }
        }
    }

    private static (double Lng, double Lat) Position(JsonElement position)
    {
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() is < 2 or > 3
            || position.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.Number))
        {
            throw Refused("boundary.invalid", "A position is [longitude, latitude], in degrees.");
        }

        var lng = position[0].GetDouble();
        var lat = position[1].GetDouble();
        return lng is >= -180 and <= 180 && lat is >= -90 and <= 90 ? (lng, lat)
            : throw Refused("boundary.out_of_range", $"The position [{lng}, {lat}] is not a longitude and latitude in degrees (WGS-84, longitude first).");
    }

    private static string? Type(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString() : null;

    private static ProblemException Refused(string code, string detail) => ProblemException.BadRequest(code, detail);
}
