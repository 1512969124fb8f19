using System.Net;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Attachments;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>A case shows its files and the move each is evidence for; its history pages.</summary>
public sealed class CaseAttachmentViewTests
{
    private HazardsApp app = null!;
    private JsonNode fixedCase = null!;
    private Guid evidence;
    private Guid sitePhoto;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await new HazardsApp().WithDemo();
        var grid = app.ClientFor("grid");
        var unit = app.ClientFor("unit");
        var reported = await grid.Report(Cases.Patrol("附件查看", extra: new { unitId = Cases.UnitOne }));
        var onCase = await grid.UploadRaw($"/api/v1/cases/{Cases.Id(reported)}/attachments", Cases.Png, "现场.png", "image/png");
        Assert.That(onCase.StatusCode, Is.EqualTo(HttpStatusCode.Created), await onCase.Content.ReadAsStringAsync());
        sitePhoto = (await onCase.Json())["id"]!.GetValue<Guid>();
        var assigned = await app.ClientFor("officer").Do(reported, "assign", new { responsibleUnitId = Cases.UnitOne });
        app.Clock.Advance(TimeSpan.FromHours(1));
        evidence = await unit.Upload(fileName: "整改后.png");
        fixedCase = await unit.Do(assigned, "fix", new { note = "已清理", attachmentIds = new[] { evidence } });
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task CaseView_ListsItsAttachmentsWithTheMoveEachIsEvidenceFor()
    {
        var hazard = await app.ClientFor("officer").Fetch(fixedCase);

        var files = hazard["attachments"]!.AsArray();
        Assert.That(files.Select(f => f!["id"]!.GetValue<Guid>()), Is.EqualTo(new[] { sitePhoto, evidence }));
        var fix = files[1]!;
        Assert.That(fix.Text("mediaType"), Is.EqualTo("image/png"));
        Assert.That(fix["sizeBytes"]!.GetValue<long>(), Is.EqualTo(Cases.Png.Length));
        Assert.That(fix.Text("uploadedBy"), Is.EqualTo("unit"));
        Assert.That(fix.Text("uploadedAt"), Is.EqualTo("2026-03-02T02:00:00Z"));
        Assert.That(fix.Text("evidenceFor"), Is.EqualTo("submitFix"));
        Assert.That(fix["evidenceSeq"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(fix.Text("fileName"), Is.EqualTo("整改后.png"));
        Assert.That(files[0]!.Text("uploadedBy"), Is.EqualTo("grid"));
        Assert.That(files[0]!["evidenceFor"], Is.Null);
    }

    [Test]
    public async Task AttachmentsRoute_ListsTheSameFilesAndEachDownloadsInScope()
    {
        var officer = app.ClientFor("officer");

        var list = await (await officer.GetAsync($"/api/v1/cases/{Cases.Id(fixedCase)}/attachments")).Json();

        var items = list["items"]!.AsArray();
        Assert.That(items.Select(f => f!["id"]!.GetValue<Guid>()), Is.EqualTo(new[] { sitePhoto, evidence }));
        foreach (var item in items)
        {
            var download = await officer.GetAsync(item!.Text("href"));
            Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(Cases.Png));
            Assert.That(download.Content.Headers.ContentType?.MediaType, Is.EqualTo(item!.Text("mediaType")));
        }
    }

    [Test]
    public async Task AttachmentsRoute_OutOfScope_Returns404AndTheFilesToo()
    {
        var outsider = app.ClientFor("grid2");

        var list = await outsider.GetAsync($"/api/v1/cases/{Cases.Id(fixedCase)}/attachments");
        var file = await outsider.GetAsync($"/api/v1/attachments/{evidence}");

        await list.AssertProblem(404, "case.not_found");
        await file.AssertProblem(404, "attachment.not_found");
    }

    [Test]
    public async Task History_PagesInSeqOrderWithACursor()
    {
        var officer = app.ClientFor("officer");
        var url = $"/api/v1/cases/{Cases.Id(fixedCase)}/history";

        var first = await (await officer.GetAsync($"{url}?limit=2")).Json();
        var second = await (await officer.GetAsync($"{url}?limit=2&cursor={first.Text("nextCursor")}")).Json();

        Assert.That(first["items"]!.AsArray().Select(h => h!.Text("action")), Is.EqualTo(new[] { "report", "assign" }));
        Assert.That(second["items"]!.AsArray().Select(h => h!.Text("action")), Is.EqualTo(new[] { "submitFix" }));
        Assert.That(second["items"]![0]!["evidenceIds"]![0]!.GetValue<Guid>(), Is.EqualTo(evidence));
        Assert.That(second["nextCursor"], Is.Null);
    }

    [Test]
    public async Task History_OutOfScopeOrWithAForeignCursor_Refused()
    {
        var url = $"/api/v1/cases/{Cases.Id(fixedCase)}/history";

        var outside = await app.ClientFor("grid2").GetAsync(url);
        var forged = await app.ClientFor("officer").GetAsync($"{url}?cursor=aDF8eA");
        var tooMany = await app.ClientFor("officer").GetAsync($"{url}?limit=201");

        await outside.AssertProblem(404, "case.not_found");
        await forged.AssertProblem(400, "request.invalid_cursor");
        await tooMany.AssertProblem(400, "request.invalid_limit");
    }

    [TestCase("heic")]
    [TestCase("mif1")]
    public async Task Upload_OfAHeifPhoto_SaysToSendJpegOrPng(string brand)
    {
        byte[] heif = [0, 0, 0, 0x18, .. "ftyp"u8, .. System.Text.Encoding.ASCII.GetBytes(brand), 0, 0, 0, 0, .. "mif1heic"u8];

        var response = await app.ClientFor("grid").UploadRaw("/api/v1/attachments", heif, "IMG_0001.HEIC", "image/heic");

        var problem = await response.AssertProblem(415, "attachment.unsupported_type");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("HEIC").And.Contain("JPEG or PNG"));
        Assert.That(problem["accepted"]!.AsArray().Select(a => a!.GetValue<string>()), Does.Contain("image/jpeg").And.Contain("image/png"));
    }
}
