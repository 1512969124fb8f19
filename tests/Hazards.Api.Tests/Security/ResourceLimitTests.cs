using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Tests.Features.Imports;
using Hazards.Api.Tests.Support;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using CaseDriver = Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Security;

/// <summary>OWASP API4: body and upload limits, page limits, write rate limits, slow clients.</summary>
public sealed class ResourceLimitTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCase(true)]
    [TestCase(false)]
    public async Task Report_WithABodyOverOneMegabyte_Returns413AndWritesNothing(bool declaresLength)
    {
        var body = World.ReportBody();
        body["description"] = new string('x', 1024 * 1024);
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        HttpContent content = declaresLength ? new ByteArrayContent(bytes) : new UndeclaredLengthContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var fingerprint = await Fingerprint.For(app);
        var before = await fingerprint.Take();

        var response = await app.ClientFor("grid").PostAsync("/api/v1/cases", content);

        await response.AssertProblem(413, "request.too_large");
        Assert.That(await fingerprint.Take(), Is.EqualTo(before));
    }

    [Test]
    public async Task Report_WithABodyJustUnderTheLimit_IsReadAndJudgedOnItsFields()
    {
        var body = World.ReportBody();
        body["description"] = new string('x', 1000 * 1000);

        var response = await app.ClientFor("grid").PostRaw("/api/v1/cases", body.ToJsonString());

        var problem = await response.AssertProblem(400, "validation.failed");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("description"));
    }

    [Test]
    public async Task Upload_OfElevenMegabytes_Returns413AndStoresNothing()
    {
        var content = new byte[11 * 1024 * 1024];
        CaseDriver.Png.CopyTo(content, 0);
        var before = await app.Count("SELECT COUNT(*) FROM attachments");

        var response = await app.ClientFor("grid").UploadRaw("/api/v1/attachments", content, "big.png", "image/png");

        await response.AssertProblem(413, "request.too_large");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments"), Is.EqualTo(before));
    }

    [Test]
    public async Task Import_OfASmallXlsxWithMoreRowsThanImportsMaxRows_Returns413AndQueuesNothing()
    {
        var rows = Enumerable.Range(0, new Hazards.Api.Features.Imports.ImportOptions().MaxRows + 1)
            .Select(_ => new Dictionary<string, object?> { ["登录名"] = "x", ["姓名"] = "x", ["邮箱"] = "x", ["角色"] = "x", ["所属组织编码"] = "x" });
        using var xlsx = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(xlsx, rows, excelType: MiniExcelLibs.ExcelType.XLSX);
        var imports = await app.Count("SELECT COUNT(*) FROM imports");

        var response = await app.ClientFor("officer").Send("users", xlsx.ToArray(), fileName: "rows.xlsx");

        TestContext.Progress.WriteLine($"an XLSX of {xlsx.Length / 1024} KiB with one row past Imports:MaxRows");
        await response.AssertProblem(413, "import.too_many_rows");
        Assert.That(await app.Count("SELECT COUNT(*) FROM imports"), Is.EqualTo(imports));
    }

    [Test]
    public async Task EveryListRoute_WithLimitOver200_Returns400AndAt200Answers()
    {
        // A route of one case (its history) pages too: it is checked on a case the test reports.
        var reported = await app.ClientFor("grid").Report(CaseDriver.Patrol());
        var lists = ListRoutes(CaseDriver.Id(reported));

        // The city admin may read every list (the admin history is theirs alone); the limits are the same for every role.
        var officer = app.ClientFor("admin");
        var checkedRoutes = new List<string>();

        foreach (var route in lists)
        {
            var over = await officer.GetAsync($"{route}?limit=201");
            var zero = await officer.GetAsync($"{route}?limit=0");
            var huge = await officer.GetAsync($"{route}?limit=2147483648");
            var max = await officer.GetAsync($"{route}?limit=200");

            await over.AssertProblem(400, "request.invalid_limit");
            await zero.AssertProblem(400, "request.invalid_limit");
            await huge.AssertProblem(400, "request.malformed");
            Assert.That(max.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{route}: {await max.Content.ReadAsStringAsync()}");
            checkedRoutes.Add(route);
        }

        Assert.That(checkedRoutes, Does.Contain("/api/v1/cases").And.Contain("/api/v1/escalations").And.Contain("/api/v1/inspections/due"));
    }

    [Test]
    public async Task Writes_OverThePerUserLimit_Return429WithRetryAfterAndWriteNothing()
    {
        using var limited = await new HazardsApp(new Dictionary<string, string?>
        {
            ["Writes:PermitsPerMinute"] = "3",
            ["Writes:AnonymousPermitsPerMinute"] = "2",
        }).WithDemo();
        var grid = limited.ClientFor("grid");
        for (var i = 0; i < 3; i++)
        {
            await grid.Report(World.ReportBody($"限流-{i}"));
        }

        var fingerprint = await Fingerprint.For(limited);
        var before = await fingerprint.Take();

        var refused = await grid.PostJson("/api/v1/cases", World.ReportBody("限流-第四次"));
        var read = await grid.GetAsync("/api/v1/cases");
        var otherUser = await limited.ClientFor("grid2").PostJson("/api/v1/cases", CaseDriver.Patrol("限流-他人", CaseDriver.GridTwo));

        await refused.AssertProblem(429, "request.rate_limited");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(otherUser.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await limited.Count("SELECT COUNT(*) FROM cases WHERE title = '限流-第四次'"), Is.Zero);
        Assert.That(await fingerprint.Take(), Is.Not.EqualTo(before), "the other user's write went through");
    }

    [Test]
    public async Task AnonymousWrites_OverTheAddressLimit_Return429()
    {
        using var limited = new HazardsApp(new Dictionary<string, string?> { ["Writes:AnonymousPermitsPerMinute"] = "2" });
        var anonymous = limited.CreateClient();

        var answers = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((int)(await anonymous.PostJson("/api/v1/cases", World.ReportBody())).StatusCode);
        }

        Assert.That(answers, Is.EqualTo(new[] { 401, 401, 429 }));
    }

    [Test]
    public void Kestrel_IsConfiguredAgainstLargeBodiesAndSlowClients()
    {
        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(limits.AddServerHeader, Is.False);
            Assert.That(limits.Limits.MaxRequestBodySize, Is.EqualTo(new Hazards.Api.Features.Imports.ImportOptions().MaxBytes + RequestLimits.UploadOverheadBytes),
                "the largest body any route takes: an import file (Imports:MaxBytes), larger than an upload; each route still refuses more than its own");
            Assert.That(limits.Limits.MinRequestBodyDataRate?.BytesPerSecond, Is.EqualTo(240));
            Assert.That(limits.Limits.MinRequestBodyDataRate?.GracePeriod, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(limits.Limits.RequestHeadersTimeout, Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(limits.Limits.MaxRequestHeadersTotalSize, Is.EqualTo(32 * 1024));
        });
    }

    [Test]
    public void WriteLimit_ByDefault_Is120PerMinutePerUser()
    {
        var defaults = new WriteLimitOptions();

        Assert.That(defaults.PermitsPerMinute, Is.EqualTo(120));
    }

    /// <summary>Every GET route of the route table that takes a <c>limit</c>: the lists, an org unit code filled with the officer's township and a case id with a reported case.</summary>
    private List<string> ListRoutes(Guid caseId) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Where(e => e.Metadata.GetOrderedMetadata<IParameterBindingMetadata>().Any(p => p.Name == "limit"))
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/').Replace("{code}", "500103001", StringComparison.Ordinal).Replace("{list}", "toFix", StringComparison.Ordinal)
                .Replace("{id:guid}", caseId.ToString(), StringComparison.Ordinal))
            .ToList();

    /// <summary>A body sent without Content-Length, as a streaming client would.</summary>
    private sealed class UndeclaredLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
