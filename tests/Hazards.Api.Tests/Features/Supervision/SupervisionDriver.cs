using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.Supervision;

/// <summary>Brings demo cases to the states supervision works on, through the real routes.</summary>
internal static class SupervisionDriver
{
    public const string Township = "500103001";

    /// <summary>Reported by grid, fixed by unit, verified by officer: closed by someone other than its reporter.</summary>
    public static async Task<JsonNode> ClosedByOfficer(this HazardsApp app, string title)
    {
        var reported = await app.ClientFor("grid").Report(CaseDriver.Patrol(title, extra: new { unitId = CaseDriver.UnitOne }));
        var fixedCase = await app.AssignAndFix(reported);
        return await app.ClientFor("officer").Do(fixedCase, "verify", new { passed = true });
    }

    /// <summary>Reported by grid and re-checked by the same grid worker: self-verified.</summary>
    public static async Task<JsonNode> SelfVerified(this HazardsApp app, string title)
    {
        var reported = await app.ClientFor("grid").Report(CaseDriver.Patrol(title, extra: new { unitId = CaseDriver.UnitOne }));
        var fixedCase = await app.AssignAndFix(reported);
        return await app.ClientFor("grid").Do(fixedCase, "verify", new { passed = true });
    }

    /// <summary>Fixed on the spot by grid (立查立改) and verified by officer.</summary>
    public static async Task<JsonNode> FixedOnSpot(this HazardsApp app, string title)
    {
        var grid = app.ClientFor("grid");
        var reported = await grid.Report(CaseDriver.Patrol(title, extra: new { fixedOnSpot = true, attachmentIds = new[] { await grid.Upload() } }));
        return await app.ClientFor("officer").Do(reported, "verify", new { passed = true });
    }

    public static async Task<JsonNode> AssignAndFix(this HazardsApp app, JsonNode reported)
    {
        var assigned = await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = CaseDriver.UnitOne });
        var unit = app.ClientFor("unit");
        return await unit.Do(assigned, "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });
    }

    public static async Task<JsonNode> Draw(this HazardsApp app, object body, string login = "regulator")
    {
        var response = await app.ClientFor(login).PostJson("/api/v1/spot-checks", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    public static IReadOnlyList<Guid> DrawnIds(JsonNode draw) =>
        draw["cases"]!.AsArray().Select(c => c!["caseId"]!.GetValue<Guid>()).ToList();

    public static async Task<JsonNode> Tasks(this HazardsApp app, string login) =>
        await (await app.ClientFor(login).GetAsync("/api/v1/me/tasks")).Json();

    /// <summary>The ids of a list: a section of the inbox (an object with its items) or the items of a page.</summary>
    public static IReadOnlyList<Guid> Ids(JsonNode tasks, string section) =>
        (tasks[section] is JsonObject list ? list["items"]! : tasks[section]!).AsArray().Select(c => c!["id"]!.GetValue<Guid>()).ToList();

    public static async Task<EscalationResult> SweepOn(this HazardsApp app, string day)
    {
        app.Clock.SetUtcNow(DateTimeOffset.Parse($"{day}T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new EscalateCasesCommand());
    }

    public static object Today(int? count = null, double? rate = null, string? seed = null, string orgUnit = Township) =>
        new { orgUnit, from = "2026-03-02", to = "2026-03-02", count, rate, seed };
}
