using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Infrastructure.Cli;

namespace Hazards.Api.Tests.Support;

/// <summary>Drives the case routes the way a client would, asserting each step answered as expected.</summary>
public static class Cases
{
    public const string GridOne = "500103001001001";
    public const string GridTwo = "500103002001001";

    public static Guid UnitOne => DemoSeeder.DemoUnitId(GridOne, 1);

    public static Guid UnitTwo => DemoSeeder.DemoUnitId(GridTwo, 1);

    /// <summary>The smallest PNG: its leading bytes are what the service checks.</summary>
    public static byte[] Png { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /// <summary>A grid patrol's report, placed at the centre of the grid's demo boundary, so it agrees with the grid where those are seeded.</summary>
    public static object Patrol(string title = "消防通道堵塞", string grid = GridOne, object? extra = null) => Merge(new JsonObject
    {
        ["title"] = title,
        ["description"] = "商铺门前堆放杂物，堵塞消防通道约10米",
        ["sector"] = "fire",
        ["origin"] = "gridPatrol",
        ["gridCode"] = grid,
        ["location"] = new JsonObject { ["latitude"] = Centre(grid).Y, ["longitude"] = Centre(grid).X, ["address"] = "渝中区解放碑步行街" },
    }, extra);

    /// <summary>The centre of a demo org unit's synthetic boundary (<see cref="Hazards.Api.Features.Places.DemoBoundaries"/>): x longitude, y latitude.</summary>
    public static NetTopologySuite.Geometries.Coordinate Centre(string code) =>
        Hazards.Api.Features.Places.DemoBoundaries.Cell(code, DemoSeeder.Districts().Select(d => d.Code).ToList()).Centre;

    public static object SelfCheck(Guid unitId, string title = "配电箱未接地", object? extra = null) => Merge(new JsonObject
    {
        ["title"] = title,
        ["description"] = "日常自查发现配电箱外壳未接地",
        ["sector"] = "specialEquipment",
        ["origin"] = "selfCheck",
        ["unitId"] = unitId,
    }, extra);

    public static async Task<JsonNode> Report(this HttpClient client, object body, string? key = null)
    {
        var response = await client.PostJson("/api/v1/cases", body, idempotencyKey: key);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    public static Task<HttpResponseMessage> Act(this HttpClient client, JsonNode hazard, string action, object? body = null, string? key = null) =>
        client.PostJson($"/api/v1/cases/{Id(hazard)}/{action}", body ?? new { }, idempotencyKey: key, ifMatch: $"\"{Version(hazard)}\"");

    public static async Task<JsonNode> Do(this HttpClient client, JsonNode hazard, string action, object? body = null)
    {
        var response = await client.Act(hazard, action, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{action}: {await response.Content.ReadAsStringAsync()}");
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{Version(hazard) + 1}\""));
        return await response.Json();
    }

    public static async Task<JsonNode> Fetch(this HttpClient client, JsonNode hazard)
    {
        var response = await client.GetAsync($"/api/v1/cases/{Id(hazard)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    public static async Task<Guid> Upload(this HttpClient client, byte[]? content = null, string fileName = "evidence.png", string declaredType = "image/png")
    {
        var response = await client.UploadRaw("/api/v1/attachments", content ?? Png, fileName, declaredType);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Json())["id"]!.GetValue<Guid>();
    }

    public static Task<HttpResponseMessage> UploadRaw(this HttpClient client, string url, byte[] content, string fileName, string declaredType)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        return client.PostAsync(url, form);
    }

    public static Guid Id(JsonNode hazard) => hazard["id"]!.GetValue<Guid>();

    public static int Version(JsonNode hazard) => hazard["version"]!.GetValue<int>();

    public static string Text(this JsonNode node, string name) => node[name]!.GetValue<string>();

    private static JsonObject Merge(JsonObject body, object? extra)
    {
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra, Http.Options)!.AsObject())
            {
                body[key] = value?.DeepClone();
            }
        }

        return body;
    }
}
