using System.Net;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Support;
using MiniExcelLibs;

namespace Hazards.Api.Tests.Features.Imports;

using Cases = Hazards.Api.Tests.Support.Cases;

public sealed class ImportTests
{
    private HazardsApp app = null!;

    [SetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task DryRun_ListsEveryBadRowWithRowColumnAndCodeAndWritesNothing()
    {
        var users = await app.Count("SELECT COUNT(*) FROM users");
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");
        var file = ImportDriver.Csv(
            ImportDriver.UsersHeader,
            "w1,网格员甲,13800000001,w1@people.example,gridWorker,500103001001001,,",
            "w1,网格员乙,13800000002,w1b@people.example,gridWorker,500103001001002,,",
            "w2,网格员丙,13800000003,w2@people.example,gridWorker,500103001009009,,",
            "grid2,网格员丁,13800000004,grid2@hazards.example,gridWorker,500103001001001,,",
            "w3,监管员,13800000005,w3@people.example,districtRegulator,500103,,",
            "w4,网格员戊,call me,w4@people.example,gridWorker,500103001001001,,");

        var import = await app.ClientFor("officer").Import("users", file);

        Assert.That(import.Text("state"), Is.EqualTo("succeeded"));
        Assert.That(import["dryRun"]!.GetValue<bool>(), Is.True);
        Assert.That((import["rowsRead"]!.GetValue<int>(), import["rowsValid"]!.GetValue<int>(), import["rowsApplied"]!.GetValue<int>()), Is.EqualTo((6, 1, 0)));
        Assert.That(import.Errors(), Is.SupersetOf(new[]
        {
            (3, "login", "import.duplicate_key"),
            (4, "orgUnit", "org_unit.not_found"),
            (5, "login", "user.login_taken"),
            (6, "role", "user.role_not_grantable"),
            (7, "phone", "user.invalid_phone"),
        }));
        Assert.That(import.Errors().Select(e => e.Row).Distinct(), Is.EquivalentTo(new[] { 3, 4, 5, 6, 7 }));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users"), Is.EqualTo(users));
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history));
        Assert.That(await app.Count("SELECT COUNT(*) FROM import_user_rows"), Is.Zero, "the staging is emptied");
    }

    [Test]
    public async Task Apply_WithOneBadRowInMany_AppliesNothingAndNamesTheRow()
    {
        var lines = new List<string> { ImportDriver.UsersHeader };
        lines.AddRange(Enumerable.Range(1, 2000).Select(i => $"bulk{i},网格员{i},1380000{i:0000},bulk{i}@people.example,gridWorker,500103001001001,,"));
        lines[1234] = "bulk1234,网格员1234,not-a-phone!,bulk1234@people.example,gridWorker,500103001001001,,";
        var users = await app.Count("SELECT COUNT(*) FROM users");

        var import = await app.ClientFor("admin").Import("users", ImportDriver.Csv([.. lines]), mode: "apply");

        Assert.That(import.Text("state"), Is.EqualTo("failed"));
        Assert.That(import.Errors(), Is.EqualTo(new[] { (1235, "phone", "user.invalid_phone") }));
        Assert.That(import["rowsApplied"]!.GetValue<int>(), Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM users"), Is.EqualTo(users));
    }

    [Test]
    public async Task Apply_OfAHierarchyUnitsAndPeople_IsIdempotentAndAChangedRowUpdatesWithItsHistory()
    {
        var officer = app.ClientFor("officer");
        var orgUnits = ImportDriver.Csv("编码,名称,上级编码", "500103001050,新社区,500103001", "500103001050001,新社区第1网格,500103001050", "500103001050002,新社区第2网格,500103001050");
        var units = Xlsx(new Dictionary<string, object?>
        {
            ["单位编码"] = "NEW-1", ["单位名称"] = "新社区超市", ["所在网格编码"] = "500103001050001", ["行业领域"] = "fire;gas", ["风险等级"] = "yellow",
            ["企业负责人"] = "王老板", ["企业负责人电话"] = "13800009999",
        });
        var people = ImportDriver.Csv(ImportDriver.UsersHeader,
            "new-grid,新网格员,13800000011,new-grid@people.example,gridWorker,500103001050001,,",
            "new-unit,新安全员,13800000012,new-unit@people.example,unitOfficer,500103001050001,NEW-1,");

        var first = new[]
        {
            await officer.Import("orgUnits", orgUnits, "apply"),
            await officer.Import("units", units, "apply", "units.xlsx"),
            await officer.Import("users", people, "apply"),
        };
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");
        var again = new[]
        {
            await officer.Import("orgUnits", orgUnits, "apply"),
            await officer.Import("units", units, "apply", "units.xlsx"),
            await officer.Import("users", people, "apply"),
        };
        var changed = await officer.Import("users", ImportDriver.Csv(ImportDriver.UsersHeader,
            "new-grid,新网格员,13800000011,new-grid@people.example,gridWorker,500103001050002,,",
            "new-unit,新安全员,13800000012,new-unit@people.example,unitOfficer,500103001050001,NEW-1,"), "apply");

        Assert.That(first.Select(i => (i.Text("state"), i["rowsApplied"]!.GetValue<int>())), Is.EqualTo(new[] { ("succeeded", 3), ("succeeded", 1), ("succeeded", 2) }));
        Assert.That(again.Select(i => i["rowsApplied"]!.GetValue<int>()), Is.All.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history + 1), "only the changed row wrote history");
        Assert.That(changed["rowsApplied"]!.GetValue<int>(), Is.EqualTo(1));
        var me = await (await app.ClientFor("new-unit").GetAsync("/api/v1/me")).Json();
        Assert.That(me["unitIds"]!.AsArray().Single()!.GetValue<Guid>(), Is.EqualTo(Hazards.Api.Features.Units.UnitWriter.IdFor("NEW-1")));
        var unit = await (await officer.GetAsync($"/api/v1/units/{Hazards.Api.Features.Units.UnitWriter.IdFor("NEW-1")}")).Json();
        Assert.That(unit["responsiblePersons"]!["enterprise"]!.Text("phone"), Is.EqualTo("13800009999"));
        Assert.That(await app.Text("SELECT org_code FROM users WHERE login = 'new-grid'"), Is.EqualTo("500103001050002"));
    }

    [Test]
    public async Task ReImport_OfAUnitWithAChangedPerson_ChangesThePersonWithItsHistoryAndTheSameFileAgainChangesNothing()
    {
        var officer = app.ClientFor("officer");
        var admin = app.ClientFor("admin");
        var unit = Hazards.Api.Features.Units.UnitWriter.IdFor("PERSON-1");
        var other = Hazards.Api.Features.Units.UnitWriter.IdFor("PERSON-2");
        const string header = "单位编码,单位名称,所在网格编码,行业领域,风险等级,行政负责人,行政负责人电话,行政负责人邮箱,企业负责人,企业负责人电话,企业负责人邮箱";
        var original = ImportDriver.Csv(header,
            "PERSON-1,人员变更超市,500103001001001,fire,yellow,街道主任甲,13800000021,,王老板,13800000022,wang@unit.example",
            "PERSON-2,人员不变餐馆,500103001001001,gas,blue,街道主任乙,13800000023,,李老板,13800000024,");
        var changed = ImportDriver.Csv(header,
            "PERSON-1,人员变更超市,500103001001001,fire,yellow,街道主任丙,13800000031,bing@gov.example,,,",
            "PERSON-2,人员不变餐馆,500103001001001,gas,blue,街道主任乙,13800000023,,李老板,13800000024,");
        var created = await officer.Import("units", original, "apply");
        var historyBefore = await app.Count("SELECT COUNT(*) FROM admin_history");
        var versionBefore = (await (await officer.GetAsync($"/api/v1/units/{unit}")).Json())["version"]!.GetValue<int>();

        var dry = await officer.Import("units", changed);
        var afterDry = await (await officer.GetAsync($"/api/v1/units/{unit}")).Json();
        var historyAfterDry = await app.Count("SELECT COUNT(*) FROM admin_history");
        var applied = await officer.Import("units", changed, "apply");
        var read = await (await officer.GetAsync($"/api/v1/units/{unit}")).Json();
        var board = await (await officer.GetAsync($"/api/v1/units/{unit}/board")).Json();
        var history = await (await admin.GetAsync($"/api/v1/admin/history?entity=unit&id={unit}")).Json();
        var historyAfterApply = await app.Count("SELECT COUNT(*) FROM admin_history");
        var boardRows = await app.Count("SELECT COUNT(*) FROM unit_board_history");
        var again = await officer.Import("units", changed, "apply");

        Assert.That((created.Text("state"), created["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 2)));
        Assert.That((dry.Text("state"), dry["rowsValid"]!.GetValue<int>(), dry.Errors().Count(), dry["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 2, 0, 0)));
        Assert.That(afterDry["responsiblePersons"]!["administrative"]!.Text("name"), Is.EqualTo("街道主任甲"), "a dry run changes nothing");
        Assert.That(historyAfterDry, Is.EqualTo(historyBefore));
        Assert.That((applied.Text("state"), applied["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 1)), "only the changed unit is applied");
        var persons = read["responsiblePersons"]!;
        Assert.That((persons["administrative"]!.Text("name"), persons["administrative"]!.Text("phone"), persons["administrative"]!.Text("email")),
            Is.EqualTo(("街道主任丙", "13800000031", "bing@gov.example")));
        Assert.That(persons["enterprise"]!.Text("name"), Is.EqualTo("王老板"), "a person the row leaves empty is kept");
        Assert.That(read["version"]!.GetValue<int>(), Is.EqualTo(versionBefore + 1));
        Assert.That(historyAfterApply, Is.EqualTo(historyBefore + 1), "one history row, for the changed unit");
        var entry = history["items"]!.AsArray().Single(h => h!["importId"]?.GetValue<Guid>() == applied["id"]!.GetValue<Guid>())!;
        Assert.That(entry.Text("action"), Is.EqualTo("update"));
        Assert.That(entry["before"]!["persons"]!["administrative"]!.Text("name"), Is.EqualTo("街道主任甲"));
        Assert.That(entry["after"]!["persons"]!["administrative"]!.Text("name"), Is.EqualTo("街道主任丙"));
        Assert.That(entry["after"]!["persons"]!["enterprise"]!.Text("name"), Is.EqualTo("王老板"));
        Assert.That(entry["before"]!["persons"]!["industryRegulator"], Is.Null);
        var change = board["history"]!.AsArray().Single()!;
        Assert.That((change.Text("subjectKey"), change.Text("change"), change["oldValue"]!.Text("name"), change["newValue"]!.Text("name"), change.Text("changedBy")),
            Is.EqualTo(("administrative", "changed", "街道主任甲", "街道主任丙", "officer")));
        Assert.That(await app.Count("SELECT COUNT(*) FROM unit_board_history WHERE unit_id = @Id", new { Id = other.ToString() }), Is.Zero);
        Assert.That((again.Text("state"), again["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 0)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(historyAfterApply), "the same file again writes no history");
        Assert.That(await app.Count("SELECT COUNT(*) FROM unit_board_history"), Is.EqualTo(boardRows));
        Assert.That((await (await officer.GetAsync($"/api/v1/units/{unit}")).Json())["version"]!.GetValue<int>(), Is.EqualTo(versionBefore + 1));
    }

    [Test]
    public async Task Start_WithANonSpreadsheetUnknownHeadersOrNoKind_IsRefusedBeforeAnyWork()
    {
        var admin = app.ClientFor("admin");
        var imports = await app.Count("SELECT COUNT(*) FROM imports");

        var png = await admin.Send("users", Cases.Png, fileName: "photo.png");
        var headers = await admin.Send("users", ImportDriver.Csv("登录名,姓名,密码", "a,b,c"));
        var noKind = await admin.Send("cases", ImportDriver.Csv(ImportDriver.UsersHeader));
        var byGrid = await app.ClientFor("grid").Send("users", ImportDriver.Csv(ImportDriver.UsersHeader));

        await png.AssertProblem(415, "import.unsupported_format");
        var problem = await headers.AssertProblem(400, "import.invalid_headers");
        Assert.That(problem["unknownHeaders"]!.AsArray().Select(h => h!.GetValue<string>()), Is.EqualTo(new[] { "密码" }));
        await noKind.AssertProblem(400, "import.invalid_kind");
        await byGrid.AssertProblem(403, "import.forbidden");
        Assert.That(await app.Count("SELECT COUNT(*) FROM imports"), Is.EqualTo(imports));
    }

    [Test]
    public async Task Start_OverImportsMaxBytes_Returns413()
    {
        using var small = await new HazardsApp(new Dictionary<string, string?> { ["Imports:MaxBytes"] = "2048" }).WithDemo();
        var lines = new[] { ImportDriver.UsersHeader }.Concat(Enumerable.Range(1, 200).Select(i => $"big{i},网格员,13800000000,big{i}@x.example,gridWorker,500103001001001,,"));
        var imports = await small.Count("SELECT COUNT(*) FROM imports");

        var response = await small.ClientFor("admin").Send("users", ImportDriver.Csv([.. lines]));

        Assert.That((int)response.StatusCode, Is.EqualTo(413), await response.Content.ReadAsStringAsync());
        Assert.That(await small.Count("SELECT COUNT(*) FROM imports"), Is.EqualTo(imports));
    }

    [Test]
    public async Task Start_WhileAnOverlappingImportOfTheKindIsQueued_Returns409()
    {
        using var idle = await new HazardsApp(new Dictionary<string, string?> { ["Imports:RunInBackground"] = "false" }).WithDemo();
        var file = ImportDriver.Csv(ImportDriver.UsersHeader, "q1,排队,13800000000,q1@x.example,gridWorker,500103001001001,,");

        var first = await idle.ClientFor("admin").Send("users", file);
        var overlapping = await idle.ClientFor("officer").Send("users", file);
        var otherKind = await idle.ClientFor("officer").Send("orgUnits", ImportDriver.Csv("编码,名称,上级编码", "500103001060,社区,500103001"));
        var elsewhere = await idle.ClientFor("regulator2").Send("orgUnits", ImportDriver.Csv("编码,名称,上级编码", "500112001060,社区,500112001"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await overlapping.AssertProblem(409, "import.overlapping");
        Assert.That(otherKind.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "another subtree is not an overlap");
    }

    [Test]
    public async Task Templates_HaveTheChineseHeadersTheImportTakes()
    {
        var admin = app.ClientFor("admin");

        var csv = await admin.GetAsync("/api/v1/imports/templates/users?format=csv");
        var xlsx = await admin.GetAsync("/api/v1/imports/templates/units");
        var unknown = await admin.GetAsync("/api/v1/imports/templates/cases");

        var text = await csv.Content.ReadAsStringAsync();
        Assert.That(text.TrimStart('\uFEFF').Split('\n')[0].TrimEnd('\r'), Is.EqualTo(ImportDriver.UsersHeader));
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.That(MiniExcel.GetColumns(stream, useHeaderRow: true, excelType: ExcelType.XLSX), Does.Contain("所在网格编码").And.Contain("企业负责人邮箱"));
        await unknown.AssertProblem(404, "import_template.not_found");
        var template = await admin.Import("units", await xlsx.Content.ReadAsByteArrayAsync(), fileName: "template.xlsx");
        Assert.That((template.Errors().Count(), template["rowsValid"]!.GetValue<int>(), template["warningCount"]!.GetValue<int>()), Is.EqualTo((0, 0, 1)),
            "the example row is skipped with a warning, never imported");
    }

    [Test]
    public async Task Command_ImportsAFileAsAPersonTheSameWay()
    {
        var path = Path.Combine(app.Folder, "people.csv");
        await File.WriteAllBytesAsync(path, ImportDriver.Csv(ImportDriver.UsersHeader, "cli-1,命令行导入,13800000000,cli-1@x.example,gridWorker,500103001001001,,"));

        var dry = await Cli.Run(app.Services, "import", ["--kind", "users", "--file", path, "--as", "officer"]);
        var applied = await Cli.Run(app.Services, "import", ["--kind", "users", "--file", path, "--as", "officer", "--apply"]);
        var outside = await Cli.Run(app.Services, "import", ["--kind", "users", "--file", path, "--as", "officer2", "--apply"]);

        Assert.That((dry, applied, outside), Is.EqualTo((0, 0, 1)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE login = 'cli-1' AND org_code = '500103001001001'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Command_WithAPathRelativeToTheCallersDirectory_ReadsTheFileFromThere()
    {
        await File.WriteAllBytesAsync(Path.Combine(app.Folder, "relative.csv"),
            ImportDriver.Csv(ImportDriver.UsersHeader, "cli-2,相对路径导入,13800000000,cli-2@x.example,gridWorker,500103001001001,,"));
        var shell = Environment.GetEnvironmentVariable("PWD");
        Environment.SetEnvironmentVariable("PWD", app.Folder);
        int exit;
        try
        {
            exit = await Cli.Run(app.Services, "import", ["--kind", "users", "--file", "relative.csv", "--as", "officer", "--apply"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PWD", shell);
        }

        Assert.That(exit, Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM users WHERE login = 'cli-2'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Command_WhenTheFileIsMissing_SaysSoWithTheFullPathAndExits2()
    {
        var missing = Path.Combine(app.Folder, "no-such-file.csv");
        var error = new StringWriter();
        var standardError = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = await Cli.Run(app.Services, "import", ["--kind", "users", "--file", missing, "--as", "officer"]);
        }
        finally
        {
            Console.SetError(standardError);
        }

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain(missing).And.Not.Contain("usage:"));
    }

    private static byte[] Xlsx(Dictionary<string, object?> row)
    {
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, new[] { row }, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }
}
