using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Security;

/// <summary>
/// What each role gets from a route: anonymous, then the in-scope grid worker, unit officer, township
/// officer, district regulator and city admin, then every out-of-scope twin (the city admin has none).
/// </summary>
public sealed record Expect(int Anonymous, int Grid, int Unit, int Officer, int Regulator, int Admin, int OutOfScope)
{
    /// <summary>For routes without an object to be out of scope of (an import, the city-wide history): each twin answers as its role.</summary>
    public bool TwinsAsInScope { get; init; }

    public int For(Caller caller) => caller.Login is null ? Anonymous
        : !caller.InScope && !TwinsAsInScope ? OutOfScope
        : caller.Role switch
        {
            "gridWorker" => Grid,
            "unitOfficer" => Unit,
            "townshipOfficer" => Officer,
            "districtRegulator" => Regulator,
            "cityAdmin" => Admin,
            _ => throw new ArgumentOutOfRangeException(nameof(caller), caller.Role, "no such role"),
        };

    /// <summary>An API route: no token is 401, and an object outside the caller's scope is 404 (design §2: never 403).</summary>
    public static Expect Api(int grid, int unit, int officer, int regulator, int admin, int outOfScope = 404) =>
        new(401, grid, unit, officer, regulator, admin, outOfScope);

    public static Expect Everyone(int status) => Api(status, status, status, status, status, status);

    public static Expect Open(int status) => new(status, status, status, status, status, status, status);
}

/// <summary>One row of the matrix: a route of the route table, the variant of object it acts on, how to build the request, what each caller gets.</summary>
public sealed record MatrixEntry(Route Route, string Variant, Func<World, Caller, Task<Probe>> Build, Expect Expect)
{
    public override string ToString() => Variant.Length == 0 ? Route.ToString() : $"{Route} [{Variant}]";
}

/// <summary>
/// The expected-status table of the authorization matrix, one or more rows per route of
/// the route table. A route the app maps that has no row here fails the matrix, naming the route: add a row
/// with a representative valid request and what each role must get.
/// </summary>
public static class Probes
{
    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;

    public static IReadOnlyList<MatrixEntry> All { get; } =
    [
        Row("GET /health/live", (_, _) => Fixed(Get, "/health/live"), Expect.Open(200)),
        Row("GET /health/ready", (_, _) => Fixed(Get, "/health/ready"), Expect.Open(200)),
        Row("GET /openapi/{documentName}.json", (_, _) => Fixed(Get, "/openapi/v1.json"), Expect.Open(200)),
        Row("GET /scalar/{documentName?}", (_, _) => Fixed(Get, "/scalar/v1"), Expect.Open(200)),
        Row("GET /scalar/scalar.js", (_, _) => Fixed(Get, "/scalar/scalar.js"), Expect.Open(200)),
        Row("GET /scalar/scalar.aspnetcore.js", (_, _) => Fixed(Get, "/scalar/scalar.aspnetcore.js"), Expect.Open(200)),
        Row("GET /scalar/favicon.svg", (_, _) => Fixed(Get, "/scalar/favicon.svg"), Expect.Open(200)),

        Row("GET /api/v1/me", (_, _) => Fixed(Get, "/api/v1/me"), Expect.Everyone(200)),
        Row("GET /api/v1/me/tasks", (_, _) => Fixed(Get, "/api/v1/me/tasks?limit=5"), Expect.Everyone(200)),
        Row("GET /api/v1/me/tasks/{list}", (_, _) => Fixed(Get, "/api/v1/me/tasks/toFix?limit=5"), Expect.Everyone(200)),
        Row("GET /api/v1/org-units/{code}", (_, _) => Fixed(Get, $"/api/v1/org-units/{World.Grid}"), Expect.Api(200, 200, 200, 200, 200)),

        Row("POST /api/v1/units", (_, _) => Fixed(Post, "/api/v1/units", UnitBody()), Expect.Api(403, 403, 201, 201, 201)),
        Row("GET /api/v1/units/{id:guid}", (_, _) => Fixed(Get, $"/api/v1/units/{World.Unit}"), Expect.Api(200, 200, 200, 200, 200)),

        Row("POST /api/v1/attachments", (_, _) => Task.FromResult(new Probe(Post, "/api/v1/attachments", Upload: CaseDriver.Png)),
            Expect.Everyone(201)),
        Row("POST /api/v1/cases/{id:guid}/attachments", async (w, _) =>
            new Probe(Post, $"/api/v1/cases/{CaseDriver.Id(await w.Shared("reported", () => w.Case(Stage.Reported)))}/attachments", Upload: CaseDriver.Png),
            Expect.Api(201, 201, 201, 201, 201)),
        Row("GET /api/v1/attachments/{id:guid}", async (w, _) =>
            new Probe(Get, $"/api/v1/attachments/{await w.Shared("attachment", w.CaseAttachment)}"),
            Expect.Api(200, 200, 200, 200, 200)),

        Row("POST /api/v1/cases", (_, _) => Fixed(Post, "/api/v1/cases", World.ReportBody()), Expect.Api(201, 201, 201, 201, 201)),
        Row("GET /api/v1/cases", (_, _) => Fixed(Get, $"/api/v1/cases?orgUnit={World.Grid}&limit=5"), Expect.Api(200, 200, 200, 200, 200)),
        Row("GET /api/v1/cases.geojson", (_, _) => Fixed(Get, $"/api/v1/cases.geojson?orgUnit={World.Grid}&limit=5"), Expect.Api(200, 200, 200, 200, 200)),
        Row("GET /api/v1/cases/{id:guid}", async (w, _) =>
            new Probe(Get, $"/api/v1/cases/{CaseDriver.Id(await w.Shared("reported", () => w.Case(Stage.Reported)))}"),
            Expect.Api(200, 200, 200, 200, 200)),
        Row("GET /api/v1/cases/by-code/{code}", async (w, _) =>
            new Probe(Get, $"/api/v1/cases/by-code/{(await w.Shared("reported", () => w.Case(Stage.Reported)))["code"]!.GetValue<string>()}"),
            Expect.Api(200, 200, 200, 200, 200)),
        Row("GET /api/v1/cases/{id:guid}/history", async (w, _) =>
            new Probe(Get, $"/api/v1/cases/{CaseDriver.Id(await w.Shared("reported", () => w.Case(Stage.Reported)))}/history?limit=5"),
            Expect.Api(200, 200, 200, 200, 200)),
        Row("GET /api/v1/cases/{id:guid}/attachments", async (w, _) =>
            new Probe(Get, $"/api/v1/cases/{CaseDriver.Id(await w.Shared("reported", () => w.Case(Stage.Reported)))}/attachments"),
            Expect.Api(200, 200, 200, 200, 200)),
        Act("assign", Stage.Reported, new JsonObject { ["responsibleUnitId"] = World.Unit.ToString() }, Expect.Api(403, 403, 200, 200, 200)),
        Act("reject", Stage.Reported, new JsonObject { ["reason"] = "不构成隐患" }, Expect.Api(403, 403, 200, 200, 200)),
        Act("plan", Stage.MajorRectifying, World.PlanBody(), Expect.Api(200, 200, 403, 403, 403)),
        Act("plan/approve", Stage.MajorPlanned, null, Expect.Api(403, 403, 403, 200, 200)),
        Act("extension", Stage.Rectifying, new JsonObject { ["until"] = "2026-06-30", ["reason"] = "需要采购配件" }, Expect.Api(200, 200, 403, 403, 403)),
        Act("extension/decide", Stage.ExtensionPending, new JsonObject { ["approved"] = true }, Expect.Api(403, 403, 200, 200, 200)),
        Act("fix", Stage.Rectifying, null, Expect.Api(200, 200, 403, 403, 403), fix: true),

        // A case on unit one assigned to another unit of the grid is that unit's to act on, not unit one's.
        Row("POST /api/v1/cases/{id:guid}/fix", async (w, caller) =>
        {
            var hazard = await w.AssignedToAnotherUnit();
            var json = new JsonObject { ["note"] = "已整改", ["attachmentIds"] = new JsonArray(await Evidence(w, caller)) };
            return new Probe(Post, $"/api/v1/cases/{CaseDriver.Id(hazard)}/fix", json, $"\"{CaseDriver.Version(hazard)}\"");
        }, Expect.Api(200, 403, 403, 403, 403), "assigned to another unit of the grid"),
        Row("POST /api/v1/cases/{id:guid}/extension", async (w, _) =>
        {
            var hazard = await w.AssignedToAnotherUnit();
            var json = new JsonObject { ["until"] = "2026-06-30", ["reason"] = "需要采购配件" };
            return new Probe(Post, $"/api/v1/cases/{CaseDriver.Id(hazard)}/extension", json, $"\"{CaseDriver.Version(hazard)}\"");
        }, Expect.Api(200, 403, 403, 403, 403), "assigned to another unit of the grid"),
        Act("verify", Stage.FixSubmitted, new JsonObject { ["passed"] = true }, Expect.Api(200, 403, 200, 200, 200), variant: "general, reported by the grid worker"),
        Act("verify", Stage.MajorFixSubmitted, new JsonObject { ["passed"] = true }, Expect.Api(403, 403, 403, 200, 200), variant: "major"),
        Act("reopen", Stage.Closed, new JsonObject { ["reason"] = "假整改" }, Expect.Api(403, 403, 403, 200, 200)),

        Row("POST /api/v1/units/{id:guid}/plans", (_, _) => Fixed(Post, $"/api/v1/units/{World.Unit}/plans", World.InspectionPlanBody("team")),
            Expect.Api(403, 201, 201, 201, 201)),
        Row("POST /api/v1/org-units/{code}/plans", (_, _) => Fixed(Post, $"/api/v1/org-units/{World.Grid}/plans", World.InspectionPlanBody("gridPatrol")),
            Expect.Api(201, 404, 201, 201, 201)),
        Row("GET /api/v1/inspections/plans/{id:guid}", async (w, _) =>
            new Probe(Get, $"/api/v1/inspections/plans/{await w.Shared("unit plan", () => w.InspectionPlan(gridPlan: false))}"),
            Expect.Api(200, 200, 200, 200, 200)),
        Row("POST /api/v1/inspections", async (w, _) => new Probe(Post, "/api/v1/inspections", World.InspectionBody(await w.InspectionPlan(gridPlan: false))),
            Expect.Api(403, 201, 403, 403, 403), "unit plan"),
        Row("POST /api/v1/inspections", async (w, _) => new Probe(Post, "/api/v1/inspections", World.InspectionBody(await w.InspectionPlan(gridPlan: true))),
            Expect.Api(201, 404, 403, 403, 403), "grid plan"),
        Row("GET /api/v1/inspections/due", (_, _) => Fixed(Get, $"/api/v1/inspections/due?gridCode={World.Grid}"), Expect.Api(200, 200, 200, 200, 200)),

        Row("GET /api/v1/escalations", (_, _) => Fixed(Get, $"/api/v1/escalations?orgUnit={World.Grid}"), Expect.Api(200, 200, 200, 200, 200)),
        // Only the notice's recipients (a 预警: the grid worker and the unit officer) acknowledge it; to anyone else it is not theirs.
        Row("POST /api/v1/escalations/{id:guid}/acknowledge", async (w, _) =>
            new Probe(Post, $"/api/v1/escalations/{(await w.MailLinks()).Notice}/acknowledge", new JsonObject()), Expect.Api(200, 200, 404, 404, 404)),

        // The pages behind a mail's links: the link is the credential, for whoever holds it, with or without a token. The
        // acknowledgement answers 303 to the page, which these clients follow.
        Row("GET /notices/{token}", async (w, _) => new Probe(Get, (await w.MailLinks()).Page), Expect.Open(200)),
        Row("GET /notices/{token}/files/{id:guid}", async (w, _) => new Probe(Get, (await w.MailLinks()).Photo), Expect.Open(200)),
        Row("POST /notices/{token}/acknowledge", async (w, _) =>
        {
            var links = await w.MailLinks();
            return new Probe(Post, $"{links.Page}/acknowledge") { Form = new Dictionary<string, string> { ["formToken"] = links.FormToken } };
        }, Expect.Open(200)),
        Row("GET /digests/{token}", async (w, _) => new Probe(Get, (await w.MailLinks()).Digest), Expect.Open(200)),
        Row("GET /api/v1/cases/{id:guid}/history/verify", async (w, _) =>
            new Probe(Get, $"/api/v1/cases/{CaseDriver.Id(await w.Shared("reported", () => w.Case(Stage.Reported)))}/history/verify"),
            Expect.Api(200, 200, 200, 200, 200)),
        Row("GET /api/v1/reports/clearance", (_, _) => Fixed(Get, $"/api/v1/reports/clearance?orgUnit={World.Grid}"), Expect.Api(200, 403, 200, 200, 200)),

        // Supervision (design §8). Spot checks are the district's: below it, in scope is 403 and out of scope 404.
        Row("POST /api/v1/spot-checks", async (w, _) =>
        {
            await w.Shared("closed", () => w.Case(Stage.Closed));
            return new Probe(Post, "/api/v1/spot-checks", w.DrawBody());
        }, Expect.Api(403, 403, 403, 201, 201)),
        Row("GET /api/v1/spot-checks/{id:guid}", async (w, _) =>
            new Probe(Get, $"/api/v1/spot-checks/{await w.Shared("draw", async () => { await w.Shared("closed", () => w.Case(Stage.Closed)); return await w.SpotCheckDraw(); })}"),
            Expect.Api(403, 403, 403, 200, 200)),
        Row("POST /api/v1/cases/{id:guid}/spot-check", async (w, caller) =>
        {
            var drawn = await w.DrawnClosedCase();
            var json = new JsonObject { ["genuine"] = true, ["note"] = "现场复核属实", ["attachmentIds"] = new JsonArray(await Evidence(w, caller)) };
            return new Probe(Post, $"/api/v1/cases/{CaseDriver.Id(drawn)}/spot-check", json, $"\"{CaseDriver.Version(drawn)}\"");
        }, Expect.Api(403, 403, 403, 200, 200)),

        // Public tips take no token: every caller, signed in or not, in scope or not, gets the same answer.
        Row("POST /api/v1/public/tips", (_, _) => Fixed(Post, "/api/v1/public/tips", World.TipBody()), Expect.Open(201)),
        Row("GET /api/v1/public/tips/{trackingCode}", async (w, _) =>
            new Probe(Get, $"/api/v1/public/tips/{await w.Shared("tip", w.Tip)}"), Expect.Open(200)),
        Row("GET /api/v1/public/places", (_, _) => Fixed(Get, "/api/v1/public/places?district=500103"), Expect.Open(200)),
        Row("POST /api/v1/cases/{id:guid}/reward", async (w, _) =>
        {
            var tip = await w.MajorTipCase();
            var json = new JsonObject { ["fineAmount"] = 200000, ["amount"] = 30000, ["basis"] = "《安全生产领域举报奖励办法》第十四条" };
            return new Probe(Post, $"/api/v1/cases/{CaseDriver.Id(tip)}/reward", json, $"\"{CaseDriver.Version(tip)}\"");
        }, Expect.Api(403, 403, 403, 200, 200), "confirmed major public tip"),
        Row("POST /api/v1/cases/{id:guid}/list", async (w, _) =>
        {
            var hazard = await w.Case(Stage.Reported);
            return new Probe(Post, $"/api/v1/cases/{CaseDriver.Id(hazard)}/list", w.ListBody(), $"\"{CaseDriver.Version(hazard)}\"");
        }, Expect.Api(403, 403, 403, 200, 200)),
        Row("POST /api/v1/cases/{id:guid}/delist", async (w, _) =>
        {
            var listed = await w.ListedCase();
            return new Probe(Post, $"/api/v1/cases/{CaseDriver.Id(listed)}/delist", new JsonObject { ["reason"] = "已落实整改措施" },
                $"\"{CaseDriver.Version(listed)}\"");
        }, Expect.Api(403, 403, 403, 200, 200), "district listing"),

        // The responsibility board: township officers and above, or the unit's own officer, change it.
        Row("GET /api/v1/units/{id:guid}/board", (_, _) => Fixed(Get, $"/api/v1/units/{World.Unit}/board"), Expect.Api(200, 200, 200, 200, 200)),
        Row("PUT /api/v1/units/{id:guid}/board", async (w, _) =>
            new Probe(HttpMethod.Put, $"/api/v1/units/{World.Unit}/board", World.BoardBody(), $"\"{await w.BoardVersion()}\""),
            Expect.Api(403, 200, 200, 200, 200)),
        Row("POST /api/v1/units/{id:guid}/risks", (_, _) => Fixed(Post, $"/api/v1/units/{World.Unit}/risks", World.RiskBody()),
            Expect.Api(403, 201, 201, 201, 201)),
        Row("GET /api/v1/org-units/{code}/board", (_, _) => Fixed(Get, $"/api/v1/org-units/{World.Grid}/board?limit=5"), Expect.Api(200, 200, 200, 200, 200)),

        // Administration: township officers and above, of their subtree; a person of the world's grid.
        Row("GET /api/v1/users", (_, _) => Fixed(Get, $"/api/v1/users?orgUnit={World.Grid}&limit=5"), Expect.Api(403, 403, 200, 200, 200)),
        Row("POST /api/v1/users", (w, _) => Fixed(Post, "/api/v1/users", World.PersonBody(w.NewLogin())), Expect.Api(403, 403, 201, 201, 201)),
        Row("GET /api/v1/users/{id:guid}", async (w, _) => new Probe(Get, $"/api/v1/users/{(await w.Shared("person", w.Person)).Id}"),
            Expect.Api(404, 404, 200, 200, 200)),
        Row("PUT /api/v1/users/{id:guid}", async (w, _) =>
        {
            var (id, version) = await w.Person();
            var body = World.PersonBody("unused");
            body.Remove("login");
            return new Probe(HttpMethod.Put, $"/api/v1/users/{id}", body, $"\"{version}\"");
        }, Expect.Api(404, 404, 200, 200, 200)),
        Row("POST /api/v1/users/{id:guid}/deactivate", async (w, _) =>
        {
            var (id, version) = await w.Person();
            return new Probe(Post, $"/api/v1/users/{id}/deactivate", new JsonObject { ["reason"] = "调离" }, $"\"{version}\"");
        }, Expect.Api(404, 404, 200, 200, 200)),
        Row("POST /api/v1/org-units", (w, _) => Fixed(Post, "/api/v1/org-units", w.NewGridBody()), Expect.Api(404, 404, 201, 201, 201)),
        Row("PUT /api/v1/org-units/{code}", async (w, _) =>
            new Probe(HttpMethod.Put, $"/api/v1/org-units/{await w.EmptyGrid()}", new JsonObject { ["name"] = "矩阵改名网格" }, "\"1\""),
            Expect.Api(404, 404, 200, 200, 200)),
        Row("POST /api/v1/org-units/{code}/retire", async (w, _) =>
            new Probe(Post, $"/api/v1/org-units/{await w.EmptyGrid()}/retire", new JsonObject { ["reason"] = "网格调整" }, "\"1\""),
            Expect.Api(404, 404, 200, 200, 200)),
        Row("POST /api/v1/org-units/{code}/merge", async (w, _) =>
        {
            var into = await w.EmptyGrid();
            return new Probe(Post, $"/api/v1/org-units/{await w.EmptyGrid()}/merge", new JsonObject { ["into"] = into }, "\"1\"");
        }, Expect.Api(404, 404, 200, 200, 200)),
        Row("PUT /api/v1/org-units/{code}/boundary", async (w, _) =>
            new Probe(HttpMethod.Put, $"/api/v1/org-units/{await w.EmptyGrid()}/boundary", new JsonObject
            {
                ["type"] = "Polygon",
                ["coordinates"] = new JsonArray(new JsonArray(
                    new JsonArray(106.575, 29.556), new JsonArray(106.579, 29.556), new JsonArray(106.579, 29.559), new JsonArray(106.575, 29.556))),
            }, "\"1\""),
            Expect.Api(404, 404, 200, 200, 200)),
        Row("GET /api/v1/org-units/{code}/boundary", (_, _) => Fixed(Get, $"/api/v1/org-units/{World.Grid}/boundary"), Expect.Api(404, 404, 404, 404, 404)),
        Row("GET /api/v1/locate", (_, _) => Fixed(Get, "/api/v1/locate?lat=29.5577&lng=106.5770"), Expect.Api(422, 422, 422, 422, 422, outOfScope: 422)),
        Row("GET /api/v1/risk-map", (_, _) => Fixed(Get, $"/api/v1/risk-map?orgUnit={World.Grid}"), Expect.Api(200, 200, 200, 200, 200)),
        Row("GET /api/v1/units", (_, _) => Fixed(Get, $"/api/v1/units?orgUnit={World.Grid}&limit=5"), Expect.Api(200, 200, 200, 200, 200)),
        Row("PUT /api/v1/units/{id:guid}", async (w, _) =>
            new Probe(HttpMethod.Put, $"/api/v1/units/{await w.FreshUnit()}", World.UnitUpdateBody(), "\"1\""),
            Expect.Api(403, 404, 200, 200, 200)),
        Row("POST /api/v1/units/{id:guid}/close", async (w, _) =>
            new Probe(Post, $"/api/v1/units/{await w.FreshUnit()}/close", new JsonObject { ["reason"] = "停业" }, "\"1\""),
            Expect.Api(403, 404, 200, 200, 200)),
        Row("GET /api/v1/units/{id:guid}/plans", (_, _) => Fixed(Get, $"/api/v1/units/{World.Unit}/plans"), Expect.Api(200, 200, 200, 200, 200)),
        Row("GET /api/v1/admin/history", (_, _) => Fixed(Get, "/api/v1/admin/history?entity=orgUnit&limit=5"),
            Expect.Api(403, 403, 403, 403, 200) with { TwinsAsInScope = true }),
        Row("POST /api/v1/imports", async (w, _) =>
        {
            await w.ImportsIdle();
            return new Probe(Post, "/api/v1/imports", Upload: World.ImportFile()) { Form = new Dictionary<string, string> { ["kind"] = "users" } };
        }, Expect.Api(403, 403, 202, 202, 202) with { TwinsAsInScope = true }, "a dry run of one person"),
        Row("GET /api/v1/imports/{id:guid}", async (w, _) =>
        {
            var id = await w.Shared("import", w.OfficersImport);
            await w.ImportsIdle();
            return new Probe(Get, $"/api/v1/imports/{id}");
        }, Expect.Api(404, 404, 200, 200, 200)),
        Row("GET /api/v1/imports/templates/{kind}", (_, _) => Fixed(Get, "/api/v1/imports/templates/users?format=csv"),
            Expect.Api(200, 200, 200, 200, 200, outOfScope: 200)),

        // The working-day calendar: anyone signed in reads it, only the city's admins load a notice.
        Row("GET /api/v1/calendar/{year:int}", (_, _) => Fixed(Get, "/api/v1/calendar/2027"), Expect.Everyone(200)),
        Row("PUT /api/v1/calendar/{year:int}", async (w, _) =>
        {
            var year = w.NextCalendarYear();
            return new Probe(HttpMethod.Put, $"/api/v1/calendar/{year}", World.CalendarBody(year), $"\"{await w.CalendarVersion(year)}\"");
        }, Expect.Api(403, 403, 403, 403, 200, outOfScope: 403)),
    ];

    /// <summary>A unit in the world's grid with responsible persons whose contacts no one outside may ever read.</summary>
    public static JsonObject UnitBody(string phone = "13800000001", string email = "matrix.enterprise@unit-one.example") => new()
    {
        ["name"] = "矩阵示范餐馆",
        ["gridCode"] = World.Grid,
        ["sectors"] = new JsonArray("fire", "gas"),
        ["riskColour"] = "orange",
        ["address"] = "渝中区解放碑1号",
        ["responsiblePersons"] = new JsonObject
        {
            ["administrative"] = new JsonObject { ["name"] = "王街道", ["phone"] = "023-63000001", ["email"] = "admin.person@unit-one.example" },
            ["enterprise"] = new JsonObject { ["name"] = "李老板", ["phone"] = phone, ["email"] = email },
        },
    };

    private static MatrixEntry Row(string route, Func<World, Caller, Task<Probe>> build, Expect expect, string variant = "")
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        return new MatrixEntry(new Route(route[..space], route[(space + 1)..]), variant, build, expect);
    }

    /// <summary>A lifecycle action on a fresh case brought to the stage it needs, with the version it has in If-Match.</summary>
    private static MatrixEntry Act(string action, Stage stage, JsonObject? body, Expect expect, string variant = "", bool fix = false) =>
        Row($"POST /api/v1/cases/{{id:guid}}/{action}", async (w, caller) =>
        {
            var hazard = await w.Case(stage);
            var json = body?.DeepClone() ?? new JsonObject();
            if (fix)
            {
                // Evidence the caller uploaded, so that only the role and the scope decide.
                json = new JsonObject { ["note"] = "已整改", ["attachmentIds"] = new JsonArray(await Evidence(w, caller)) };
            }

            return new Probe(Post, $"/api/v1/cases/{CaseDriver.Id(hazard)}/{action}", json, $"\"{CaseDriver.Version(hazard)}\"");
        }, expect, variant);

    private static async Task<string> Evidence(World world, Caller caller) =>
        caller.Login is null ? Guid.NewGuid().ToString() : (await world.As(caller.Login).Upload()).ToString();

    private static Task<Probe> Fixed(HttpMethod method, string url, JsonNode? json = null) => Task.FromResult(new Probe(method, url, json));
}
