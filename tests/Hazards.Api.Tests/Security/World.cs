using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
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
    /// <summary>An import form: its fields beside the file in <see cref="Upload"/>, sent as CSV.</summary>
    public IReadOnlyDictionary<string, string>? Form { get; init; }

    public HttpRequestMessage ToMessage()
    {
        var request = new HttpRequestMessage(Method, Url);
        if (Json is not null)
        {
            request.Content = JsonContent.Create(Json, options: Http.Options);
        }

        if (Upload is not null && Form is not null)
        {
            var csv = new ByteArrayContent(Upload);
            csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var form = new MultipartFormDataContent { { csv, "file", "import.csv" } };
            foreach (var (name, value) in Form)
            {
                form.Add(new StringContent(value), name);
            }

            request.Content = form;
        }
        else if (Form is not null)
        {
            request.Content = new FormUrlEncodedContent(Form);
        }
        else if (Upload is not null)
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

/// <summary>A 预警 notice of the world and the grid worker's links to it: its page, its photo, the digest's page, the page's form token.</summary>
public sealed record MailLinks(Guid Notice, string Page, string Photo, string Digest, string FormToken);

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

    /// <summary>
    /// Settings of the security tests' app. The public tip routes are limited per client address (5 tips and 60
    /// look-ups a minute) and every in-memory test client is the same address, so the matrix, the hostile input and
    /// the property checks could not probe them per caller; the limits are raised here the way HazardsApp raises the
    /// write limits, and ResourceLimitTests and PublicTipTests keep testing the limits themselves.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["PublicTips:PermitsPerMinute"] = "1000000",
        ["PublicTips:LookupsPerMinute"] = "1000000",
    };

    private int tips;
    private int made;

    private readonly ConcurrentDictionary<string, HttpClient> clients = new();
    private readonly Dictionary<string, object> shared = [];

    public HazardsApp App => app;

    public static Guid Unit => CaseDriver.UnitOne;

    /// <summary>The app's local day (Asia/Shanghai): the day cases of the world close on.</summary>
    public DateOnly Today => Hazards.Domain.Calendar.ChinaTime.Today(app.Clock.GetUtcNow());

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

    /// <summary>
    /// The links of a mail to the grid worker (made once): a case with a photo, assigned with a deadline two days off, so the
    /// sweep warns (预警) the grid worker and the unit officer; the links signed the way the mail signs them.
    /// </summary>
    public async Task<MailLinks> MailLinks() => await Shared("mail links", async () =>
    {
        var photo = await As("grid").Upload();
        var body = ReportBody("矩阵-督办页面");
        body["attachmentIds"] = new JsonArray(photo.ToString());
        var reported = await As("grid").Report(body);
        await As("officer").Do(reported, "assign", new { responsibleUnitId = Unit, deadline = app.Clock.GetUtcNow().AddDays(2) });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Hazards.Api.Features.Escalations.EscalateCasesCommand());
        }

        var notice = Guid.Parse(await app.Text("SELECT id FROM escalation_notices WHERE case_id = @Id", new { Id = CaseDriver.Id(reported).ToString() }));
        var user = Guid.Parse(await app.Text("SELECT id FROM users WHERE login = 'grid'"));
        var mail = Guid.Parse(await app.Text(
            "SELECT mail_id FROM escalation_digests WHERE user_id = @User AND sweep_id = (SELECT sweep_id FROM escalation_notices WHERE id = @Notice)",
            new { User = user.ToString(), Notice = notice.ToString() }));
        var links = app.Services.GetRequiredService<Hazards.Api.Features.Escalations.NoticeLinks>();
        var expires = app.Clock.GetUtcNow() + links.Lifetime;
        var page = links.Path(new(Hazards.Api.Features.Escalations.LinkKind.Notice, notice, user, expires));
        return new MailLinks(notice, page, $"{page}/files/{photo}", links.Path(new(Hazards.Api.Features.Escalations.LinkKind.Digest, mail, user, expires)),
            links.FormToken(page[(page.LastIndexOf('/') + 1)..]));
    });

    /// <summary>A case on unit one that the officer assigned to a second unit of the grid (made once, through the API).</summary>
    public async Task<JsonNode> AssignedToAnotherUnit()
    {
        var other = await Shared("second unit", async () =>
        {
            var body = Probes.UnitBody("13800000003", "second.unit@matrix.example");
            body["name"] = "矩阵-同网格另一单位";
            var response = await As("officer").PostJson("/api/v1/units", body);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            return (await response.Json())["id"]!.GetValue<Guid>();
        });
        return await As("officer").Do(await Case(Stage.Reported), "assign", new { responsibleUnitId = other });
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

    private int calendarBuilds;

    /// <summary>Years far enough ahead that loading their notice moves no deadline of the world; each probe takes the next, so each starts unloaded.</summary>
    public int NextCalendarYear() => 2030 + ((Interlocked.Increment(ref calendarBuilds) - 1) % 71);

    public static JsonObject CalendarBody(int year) => new()
    {
        ["days"] = new JsonArray(
            new JsonObject { ["date"] = $"{year}-01-01", ["kind"] = "holiday", ["name"] = "元旦" },
            new JsonObject { ["date"] = $"{year}-10-01", ["kind"] = "holiday", ["name"] = "国庆节" }),
    };

    /// <summary>A calendar year's version as anyone reads it, for If-Match.</summary>
    public async Task<int> CalendarVersion(int year)
    {
        var response = await As("grid").GetAsync($"/api/v1/calendar/{year}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Json())["version"]!.GetValue<int>();
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

    /// <summary>A spot-check draw over the cases of the grid closed today, by count or rate.</summary>
    public JsonObject DrawBody(int? count = 1, decimal? rate = null) => new()
    {
        ["orgUnit"] = Grid,
        ["from"] = Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["to"] = Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["count"] = count,
        ["rate"] = rate,
    };

    /// <summary>A draw by the regulator of the world (the grid has a case closed today), answering its id.</summary>
    public async Task<Guid> SpotCheckDraw(int? count = 1, decimal? rate = null)
    {
        var response = await As("regulator").PostJson("/api/v1/spot-checks", DrawBody(count, rate));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Json())["id"]!.GetValue<Guid>();
    }

    /// <summary>A fresh closed case with a pending spot-check task: a draw of every case of the grid closed today.</summary>
    public async Task<JsonNode> DrawnClosedCase()
    {
        var closed = await Case(Stage.Closed);
        await SpotCheckDraw(count: null, rate: 1m);
        return closed;
    }

    public static JsonObject TipBody(string description = "矩阵-小区地下车库堆放大量液化气罐") => new()
    {
        ["description"] = description,
        ["gridCode"] = Grid,
        ["sector"] = "gas",
        ["location"] = new JsonObject { ["latitude"] = 29.5577, ["longitude"] = 106.5770, ["address"] = "渝中区某小区地下车库" },
        ["contact"] = "13800000000",
        ["photo"] = Convert.ToBase64String(CaseDriver.Png),
    };

    /// <summary>A tip filed anonymously in the grid, answering its tracking code.</summary>
    public async Task<string> Tip()
    {
        var response = await As(null).PostJson("/api/v1/public/tips", TipBody($"矩阵-举报{Interlocked.Increment(ref tips)}"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Json())["trackingCode"]!.GetValue<string>();
    }

    /// <summary>
    /// A public tip the regulator confirmed as a major hazard of unit one (rectifying), ready for a reward decision.
    /// A tipster learns only a tracking code, so the case behind it is looked up in the tip ledger.
    /// </summary>
    public async Task<JsonNode> MajorTipCase()
    {
        var code = await Tip();
        var id = await app.Text("SELECT case_id FROM public_tips WHERE tracking_code = @Code", new { Code = code });
        var regulator = As("regulator");
        var tip = await (await regulator.GetAsync($"/api/v1/cases/{id}")).Json();
        return await regulator.Do(tip, "assign",
            new { level = "major", standardClause = "《城镇燃气经营安全重大隐患判定标准》第四条", responsibleUnitId = Unit });
    }

    /// <summary>A fresh reported case of unit one listed (挂牌督办) at district level by the regulator.</summary>
    public async Task<JsonNode> ListedCase() =>
        await As("regulator").Do(await Case(Stage.Reported), "list", ListBody());

    public JsonObject ListBody() => new()
    {
        ["level"] = "district",
        ["reason"] = "群众反映强烈，挂牌督办",
        ["deadline"] = Today.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The four responsible persons of unit one's board; the same body each time, so a repeat changes nothing.</summary>
    public static JsonObject BoardBody() => new()
    {
        ["administrative"] = new JsonObject { ["name"] = "王街道", ["phone"] = "023-63000001" },
        ["industryRegulator"] = new JsonObject { ["name"] = "赵行业", ["phone"] = "023-63000002" },
        ["professionalRegulator"] = new JsonObject { ["name"] = "钱专业", ["email"] = "pro.regulator@matrix.example" },
        ["enterprise"] = new JsonObject { ["name"] = "李老板", ["phone"] = "13800000002" },
    };

    /// <summary>Unit one's board version as the officer reads it, for If-Match.</summary>
    public async Task<int> BoardVersion()
    {
        var response = await As("officer").GetAsync($"/api/v1/units/{Unit}/board");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Json())["version"]!.GetValue<int>();
    }

    /// <summary>A new person of the world's grid, made by the admin: for probes that change or deactivate one.</summary>
    public async Task<(Guid Id, int Version)> Person()
    {
        var login = $"matrix-person-{Interlocked.Increment(ref made)}";
        var response = await As("admin").PostJson("/api/v1/users", PersonBody(login));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var person = await response.Json();
        return (person["id"]!.GetValue<Guid>(), person["version"]!.GetValue<int>());
    }

    public static JsonObject PersonBody(string login) => new()
    {
        ["login"] = login,
        ["name"] = "矩阵网格员",
        ["phone"] = "13800000000",
        ["email"] = $"{login}@matrix.example",
        ["role"] = "gridWorker",
        ["orgUnit"] = Grid,
    };

    public string NewLogin() => $"matrix-new-{Interlocked.Increment(ref made)}";

    /// <summary>A fresh empty grid of the world's village (500103001001), made by the admin.</summary>
    public async Task<string> EmptyGrid()
    {
        var code = $"500103001001{100 + Interlocked.Increment(ref made)}";
        var response = await As("admin").PostJson("/api/v1/org-units", new JsonObject { ["code"] = code, ["name"] = "矩阵网格", ["parentCode"] = "500103001001" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return code;
    }

    public JsonObject NewGridBody() => new()
    {
        ["code"] = $"500103001001{100 + Interlocked.Increment(ref made)}",
        ["name"] = "矩阵新网格",
        ["parentCode"] = "500103001001",
    };

    /// <summary>A fresh unit of the world's grid, made by the officer.</summary>
    public async Task<Guid> FreshUnit()
    {
        var response = await As("officer").PostJson("/api/v1/units", new JsonObject
        {
            ["name"] = "矩阵新单位", ["gridCode"] = Grid, ["sectors"] = new JsonArray("fire"), ["riskColour"] = "blue",
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Json())["id"]!.GetValue<Guid>();
    }

    public static JsonObject UnitUpdateBody() => new()
    {
        ["name"] = "矩阵改名单位", ["gridCode"] = Grid, ["sectors"] = new JsonArray("fire", "gas"), ["riskColour"] = "orange", ["address"] = "渝中区",
    };

    /// <summary>A users import file (one person of the world's grid) as a dry run.</summary>
    public static byte[] ImportFile() => System.Text.Encoding.UTF8.GetBytes(
        "登录名,姓名,手机,邮箱,角色,所属组织编码,负责单位编码,外部身份标识\n" + $"matrix-import,导入人员,13800000000,mi@matrix.example,gridWorker,{Grid},,\n");

    /// <summary>Waits until no import is queued or running, so a job's writes fall between probes, not inside one.</summary>
    public async Task ImportsIdle()
    {
        for (var i = 0; i < 300 && await app.Count("SELECT COUNT(*) FROM imports WHERE state IN ('queued', 'running')") > 0; i++)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>A finished dry-run import by the officer (scope: the world's township).</summary>
    public async Task<Guid> OfficersImport()
    {
        await ImportsIdle();
        using var request = new Probe(HttpMethod.Post, "/api/v1/imports", Upload: ImportFile()) { Form = new Dictionary<string, string> { ["kind"] = "users" } }.ToMessage();
        var response = await As("officer").SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var id = (await response.Json())["id"]!.GetValue<Guid>();
        await ImportsIdle();
        return id;
    }

    public static JsonObject RiskBody() => new()
    {
        ["name"] = "矩阵-液化气储罐区",
        ["riskColour"] = "red",
        ["measures"] = "双人巡检，可燃气体报警联动切断",
        ["responsiblePersons"] = new JsonObject
        {
            ["administrative"] = new JsonObject { ["name"] = "王街道", ["phone"] = "023-63000001" },
            ["enterprise"] = new JsonObject { ["name"] = "李老板", ["phone"] = "13800000002" },
        },
    };
}
