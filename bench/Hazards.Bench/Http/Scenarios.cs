using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Hazards.Api.Features.Cases;

namespace Hazards.Bench.Http;

/// <summary>One measured route: its name, the request each connection sends next, and its target as a share of the ceiling.</summary>
public sealed record Scenario(
    string Name, string Route, NextRequest Next, WrkRoute? Wrk, double? MinShare = null, double? MaxP99Ms = null, bool NoServerErrors = false, bool Finite = false);

/// <summary>The routes, each with a caller whose scope holds the data it asks for.</summary>
/// <param name="at">Where the reports stand when the grids have boundaries (the `reportAt` route); else 解放碑.</param>
public sealed class Scenarios(Uri baseAddress, HttpDataset data, IReadOnlyDictionary<string, string> tokens, Hazards.Domain.Places.LatLng? at = null)
{
    public const string ReportBody = """
        {"title":"消防通道堵塞","description":"商铺门前堆放杂物，堵塞消防通道","sector":"fire","origin":"gridPatrol","gridCode":"{grid}",
         "location":{"latitude":{lat},"longitude":{lng},"address":"渝中区解放碑步行街"}}
        """;

    private const string VerifyBody = """{"passed":true,"note":"现场核查通过"}""";

    private readonly ConcurrentQueue<PendingVerification> pending = new(data.Pending);

    public int PendingLeft => pending.Count;

    public Scenario Ceiling() => new("ceiling", "GET /health/live", _ => Get("/health/live", token: null), new WrkRoute("GET", ["/health/live"], null));

    public Scenario ReadCase() => new("read one case", $"GET /api/v1/cases/{{id}} as {data.RegulatorLogin}",
        _ => Get($"/api/v1/cases/{Pick(data.DistrictCaseIds)}", tokens[data.RegulatorLogin]),
        new WrkRoute("GET", data.DistrictCaseIds.Select(id => $"/api/v1/cases/{id}").ToArray(), tokens[data.RegulatorLogin]), MinShare: 0.35, MaxP99Ms: 10);

    /// <summary>A page of 50 at a random depth of the district's cases: the cursor of a random case, as a client paging down would hold it.</summary>
    public Scenario ListPage() => new("list a page of 50", $"GET /api/v1/cases?orgUnit={data.District}&limit=50&cursor=… as {data.RegulatorLogin}",
        _ => Get(PagePath(PickCursor()), tokens[data.RegulatorLogin]),
        new WrkRoute("GET", data.DistrictCaseIds.Take(Math.Max(1, data.DistrictCaseIds.Count - 50)).Select(PagePath).ToArray(), tokens[data.RegulatorLogin]),
        MinShare: 0.20);

    public Scenario MyTasks() => new("my tasks", $"GET /api/v1/me/tasks as {data.OfficerLogin}",
        _ => Get("/api/v1/me/tasks", tokens[data.OfficerLogin]), new WrkRoute("GET", ["/api/v1/me/tasks"], tokens[data.OfficerLogin]));

    public Scenario Report() => new("report a hazard", $"POST /api/v1/cases as {data.GridWorkerLogin}, a new Idempotency-Key each",
        _ =>
        {
            var request = Post("/api/v1/cases", tokens[data.GridWorkerLogin], ReportJson);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            return request;
        },
        new WrkRoute("POST", ["/api/v1/cases"], tokens[data.GridWorkerLogin], ReportJson, IdempotencyKey: true), MinShare: 0.10, MaxP99Ms: 100, NoServerErrors: true);

    public Scenario ReportAt() => new("report a hazard by position", $"POST /api/v1/cases as {data.GridWorkerLogin} with a position and no grid code",
        _ =>
        {
            var request = Post("/api/v1/cases", tokens[data.GridWorkerLogin], PositionJson);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            return request;
        },
        new WrkRoute("POST", ["/api/v1/cases"], tokens[data.GridWorkerLogin], PositionJson, IdempotencyKey: true), MinShare: 0.10, MaxP99Ms: 100, NoServerErrors: true);

    public Scenario Verify() => new("verify a fix", $"POST /api/v1/cases/{{id}}/verify as {HttpDataset.VerifierLogin}, If-Match its version",
        _ =>
        {
            if (!pending.TryDequeue(out var next))
            {
                return null;
            }

            var request = Post($"/api/v1/cases/{next.Id}/verify", tokens[HttpDataset.VerifierLogin], VerifyBody);
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{next.Version.ToString(CultureInfo.InvariantCulture)}\""));
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            return request;
        }, Wrk: null, Finite: true);

    private string ReportJson => Placed(ReportBody.Replace("{grid}", data.Grid, StringComparison.Ordinal));

    private string PositionJson => Placed(ReportBody.Replace("\"gridCode\":\"{grid}\",", "", StringComparison.Ordinal));

    /// <summary>
    /// The body at a position of its own within 150 m of where the reports stand, as reports of one grid are spread
    /// over it: a thousand reports at one point would each find the thousand before as possible duplicates.
    /// </summary>
    private string Placed(string body)
    {
        const double spread = 150 / 111_320.0;
        var (lat, lng) = (at?.Latitude ?? 29.5577, at?.Longitude ?? 106.577);
        return body
            .Replace("{lat}", (lat + ((Random.Shared.NextDouble() - 0.5) * 2 * spread)).ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{lng}", (lng + ((Random.Shared.NextDouble() - 0.5) * 2 * spread)).ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .ReplaceLineEndings(" ");
    }

    private string PagePath(string cursorId) =>
        $"/api/v1/cases?orgUnit={data.District}&limit=50&cursor={Uri.EscapeDataString(ListCasesHandler.EncodeCursor(Guid.Parse(cursorId)))}";

    private string PickCursor() => data.DistrictCaseIds[Random.Shared.Next(Math.Max(1, data.DistrictCaseIds.Count - 50))];

    private static string Pick(IReadOnlyList<string> values) => values[Random.Shared.Next(values.Count)];

    private HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private HttpRequestMessage Post(string path, string token, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
