using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Hazards.Api.Features.Supervision;

public static class SupervisionEndpoints
{
    public static RouteGroupBuilder MapSupervision(this RouteGroupBuilder api)
    {
        var checks = api.MapGroup("/spot-checks").WithTags("Supervision");
        checks.MapPost("/", Draw).WithName("DrawSpotChecks");
        checks.MapGet("/{id:guid}", async (Guid id, ISender s, CancellationToken ct) => TypedResults.Ok(await s.Send(new GetSpotCheckDrawQuery(id), ct)))
            .WithName("GetSpotCheckDraw");

        var units = api.MapGroup("/units").WithTags("Supervision");
        units.MapGet("/{id:guid}/board", (Guid id, ISender s, HttpContext h, CancellationToken ct) =>
            s.Send(new GetBoardQuery(id), ct).Tagged(h, b => b.Version)).WithName("GetBoard").WithETag();
        units.MapPut("/{id:guid}/board", (Guid id, UpdateBoardCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            s.Send(body with { UnitId = id, Version = Versions.RequireIfMatch(h) }, ct).Tagged(h, b => b.Version)).WithName("UpdateBoard").WithIfMatch();
        units.MapPost("/{id:guid}/risks", AddRisk).WithName("AddMajorRisk");

        api.MapGet("/org-units/{code}/board", async (string code, bool? complete, int? limit, string? cursor, ISender s, CancellationToken ct) =>
            TypedResults.Ok(await s.Send(new ListOrgBoardQuery(code, complete, limit, cursor), ct))).WithTags("Supervision").WithName("ListOrgBoard");
        return api;
    }

    /// <summary>The anonymous routes: no token, rate-limited per client address, the body read under a hard limit.</summary>
    public static IEndpointRouteBuilder MapPublicTips(this IEndpointRouteBuilder app)
    {
        var tips = app.MapGroup("/api/v1/public/tips").WithTags("Public tips").AllowAnonymous();
        tips.MapPost("/", SubmitTip).AddEndpointFilter<IdempotencyFilter>().RequireRateLimiting(PublicTipOptions.SubmitPolicy)
            .Accepts<SubmitTipCommand>("application/json").Produces<TipReceipt>(StatusCodes.Status201Created).WithName("SubmitTip")
            .WithSummary("A resident's tip (举报), with no account")
            .WithDescription("Say where by the grid code on the grid's sign, the township (from /api/v1/public/places) or a position. "
                + "Answers only a tracking code to ask about the tip later; nothing about who handles it.")
            .WithExample(new { description = "小区楼道堆满纸箱，堵住了安全出口", gridCode = "500103001001001", sector = "fire" });
        tips.MapGet("/{trackingCode}", async (string trackingCode, ISender s, CancellationToken ct) =>
            TypedResults.Ok(await s.Send(new GetTipStatusQuery(trackingCode), ct))).RequireRateLimiting(PublicTipOptions.LookupPolicy).WithName("GetTipStatus");
        app.MapGet("/api/v1/public/places", async (string? district, ISender s, CancellationToken ct) =>
                TypedResults.Ok(await s.Send(new ListPlacesQuery(district), ct)))
            .WithTags("Public tips").AllowAnonymous().RequireRateLimiting(PublicTipOptions.LookupPolicy).WithName("ListPlaces");
        return app;
    }

    private static async Task<Created<SpotCheckDrawView>> Draw(DrawSpotChecksCommand command, ISender sender, CancellationToken ct)
    {
        var draw = await sender.Send(command, ct);
        return TypedResults.Created($"/api/v1/spot-checks/{draw.Id}", draw);
    }

    private static async Task<Created<MajorRiskView>> AddRisk(Guid id, AddMajorRiskCommand command, ISender sender, CancellationToken ct)
    {
        var risk = await sender.Send(command with { UnitId = id }, ct);
        return TypedResults.Created($"/api/v1/units/{id}/board", risk);
    }

    private static async Task<Created<TipReceipt>> SubmitTip(HttpRequest request, ISender sender, PublicTipOptions options, IOptions<JsonOptions> json,
        CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxBodyBytes;
        }

        if (request.ContentLength > options.MaxBodyBytes)
        {
            throw TooLarge(options);
        }

        if (!request.HasJsonContentType())
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "request.unsupported_media_type", "Send the tip as application/json.");
        }

        var body = await ReadBounded(request.Body, options.MaxBodyBytes, ct) ?? throw TooLarge(options);
        SubmitTipCommand? command;
        try
        {
            command = System.Text.Json.JsonSerializer.Deserialize<SubmitTipCommand>(body, json.Value.SerializerOptions);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw StrictJson.UnknownMember(ex) ?? ProblemException.BadRequest("request.malformed", "The body is not valid JSON for a tip.");
        }

        var receipt = await sender.Send(command ?? throw ProblemException.BadRequest("request.malformed", "The body is empty."), ct);
        return TypedResults.Created($"/api/v1/public/tips/{receipt.TrackingCode}", receipt);
    }

    /// <summary>The body, or null once it runs past <paramref name="max"/> bytes: a chunked body is held to the same limit.</summary>
    private static async Task<byte[]?> ReadBounded(Stream body, long max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemException TooLarge(PublicTipOptions options) =>
        new(StatusCodes.Status413PayloadTooLarge, "request.too_large", $"A tip may be at most {options.MaxBodyBytes} bytes.");
}
