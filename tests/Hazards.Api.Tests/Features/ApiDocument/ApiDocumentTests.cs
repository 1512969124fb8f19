using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hazards.Api.Tests.Support;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.ApiDocument;

/// <summary>
/// The served OpenAPI document, read by a linter nobody here wrote (Spectral with the OWASP API
/// Security ruleset) and held to what the service does when a client keeps to it or steps past it.
/// </summary>
public sealed partial class ApiDocumentTests
{
    private HazardsApp app = null!;
    private JsonNode document = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await new HazardsApp().WithDemo();
        document = await (await app.ClientFor(null).GetAsync("/openapi/v1.json")).Json();
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Spectral_FindsNoErrors_AndOnlyTheWarningsTheReadmeAccepts()
    {
        var findings = await Lint(document);

        var errors = findings.Where(f => f["severity"]!.GetValue<int>() == 0).Select(Describe).ToList();
        var warnings = findings.Where(f => f["severity"]!.GetValue<int>() == 1).Select(f => f["code"]!.GetValue<string>()).Distinct().ToList();
        Assert.That(errors, Is.Empty);
        Assert.That(warnings, Is.SubsetOf(AcceptedWarnings()), "a warning the table of docs/api.md does not list with its reason");
    }

    [Test]
    public async Task Spectral_OnADocumentThatDropsABound_ReportsIt()
    {
        var broken = document.DeepClone();
        broken["components"]!["schemas"]!["ReportCaseCommand"]!["properties"]!["title"]!.AsObject().Remove("maxLength");
        broken["paths"]!["/api/v1/cases/{id}/verify"]!["post"]!.AsObject().Remove("security");

        var codes = (await Lint(broken)).Where(f => f["severity"]!.GetValue<int>() == 0).Select(f => f["code"]!.GetValue<string>()).ToList();

        Assert.That(codes, Does.Contain("owasp:api4:2023-string-limit").And.Contain("owasp:api2:2023-write-restricted"));
    }

    [Test]
    public void Operations_AreSecuredExceptThePublicOnes_AndEveryPostTakesAnIdempotencyKey()
    {
        foreach (var (path, method, operation) in Operations())
        {
            var security = operation["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToList() ?? [];
            Assert.That(security, path.StartsWith("/api/v1/public/", StringComparison.Ordinal) ? Is.Empty : Is.EqualTo(new[] { "bearer" }), $"{method} {path}");
            if (method == "post")
            {
                Assert.That(HeaderParameters(operation), Does.Contain("Idempotency-Key"), $"{method} {path}");
            }

            Assert.That(operation["responses"]!.AsObject().Select(r => r.Key), Does.Contain("400").And.Contain("500"), $"{method} {path}");
        }

        Assert.That(document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>(), Is.EqualTo("bearer"));
    }

    [Test]
    public async Task ReportCase_WithOnlyTheMembersTheDocumentRequires_IsCreated()
    {
        var schema = Schema("ReportCaseCommand");
        var required = schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        var body = new JsonObject { ["title"] = "消防通道堵塞", ["description"] = "楼道堆放杂物", ["sector"] = "fire", ["origin"] = "gridPatrol", ["gridCode"] = GridOne };

        var response = await app.ClientFor("grid").PostJson("/api/v1/cases", body);

        Assert.That(required, Is.EquivalentTo(new[] { "title", "description", "sector", "origin" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task ReportCase_AtTheDocumentsBounds_IsCreated_AndOneStepPast_IsRefused()
    {
        var properties = Schema("ReportCaseCommand")["properties"]!;
        var title = properties["title"]!["maxLength"]!.GetValue<int>();
        var attachments = properties["attachmentIds"]!["maxItems"]!.GetValue<int>();
        var latitude = Schema("Location")["properties"]!["latitude"]!["maximum"]!.GetValue<double>();
        var grid = app.ClientFor("grid");
        var before = await app.Count("SELECT COUNT(*) FROM cases");

        var atBound = await grid.PostJson("/api/v1/cases", Patrol(new string('堵', title)));
        var longTitle = await grid.PostJson("/api/v1/cases", Patrol(new string('堵', title + 1)));
        var manyPhotos = await grid.PostJson("/api/v1/cases", Patrol(extra: new { attachmentIds = Enumerable.Range(0, attachments + 1).Select(_ => Guid.NewGuid()).ToArray() }));
        var farNorth = await grid.PostJson("/api/v1/cases", Patrol(extra: new { location = new { latitude = latitude + 0.5, longitude = 106.5 } }));

        Assert.That(atBound.StatusCode, Is.EqualTo(HttpStatusCode.Created), await atBound.Content.ReadAsStringAsync());
        Assert.That((await longTitle.AssertProblem(400, "validation.failed"))["errors"]!["title"], Is.Not.Null);
        Assert.That((await manyPhotos.AssertProblem(400, "validation.failed"))["errors"]!["attachmentIds"], Is.Not.Null);
        Assert.That((await farNorth.AssertProblem(400, "validation.failed"))["errors"]!["location.latitude"], Is.Not.Null);
        Assert.That(await app.Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(before + 1));
    }

    /// <summary>The examples shown to those who build a client are bodies the service takes as they stand.</summary>
    [Test]
    public async Task TheDocumentsExamples_AreAcceptedAsTheyStand()
    {
        var report = Example("/api/v1/cases", "post");
        var assign = Example("/api/v1/cases/{id}/assign", "post");
        var tip = Example("/api/v1/public/tips", "post");

        var reported = await app.ClientFor("grid").PostJson("/api/v1/cases", report);
        var created = await reported.Json();
        var assigned = await app.ClientFor("officer").PostJson($"/api/v1/cases/{created["id"]}/assign", assign, ifMatch: reported.Headers.ETag!.Tag);
        var tipped = await app.ClientFor(null).PostJson("/api/v1/public/tips", tip);

        Assert.That(reported.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.ToJsonString());
        Assert.That(assigned.StatusCode, Is.EqualTo(HttpStatusCode.OK), await assigned.Content.ReadAsStringAsync());
        Assert.That(tipped.StatusCode, Is.EqualTo(HttpStatusCode.Created), await tipped.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Every bound the document gives a query parameter is one the service keeps: a value one past it is refused with
    /// 400, whatever the route. Routes are read with the city admin, who may read them all.
    /// </summary>
    [Test]
    public async Task EveryQueryParameterBound_IsKeptByItsRoute()
    {
        var admin = app.ClientFor("admin");
        var checkedBounds = new List<string>();
        foreach (var (path, method, operation) in Operations().Where(o => o.Method == "get"))
        {
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                var schema = parameter!["schema"]!;
                if (parameter["in"]!.GetValue<string>() != "query" || PastBound(schema) is not { } past)
                {
                    continue;
                }

                var name = parameter["name"]!.GetValue<string>();
                var url = $"{Routes.Fill(path)}?{name}={Uri.EscapeDataString(past)}";
                var response = await admin.GetAsync(url);

                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{url}: {await response.Content.ReadAsStringAsync()}");
                checkedBounds.Add($"{path}?{name}");
            }
        }

        Assert.That(checkedBounds, Does.Contain("/api/v1/cases?q").And.Contain("/api/v1/cases?limit").And.Contain("/api/v1/escalations?step"));
    }

    private static string? PastBound(JsonNode schema)
    {
        if (schema["maximum"] is { } maximum)
        {
            return (maximum.GetValue<long>() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return schema["maxLength"] is { } length && schema["enum"] is null ? new string('1', length.GetValue<int>() + 1) : null;
    }

    private JsonNode Example(string path, string method) =>
        document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["example"]!.DeepClone();

    private JsonNode Schema(string name) => document["components"]!["schemas"]![name]!;

    private IEnumerable<(string Path, string Method, JsonNode Operation)> Operations() =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(m => m.Key is "get" or "post" or "put" or "delete" or "patch")
            .Select(m => (p.Key, m.Key, m.Value!)));

    private static List<string> HeaderParameters(JsonNode operation) =>
        operation["parameters"]?.AsArray().Where(p => p!["in"]!.GetValue<string>() == "header").Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];

    private static string Describe(JsonNode finding) =>
        $"{finding["code"]} at {string.Join('/', finding["path"]!.AsArray().Select(p => p!.ToString()))}: {finding["message"]}";

    /// <summary>The warnings the API guide (docs/api.md) accepts, each in a table row beginning with its code.</summary>
    private static HashSet<string> AcceptedWarnings()
    {
        var guide = File.ReadAllText(Repository.PathOf("docs", "api.md"));
        var section = guide[guide.IndexOf("## Spectral's warnings", StringComparison.Ordinal)..];
        var next = section.IndexOf("\n#", 1, StringComparison.Ordinal);
        section = next < 0 ? section : section[..next];
        return WarningRow().Matches(section).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\| `([a-z0-9:-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex WarningRow();

    private async Task<List<JsonNode>> Lint(JsonNode served)
    {
        var file = Path.Combine(app.Folder, $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, served.ToJsonString());
        var spectral = Repository.PathOf("tools", "node_modules", ".bin", "spectral");
        Assert.That(File.Exists(spectral), Is.True, "Spectral is not installed: run .ci/setup");
        var info = new ProcessStartInfo(spectral, ["lint", file, "--ruleset", Repository.PathOf("tools", "spectral.yaml"), "--format", "json", "--quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.PathOf("tools"),
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var text = (await output).Trim();
        Assert.That(text, Does.StartWith("["), $"spectral exited {process.ExitCode}: {await error}");
        return JsonNode.Parse(text)!.AsArray().Select(f => f!).ToList();
    }
}
