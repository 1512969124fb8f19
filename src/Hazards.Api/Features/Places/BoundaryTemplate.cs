using System.Text.Json.Nodes;

namespace Hazards.Api.Features.Places;

/// <summary>
/// The example file of the boundaries import: village 500103001001 on its demo rectangle and its grid 500103001001001 as a
/// smaller square around 解放碑 (the grid within its village, clear of its sibling). Each feature says
/// <c>"example": true</c>, so the file as downloaded sets nothing (a real city may have these codes); without it, it imports
/// into the demo as it stands.
/// </summary>
public static class BoundaryTemplate
{
    public const string Village = "500103001001";
    public const string Grid = "500103001001001";

    public static string Json()
    {
        var (lat, lng) = DemoBoundaries.Jiefangbei;
        var west = lng - (DemoBoundaries.DistrictSize / 3 / 4);
        var south = lat - (DemoBoundaries.DistrictSize / 4);
        var collection = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray(
                Feature(Village, "解放碑社区", west, south, west + (DemoBoundaries.DistrictSize / 3), south + (DemoBoundaries.DistrictSize / 2)),
                Feature(Grid, "解放碑第一网格", lng - 0.004, lat - 0.004, lng + 0.004, lat + 0.004)),
        };
        return collection.ToJsonString();
    }

    private static JsonObject Feature(string code, string name, double minLng, double minLat, double maxLng, double maxLat)
    {
        JsonArray Position(double x, double y) => new(Math.Round(x, 6), Math.Round(y, 6));
        return new JsonObject
        {
            ["type"] = "Feature",
            ["properties"] = new JsonObject { ["code"] = code, ["name"] = name, ["example"] = true },
            ["geometry"] = new JsonObject
            {
                ["type"] = "Polygon",
                ["coordinates"] = new JsonArray(new JsonArray(
                    Position(minLng, minLat), Position(maxLng, minLat), Position(maxLng, maxLat), Position(minLng, maxLat), Position(minLng, minLat))),
            },
        };
    }
}
