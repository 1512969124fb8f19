using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Features.Inspections;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Inspections;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.Inspections;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>Drives the inspection routes and the sweep the way a client and the job runner would.</summary>
internal static class InspectionDriver
{
    public static Guid UnitPlan(Guid unitId, Cadence cadence) => DemoSeeder.DemoPlanId(unitId.ToString("N"), cadence);

    public static Guid PatrolPlan(string gridCode) => DemoSeeder.DemoPlanId(gridCode, Cadence.Weekly);

    public static Guid DailyOfUnitOne => UnitPlan(Cases.UnitOne, Cadence.Daily);

    /// <summary>The demo checklists' fixed codes.</summary>
    public static string[] Codes(Cadence cadence, bool patrol = false) => patrol ? ["G1", "G2", "G3"] : cadence switch
    {
        Cadence.Daily => ["D1", "D2", "D3"],
        Cadence.Weekly => ["W1", "W2"],
        _ => ["M1", "M2"],
    };

    /// <summary>A record passing every item named, for the period given (or, left null, the current one).</summary>
    public static JsonObject Record(Guid planId, IEnumerable<string> codes, string? period = null, string note = "例行检查", JsonArray? hazards = null)
    {
        var body = new JsonObject
        {
            ["planId"] = planId.ToString(),
            ["inspectors"] = new JsonArray("王班长", "李安全员"),
            ["results"] = new JsonArray(codes.Select(c => (JsonNode)new JsonObject { ["code"] = c, ["passed"] = true }).ToArray()),
            ["note"] = note,
        };
        if (period is not null)
        {
            body["period"] = period;
        }

        if (hazards is not null)
        {
            body["hazards"] = hazards;
        }

        return body;
    }

    public static JsonObject Hazard(string title, bool located = false)
    {
        var hazard = new JsonObject
        {
            ["title"] = title,
            ["description"] = $"{title}：检查中发现",
            ["sector"] = "fire",
        };
        if (located)
        {
            hazard["location"] = new JsonObject { ["latitude"] = 29.5577, ["longitude"] = 106.5770, ["address"] = "渝中区解放碑步行街" };
        }

        return hazard;
    }

    public static async Task<JsonNode> Submit(this HttpClient client, JsonObject body)
    {
        var response = await client.PostJson("/api/v1/inspections", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    /// <summary>Runs the missed-check sweep through the app's own mediator, as the recurring job does.</summary>
    public static async Task<SweepResult> Sweep(this HazardsApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SweepMissedChecksCommand());
    }

    public static Task<long> Missed(this HazardsApp app, string? periodKey = null, Guid? planId = null) => app.Count(
        "SELECT COUNT(*) FROM inspection_missed WHERE (@Key IS NULL OR period_key = @Key) AND (@Plan IS NULL OR plan_id = @Plan)",
        new { Key = periodKey, Plan = planId?.ToString() });

    public static Task<long> Consecutive(this HazardsApp app, Guid planId, string periodKey) => app.Count(
        "SELECT consecutive FROM inspection_missed WHERE plan_id = @Plan AND period_key = @Key", new { Plan = planId.ToString(), Key = periodKey });

    public static Task<long> Plans(this HazardsApp app, string cadence) =>
        app.Count("SELECT COUNT(*) FROM inspection_plans WHERE cadence = @Cadence", new { Cadence = cadence });

    public static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
