using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Security;

/// <summary>Who sends a probe: a demo user of one role, in scope of the world's objects or a same-role twin outside it.</summary>
public sealed record Caller(string? Login, string Role, bool InScope)
{
    public static readonly Caller Anonymous = new(null, "anonymous", InScope: false);

    /// <summary>The objects live in grid 500103001001001 and unit one; each twin sits in another subtree.</summary>
    public static readonly IReadOnlyList<Caller> All =
    [
        Anonymous,
        new("grid", "gridWorker", true), new("grid2", "gridWorker", false),
        new("unit", "unitOfficer", true), new("unit2", "unitOfficer", false),
        new("officer", "townshipOfficer", true), new("officer2", "townshipOfficer", false),
        new("regulator", "districtRegulator", true), new("regulator2", "districtRegulator", false),
        new("admin", "cityAdmin", true),
    ];

    public override string ToString() => Login is null ? "anonymous" : $"{Login} ({Role}, {(InScope ? "in scope" : "out of scope")})";
}

/// <summary>A request as a probe describes it; <see cref="Send"/> turns it into HTTP.</summary>
public sealed record Probe(HttpMethod Method, string Url, JsonNode? Json = null, string? IfMatch = null, byte[]? Upload = null)
{
    public HttpRequestMessage ToMessage()
    {
        var request = new HttpRequestMessage(Method, Url);
        if (Json is not null)
        {
            request.Content = JsonContent.Create(Json, options: Http.Options);
        }

        if (Upload is not null)
        {
            var file = new ByteArrayContent(Upload);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            request.Content = new MultipartFormDataContent { { file, "file", "evidence.png" } };
        }

        if (IfMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", IfMatch);
        }

        return request;
    }
}

/// <summary>The stages a case of the world can be brought to, each through the real routes.</summary>
public enum Stage
{
    Reported,
    Rectifying,
    ExtensionPending,
    FixSubmitted,
    Closed,
    MajorRectifying,
    MajorPlanned,
    MajorFixSubmitted,
}

/// <summary>
/// Makes the objects probes act on, in scope of grid, unit, officer, regulator and admin and outside the
/// scope of their twins: everything through the API, as the in-scope users would.
/// </summary>
public sealed class World(HazardsApp app)
{
    public const string Grid = CaseDriver.GridOne;

    private readonly ConcurrentDictionary<string, HttpClient> clients = new();
    private readonly Dictionary<string, object> shared = [];

    public HazardsApp App => app;

    public static Guid Unit => CaseDriver.UnitOne;

    public HttpClient As(string? login) => clients.GetOrAdd(login ?? "", l => app.ClientFor(l.Length == 0 ? null : l));

    /// <summary>An object made once and reused by probes that only read it.</summary>
    public async Task<T> Shared<T>(string key, Func<Task<T>> make)
        where T : notnull
    {
        if (!shared.TryGetValue(key, out var value))
        {
            value = await make();
            shared[key] = value;
        }

        return (T)value;
    }

    public static JsonObject ReportBody(string title = "矩阵-传感器报警") => new()
    {
        ["title"] = title,
        ["description"] = "可燃气体探测器报警，现场核实",
        ["sector"] = "gas",
        ["origin"] = "sensorAlert",
        ["gridCode"] = Grid,
        ["unitId"] = Unit.ToString(),
        ["level"] = "general",
        ["fixedOnSpot"] = false,
        ["location"] = new JsonObject { ["latitude"] = 29.5577, ["longitude"] = 106.5770, ["address"] = "渝中区解放碑" },
    };

    public static JsonObject PlanBody() => new()
    {
        ["goals"] = "消除隐患",
        ["measures"] = "加装报警装置",
        ["funds"] = "5万元",
        ["people"] = "设备科",
        ["timeLimit"] = "2026-06-30",
        ["safetyMeasures"] = "停用储罐区，设置警戒",
    };

    public async Task<JsonNode> Case(Stage stage)
    {
        var unit = As("unit");
        switch (stage)
        {
            case Stage.Reported:
                return await As("grid").Report(ReportBody());
            case Stage.Rectifying:
                return await As("officer").Do(await Case(Stage.Reported), "assign", new { responsibleUnitId = Unit });
            case Stage.ExtensionPending:
                return await unit.Do(await Case(Stage.Rectifying), "extension", new { until = "2026-06-30", reason = "需要采购配件" });
            case Stage.FixSubmitted:
                return await unit.Do(await Case(Stage.Rectifying), "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });
            case Stage.Closed:
                return await As("officer").Do(await Case(Stage.FixSubmitted), "verify", new { passed = true });
            case Stage.MajorRectifying:
                var regulator = As("regulator");
                var body = ReportBody("矩阵-重大隐患");
                body["origin"] = "regulatorInspection";
                body["level"] = "major";
                body["standardClause"] = "《城镇燃气经营安全重大隐患判定标准》第四条";
                return await regulator.Do(await regulator.Report(body), "assign", new { responsibleUnitId = Unit });
            case Stage.MajorPlanned:
                return await unit.Do(await Case(Stage.MajorRectifying), "plan", PlanBody());
            case Stage.MajorFixSubmitted:
                var approved = await As("regulator").Do(await Case(Stage.MajorPlanned), "plan/approve");
                return await unit.Do(approved, "fix", new { note = "已加装", attachmentIds = new[] { await unit.Upload() } });
            default:
                throw new ArgumentOutOfRangeException(nameof(stage));
        }
    }

    /// <summary>An attachment on a case of the world.</summary>
    public async Task<Guid> CaseAttachment()
    {
        var hazard = await Case(Stage.Reported);
        var response = await As("grid").UploadRaw($"/api/v1/cases/{CaseDriver.Id(hazard)}/attachments", CaseDriver.Png, "evidence.png", "image/png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Json())["id"]!.GetValue<Guid>();
    }

    public static JsonObject InspectionPlanBody(string level) => new()
    {
        ["name"] = $"矩阵-{level}检查",
        ["cadence"] = level == "gridPatrol" ? "weekly" : "daily",
        ["level"] = level,
        ["checklist"] = new JsonArray(new JsonObject { ["code"] = "A1", ["text"] = "消防通道畅通" }),
    };

    /// <summary>An inspection plan of unit one (team level, daily) or of the grid (weekly patrol), made by the officer.</summary>
    public async Task<Guid> InspectionPlan(bool gridPlan)
    {
        var url = gridPlan ? $"/api/v1/org-units/{Grid}/plans" : $"/api/v1/units/{Unit}/plans";
        var response = await As("officer").PostJson(url, InspectionPlanBody(gridPlan ? "gridPatrol" : "team"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Json())["id"]!.GetValue<Guid>();
    }

    public static JsonObject InspectionBody(Guid planId) => new()
    {
        ["planId"] = planId.ToString(),
        ["inspectors"] = new JsonArray("张三"),
        ["results"] = new JsonArray(new JsonObject { ["code"] = "A1", ["passed"] = false, ["note"] = "通道堆放杂物" }),
        ["note"] = "矩阵检查",
        ["hazards"] = new JsonArray(new JsonObject
        {
            ["title"] = "消防通道堵塞",
            ["description"] = "检查发现消防通道堆放杂物",
            ["sector"] = "fire",
            ["level"] = "general",
            ["location"] = new JsonObject { ["latitude"] = 29.5577, ["longitude"] = 106.5770, ["address"] = "渝中区解放碑" },
            ["fixedOnSpot"] = false,
        }),
    };
}
