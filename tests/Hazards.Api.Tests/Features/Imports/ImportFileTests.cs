using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Imports;

/// <summary>How an uploaded file is read: its headers, its encoding, the text of its cells, and the templates' example rows.</summary>
public sealed class ImportFileTests
{
    private const string OrgUnitsHeader = "编码,名称,上级编码";

    private static readonly Encoding Gbk = CodePagesEncodingProvider.Instance.GetEncoding(936)!;

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Start_WithAnXlsxHeaderGivenTwice_Returns400NamingIt()
    {
        var file = Workbooks.Sheet(["编码", "名称", "上级编码", "名称"], ["500103001061", "社区甲", "500103001", "社区乙"]);

        var response = await app.ClientFor("officer").Send("orgUnits", file, fileName: "twice.xlsx");

        var problem = await response.AssertProblem(400, "import.invalid_headers");
        Assert.That(Names(problem, "duplicatedHeaders"), Is.EqualTo(new[] { "名称" }));
    }

    [Test]
    public async Task Start_WithACsvHeaderGivenTwice_Returns400NamingIt()
    {
        var file = ImportDriver.Csv("编码,名称,上级编码,编码", "500103001061,社区,500103001,500103001062");

        var response = await app.ClientFor("officer").Send("orgUnits", file);

        var problem = await response.AssertProblem(400, "import.invalid_headers");
        Assert.That(Names(problem, "duplicatedHeaders"), Is.EqualTo(new[] { "编码" }));
    }

    [Test]
    public async Task Start_WithAnEmptyHeaderOverAFilledColumn_Returns400NamingTheColumn()
    {
        var xlsx = Workbooks.Sheet(["编码", null, "名称", "上级编码"], ["500103001061", "备注", "社区", "500103001"]);
        var csv = ImportDriver.Csv(OrgUnitsHeader, "500103001061,社区,500103001,多出的一列");
        var imports = await app.Count("SELECT COUNT(*) FROM imports");

        var gap = await app.ClientFor("officer").Send("orgUnits", xlsx, fileName: "gap.xlsx");
        var trailing = await app.ClientFor("officer").Send("orgUnits", csv);

        Assert.That(Names(await gap.AssertProblem(400, "import.invalid_headers"), "emptyHeaderColumns"), Is.EqualTo(new[] { "B" }));
        Assert.That(Names(await trailing.AssertProblem(400, "import.invalid_headers"), "emptyHeaderColumns"), Is.EqualTo(new[] { "D" }));
        Assert.That(await app.Count("SELECT COUNT(*) FROM imports"), Is.EqualTo(imports));
    }

    [Test]
    public async Task Apply_WithAnInvisibleCharacterInACell_RefusesTheRowWithTheJsonRoutesCode()
    {
        var csv = ImportDriver.Csv(OrgUnitsHeader, "500103001071,解放\u202E区社,500103001", "500103001072,社\u200B区,500103001", "500103001073,正常社区,500103001");
        var xlsx = Workbooks.Sheet(["编码", "名称", "上级编码"], ["500103001074", "隐\u2066藏", "500103001"]);

        var fromCsv = await app.ClientFor("officer").Import("orgUnits", csv, mode: "apply");
        var fromXlsx = await app.ClientFor("officer").Import("orgUnits", xlsx, mode: "apply", fileName: "hidden.xlsx");

        Assert.That(fromCsv.Errors(), Is.EqualTo(new[] { (2, "name", "text.control_character"), (3, "name", "text.control_character") }));
        Assert.That(fromXlsx.Errors(), Is.EqualTo(new[] { (2, "name", "text.control_character") }));
        Assert.That((fromCsv.Text("state"), fromXlsx.Text("state")), Is.EqualTo(("failed", "failed")));
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units WHERE code IN ('500103001071', '500103001072', '500103001073', '500103001074')"), Is.Zero);
    }

    [Test]
    public async Task Apply_OfAGbkCsvLongerThanTheSniffedHead_StoresItsChineseText()
    {
        var lines = new List<string> { OrgUnitsHeader };
        lines.AddRange(Enumerable.Range(0, 300).Select(i => $"500103001{100 + i},重庆渝中区解放碑街道第{i}社区,500103001"));

        var import = await app.ClientFor("officer").Import("orgUnits", Gbk.GetBytes(string.Join("\r\n", lines) + "\r\n"), mode: "apply");

        Assert.That((import.Text("state"), import["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 300)), import.ToJsonString());
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units WHERE name = '重庆渝中区解放碑街道第299社区'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Start_WithACsvThatIsUtf8OnlyInItsHead_IsRefusedAndStoresNoReplacementCharacter()
    {
        var head = Encoding.UTF8.GetBytes(OrgUnitsHeader + "\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"500103001{200 + i},community{i},500103001\r\n")));
        var file = Encoding.UTF8.GetPreamble().Concat(head).Concat(Gbk.GetBytes("500103001999,重庆社区,500103001\r\n")).ToArray();

        var response = await app.ClientFor("officer").Send("orgUnits", file, mode: "apply");

        Assert.That((int)response.StatusCode, Is.EqualTo(400).Or.EqualTo(415), await response.Content.ReadAsStringAsync());
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units WHERE name LIKE '%' || char(65533) || '%' OR code = '500103001999'"), Is.Zero);
    }

    [TestCase("orgUnits", "xlsx")]
    [TestCase("orgUnits", "csv")]
    [TestCase("units", "xlsx")]
    [TestCase("users", "csv")]
    public async Task Apply_OfAnUnchangedTemplate_SkipsItsExampleRowWithAWarning(string kind, string format)
    {
        var admin = app.ClientFor("admin");
        var template = await (await admin.GetAsync($"/api/v1/imports/templates/{kind}?format={format}")).Content.ReadAsByteArrayAsync();
        var history = await app.Count("SELECT COUNT(*) FROM admin_history");

        var import = await admin.Import(kind, template, mode: "apply", fileName: "template." + format);

        Assert.That((import.Text("state"), import["rowsRead"]!.GetValue<int>(), import["rowsApplied"]!.GetValue<int>()), Is.EqualTo(("succeeded", 0, 0)),
            import.ToJsonString());
        Assert.That(import["warnings"]!.AsArray().Select(w => (w!["row"]!.GetValue<int>(), w["code"]!.GetValue<string>())),
            Is.EqualTo(new[] { (2, "import.example_row") }));
        Assert.That(await app.Count("SELECT COUNT(*) FROM admin_history"), Is.EqualTo(history));
    }

    private static IEnumerable<string> Names(JsonNode problem, string member) => problem[member]!.AsArray().Select(n => n!.GetValue<string>());
}
