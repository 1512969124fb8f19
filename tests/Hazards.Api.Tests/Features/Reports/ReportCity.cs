using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Inspections;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Features.Inspections;
using Hazards.Api.Tests.Support;
using Hazards.Domain.Inspections;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.Reports;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>
/// A small city built through the API, with every state the report counts. Times are Asia/Shanghai. The
/// report's period is Mon 2026-03-09 .. Fri 2026-03-13 (ISO week 2026-W11, "today" = Fri 10:00); week W10
/// before it produces the carried-over cases. Township T1 = 500103001 (grid, unit, officer), T2 = 500103002
/// (grid2, unit2, officer2), T3 = 500103003 (nothing), and 渝北区 500112 (regulator2).
///
/// | case | where | what happens (local days) | at the period's end |
/// |---|---|---|---|
/// | A1 | T1 | patrol 03-02, assigned (due 03-11) | rectifying, overdue, carried over, 提示函 |
/// | A2 | T1 | self-check 03-02, fixed 03-04, closed 03-05, reopened as fake 03-10 (due 03-19) | rectifying, not carried over, aggravated |
/// | A3 | T1 | major by regulator 03-02, plan approved (due 03-10) | rectifying, overdue, carried over, 通报, listed (city) |
/// | A4 | T2 | patrol 03-02, fixed 03-06, rework 03-09, fixed 03-10, closed 03-11 | closed on time, carried over |
/// | A5 | T1 | patrol 03-03, rejected 03-03 | nowhere |
/// | A6 | T1 | patrol 03-02 (due 03-11), fixed late 03-12, closed 03-12 | closed late, carried over |
/// | B1 | T1 | self-check 03-09, extension approved (due 03-25) | rectifying, new, extended |
/// | B2 | T1 | self-check fixed on the spot 03-09, closed 03-10 | closed on time, new, exempt |
/// | B3 | T1 | patrol without a unit 03-10, fixed by the grid 03-11, closed 03-12 | closed on time, new |
/// | B4 | T2 | patrol 03-10, never triaged (due 03-11) | reported, overdue, new, 提示函 |
/// | B5 | T2 | major by regulator 03-11 (due 04-30), plan submitted 03-12 | rectifying, new, aggravated |
/// | B6 | 500112 | major by regulator2 03-12, not triaged (due 03-13) | reported, new |
/// | B7 | 500112 | by regulator2 03-12, rejected 03-12 | rejected in the period |
///
/// Inspections: unit fills its daily slot on 03-09 and 03-10; the sweep at 03-13 10:00 finds every other
/// daily slot of 03-02..03-12 and every W10 weekly slot missed; the escalation sweep then runs once.
/// </summary>
internal sealed class ReportCity
{
    public static readonly DateTimeOffset Today = Local("2026-03-13 10:00");

    public Dictionary<string, JsonNode> Case { get; } = [];

    public static DateTimeOffset Local(string localTime) =>
        new DateTimeOffset(DateTime.ParseExact(localTime, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), TimeSpan.FromHours(8)).ToUniversalTime();

    public static async Task<HazardsApp> Build(IDictionary<string, string?>? settings = null)
    {
        var app = await new HazardsApp(settings, start: Local("2026-03-02 09:00")).WithDemo();
        await new ReportCity().Run(app);
        return app;
    }

    private async Task Run(HazardsApp app)
    {
        // A client per call: tokens are signed at the fake clock's time and age with it.
        HttpClient C(string login) => app.ClientFor(login);

        Case["A1"] = await C("officer").Do(await C("grid").Report(Cases.Patrol("A1 消防通道堵塞", extra: new { unitId = Cases.UnitOne })), "assign", new { });
        Case["A2"] = await C("officer").Do(await C("unit").Report(Cases.SelfCheck(Cases.UnitOne, "A2 配电箱未接地")), "assign", new { });
        Case["A3"] = await C("regulator").Do(await C("regulator").Report(Major("A3 燃气管道腐蚀", "gas", Cases.UnitOne)), "assign", new { });
        Case["A4"] = await C("officer2").Do(await C("grid2").Report(Cases.Patrol("A4 电动车违规充电", Cases.GridTwo, new { unitId = Cases.UnitTwo })), "assign", new { });
        Case["A6"] = await C("officer").Do(await C("grid").Report(Cases.Patrol("A6 疏散指示损坏", extra: new { unitId = Cases.UnitOne })), "assign", new { });

        await At(app, "2026-03-03 09:00");
        Case["A3"] = await C("unit").Do(Case["A3"], "plan", Plan("2026-03-10"));
        Case["A3"] = await C("regulator").Do(Case["A3"], "plan/approve");
        Case["A5"] = await C("officer").Do(await C("grid").Report(Cases.Patrol("A5 重复上报")), "reject", new { reason = "重复上报" });

        await At(app, "2026-03-04 09:00");
        Case["A2"] = await Fix(C("unit"), Case["A2"]);
        await At(app, "2026-03-05 09:00");
        Case["A2"] = await C("officer").Do(Case["A2"], "verify", new { passed = true });
        await At(app, "2026-03-06 09:00");
        Case["A4"] = await Fix(C("unit2"), Case["A4"]);

        await At(app, "2026-03-09 09:00");
        Case["A4"] = await C("officer2").Do(Case["A4"], "verify", new { passed = false, note = "整改不到位，返工" });
        Case["B1"] = await C("officer").Do(await C("unit").Report(Cases.SelfCheck(Cases.UnitOne, "B1 灭火器过期", new { sector = "fire" })), "assign", new { });
        Case["B2"] = await C("unit").Report(Cases.SelfCheck(Cases.UnitOne, "B2 临时用电", new { sector = "smallWorks", fixedOnSpot = true, attachmentIds = new[] { await C("unit").Upload() } }));
        await C("unit").Submit(InspectionDriver.Record(InspectionDriver.DailyOfUnitOne, InspectionDriver.Codes(Cadence.Daily)));

        await At(app, "2026-03-10 09:00");
        Case["A4"] = await Fix(C("unit2"), Case["A4"]);
        Case["A2"] = await C("regulator").Do(Case["A2"], "reopen", new { reason = "抽查发现假整改" });
        Case["B1"] = await C("unit").Do(Case["B1"], "extension", new { until = "2026-03-25", reason = "设备到货延迟" });
        Case["B1"] = await C("officer").Do(Case["B1"], "extension/decide", new { approved = true, reason = "同意延期" });
        Case["B2"] = await C("officer").Do(Case["B2"], "verify", new { passed = true });
        Case["B3"] = await C("officer").Do(await C("grid").Report(Cases.Patrol("B3 脚手架松动", extra: new { sector = "construction" })), "assign", new { });
        Case["B4"] = await C("grid2").Report(Cases.Patrol("B4 燃气软管老化", Cases.GridTwo, new { unitId = Cases.UnitTwo, sector = "gas" }));
        await C("unit").Submit(InspectionDriver.Record(InspectionDriver.DailyOfUnitOne, InspectionDriver.Codes(Cadence.Daily)));

        await At(app, "2026-03-11 09:00");
        Case["A4"] = await C("officer2").Do(Case["A4"], "verify", new { passed = true });
        Case["B3"] = await Fix(C("grid"), Case["B3"]);
        Case["B5"] = await C("regulator").Do(await C("regulator").Report(Major("B5 危化品仓库超量储存", "hazardousChemicals", Cases.UnitTwo)), "assign",
            new { deadline = "2026-04-30T15:59:59Z" });

        await At(app, "2026-03-12 09:00");
        Case["A6"] = await Fix(C("unit"), Case["A6"]);
        Case["B3"] = await C("officer").Do(Case["B3"], "verify", new { passed = true });
        Case["B5"] = await C("unit2").Do(Case["B5"], "plan", Plan("2026-04-30"));
        Case["B6"] = await C("regulator2").Report(new
        {
            title = "B6 矿山边坡失稳", description = "重大隐患", sector = "mining", origin = "regulatorInspection", gridCode = Yubei,
            level = "major", standardClause = "矿安〔2022〕4号",
        });
        Case["B7"] = await C("regulator2").Do(await C("regulator2").Report(new
        {
            title = "B7 误报", description = "现场核实不存在", sector = "fire", origin = "regulatorInspection", gridCode = Yubei,
        }), "reject", new { reason = "现场核实不存在" });
        await At(app, "2026-03-12 10:00");
        Case["A6"] = await C("officer").Do(Case["A6"], "verify", new { passed = true });

        app.Clock.SetUtcNow(Today);
        await Send(app, new SweepMissedChecksCommand());
        await Send(app, new EscalateCasesCommand());
    }

    public const string Yubei = "500112001001001";

    public static async Task<object?> Send(HazardsApp app, IMessage message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(message);
    }

    public static async Task<JsonNode> Get(HazardsApp app, string login, string query)
    {
        var response = await app.ClientFor(login).GetAsync($"/api/v1/reports/clearance?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static Task At(HazardsApp app, string localTime)
    {
        app.Clock.SetUtcNow(Local(localTime));
        return Task.CompletedTask;
    }

    private static async Task<JsonNode> Fix(HttpClient client, JsonNode hazard) =>
        await client.Do(hazard, "fix", new { note = "已整改", attachmentIds = new[] { await client.Upload() } });

    private static object Major(string title, string sector, Guid unitId) => new
    {
        title, description = "重大事故隐患", sector, origin = "regulatorInspection", unitId, level = "major", standardClause = "安监总局令第16号第八条",
    };

    private static object Plan(string timeLimit) => new
    {
        goals = "消除隐患", measures = "更换设备", funds = "20万元", people = "安全科", timeLimit, safetyMeasures = "设置警戒区",
    };
}
