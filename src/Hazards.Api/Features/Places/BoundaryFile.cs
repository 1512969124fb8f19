using System.Globalization;
using System.Text.Json;
using Hazards.Api.Infrastructure.Errors;
using NetTopologySuite.Geometries;

namespace Hazards.Api.Features.Places;

/// <summary>
/// One feature of a boundaries import: its index in <c>features</c> (the report's row), the org unit it names, its checked
/// shape, and whether its properties say <c>"example": true</c> (as the template's do: such a feature is never imported).
/// </summary>
public sealed record BoundaryFileFeature(int Row, string Code, Geometry Shape, bool Example = false);

/// <summary>
/// A boundaries import file: one GeoJSON FeatureCollection (RFC 7946, WGS-84) whose features each name an org unit by
/// <c>properties.code</c> (or the Feature's <c>id</c>) and carry a Polygon or MultiPolygon. Everything that needs no
/// database is checked here, before the import is queued: the file is refused whole (400) at its first fault, each
/// feature's shape by <see cref="BoundaryShape.Parse"/> as <c>PUT /org-units/{code}/boundary</c> checks a body.
/// </summary>
public static class BoundaryFile
{
    public static IReadOnlyList<BoundaryFileFeature> Read(string path, LocationOptions options)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw ProblemException.BadRequest("import.not_json", "The file is not JSON: send one GeoJSON FeatureCollection (RFC 7946) in UTF-8.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (Type(root) != "FeatureCollection" || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                throw ProblemException.BadRequest("import.not_feature_collection",
                    "The file is not a GeoJSON FeatureCollection: an object with \"type\": \"FeatureCollection\" and an array of features.");
            }

            var read = new List<BoundaryFileFeature>(features.GetArrayLength());
            var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
            var vertices = 0L;
            foreach (var feature in features.EnumerateArray())
            {
                var row = read.Count;
                if (Type(feature) != "Feature")
                {
                    throw Refused("import.not_feature_collection", row, null, $"Feature {row} is not a GeoJSON Feature.");
                }

                var code = Code(feature, row);
                if (rowOf.TryGetValue(code, out var first))
                {
                    throw Refused("import.duplicate_code", row, code, $"Features {first} and {row} both name {code}: give each org unit one feature.");
                }

                Geometry shape;
                try
                {
                    shape = BoundaryShape.Parse(feature, options.MaxVertices);
                }
                catch (ProblemException problem)
                {
                    throw Refused(problem.Code, row, code, $"Feature {row} ({code}): {problem.Message}");
                }

                vertices += shape.NumPoints;
                if (vertices > options.MaxImportVertices)
                {
                    throw Refused("import.too_many_vertices", row, code,
                        $"An import holds at most {options.MaxImportVertices} vertices in all (Location:MaxImportVertices); split the file.");
                }

                rowOf[code] = row;
                var example = feature.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                    && properties.TryGetProperty("example", out var flag) && flag.ValueKind == JsonValueKind.True;
                read.Add(new BoundaryFileFeature(row, code, shape, example));
            }

            return read;
        }
    }

    /// <summary><c>properties.code</c>, else the Feature's <c>id</c>: a string or an integer of 1 to 15 characters; both given, they agree.</summary>
    private static string Code(JsonElement feature, int row)
    {
        var fromProperties = feature.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("code", out var code) ? Text(code, row) : null;
        var fromId = feature.TryGetProperty("id", out var id) ? Text(id, row) : null;
        if (fromProperties is not null && fromId is not null && fromProperties != fromId)
        {
            throw Refused("import.feature_code_invalid", row, fromProperties, $"Feature {row} names {fromProperties} in properties.code but {fromId} as its id.");
        }

        return fromProperties ?? fromId
            ?? throw Refused("import.feature_code_missing", row, null, $"Feature {row} names no org unit: give its code in properties.code (or as the feature's id).");
    }

    private static string? Text(JsonElement value, int row)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            JsonValueKind.Number when value.TryGetInt64(out var n) && n >= 0 => n.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.Null => null,
            _ => "",
        };
        return text is null || text.Length is >= 1 and <= 15 ? text
            : throw Refused("import.feature_code_invalid", row, null, $"Feature {row}'s code is not an org unit code (a string of at most 15 characters).");
    }

    private static string? Type(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString() : null;

    private static ProblemException Refused(string code, int row, string? orgUnit, string detail) =>
        new(StatusCodes.Status400BadRequest, code, detail)
        {
            Extensions = new Dictionary<string, object?> { ["row"] = row, ["orgUnit"] = orgUnit },
        };
}
