using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Attachments;

// The namespace Features.Cases would otherwise hide the test driver of the same name.
using Cases = Hazards.Api.Tests.Support.Cases;

public sealed class AttachmentTests
{
    private const int MaxBytes = 10 * 1024 * 1024;

    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    private string Root => Path.Combine(app.Folder, "attachments");

    [TestCase("closed")]
    [TestCase("rejected")]
    public async Task Upload_OntoAFinishedCase_Returns409AndStoresNothing(string state)
    {
        var grid = app.ClientFor("grid");
        var officer = app.ClientFor("officer");
        var reported = await grid.Report(Cases.Patrol($"已办结-{state}", extra: new { unitId = Cases.UnitOne }));
        if (state == "closed")
        {
            var assigned = await officer.Do(reported, "assign", new { responsibleUnitId = Cases.UnitOne });
            var unit = app.ClientFor("unit");
            var fixedCase = await unit.Do(assigned, "fix", new { note = "已整改", attachmentIds = new[] { await unit.Upload() } });
            await officer.Do(fixedCase, "verify", new { passed = true });
        }
        else
        {
            await officer.Do(reported, "reject", new { reason = "不构成隐患" });
        }

        var before = await app.Count("SELECT COUNT(*) FROM attachments");

        var response = await grid.UploadRaw($"/api/v1/cases/{Cases.Id(reported)}/attachments", Cases.Png, "late.png", "image/png");

        await response.AssertProblem(409, "case.finished");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments"), Is.EqualTo(before));
    }

    [Test]
    public async Task Upload_Png_Returns201AndStoresTheFileUnderItsSha256()
    {
        var client = app.ClientFor("grid");

        var response = await client.UploadRaw("/api/v1/attachments", Cases.Png, "photo.png", "image/png");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var view = await response.Json();
        var id = view["id"]!.GetValue<Guid>();
        var sha = view.Text("sha256");
        Assert.That(id, Is.Not.EqualTo(Guid.Empty));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/attachments/{id}"));
        Assert.That(view.Text("contentType"), Is.EqualTo("image/png"));
        Assert.That(view["sizeBytes"]!.GetValue<long>(), Is.EqualTo(Cases.Png.Length));
        Assert.That(sha, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Cases.Png))));
        var stored = Path.Combine(Root, sha[..2], sha[2..4], sha);
        Assert.That(File.Exists(stored), Is.True, stored);
        Assert.That(await File.ReadAllBytesAsync(stored), Is.EqualTo(Cases.Png));
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments WHERE id = @Id AND case_id IS NULL", new { Id = id }), Is.EqualTo(1));
    }

    [TestCase(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01 }, "image/jpeg", "photo.jpg")]
    [TestCase(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0x25, 0xE2, 0xE3 }, "application/pdf", "report.pdf")]
    public async Task Upload_JpegOrPdf_IsAcceptedWithItsSniffedType(byte[] content, string expectedType, string fileName)
    {
        var response = await app.ClientFor("grid").UploadRaw("/api/v1/attachments", content, fileName, "application/octet-stream");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var view = await response.Json();
        Assert.That(view.Text("contentType"), Is.EqualTo(expectedType));
        Assert.That(view.Text("fileName"), Is.EqualTo(fileName));
    }

    [Test]
    public async Task Upload_TextDeclaredAsPng_Returns415AndWritesNoRow()
    {
        var before = await app.Count("SELECT COUNT(*) FROM attachments");

        var response = await app.ClientFor("grid").UploadRaw("/api/v1/attachments", Encoding.UTF8.GetBytes("not a picture at all"), "fake.png", "image/png");

        await response.AssertProblem(415, "attachment.unsupported_type");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments"), Is.EqualTo(before));
        Assert.That(TempFiles(), Is.Empty);
    }

    [Test]
    public async Task Upload_PngDeclaredAsText_IsAcceptedAsPng()
    {
        var response = await app.ClientFor("grid").UploadRaw("/api/v1/attachments", Cases.Png, "notes.txt", "text/plain");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await response.Json()).Text("contentType"), Is.EqualTo("image/png"));
    }

    [Test]
    public async Task Upload_EmptyFile_Returns415AndWritesNoRow()
    {
        var before = await app.Count("SELECT COUNT(*) FROM attachments");

        var response = await app.ClientFor("grid").UploadRaw("/api/v1/attachments", [], "empty.png", "image/png");

        await response.AssertProblem(415, "attachment.unsupported_type");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments"), Is.EqualTo(before));
    }

    [Test]
    public async Task Upload_OneByteOverTenMegabytes_Returns413AndLeavesNothingBehind()
    {
        var before = await app.Count("SELECT COUNT(*) FROM attachments");
        var content = PngOfSize(MaxBytes + 1);

        var response = await app.ClientFor("grid").UploadRaw("/api/v1/attachments", content, "huge.png", "image/png");

        await response.AssertProblem(413, "attachment.too_large");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments"), Is.EqualTo(before));
        Assert.That(TempFiles(), Is.Empty);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.That(File.Exists(Path.Combine(Root, sha[..2], sha[2..4], sha)), Is.False);
    }

    [Test]
    public async Task Upload_ExactlyTenMegabytes_IsAccepted()
    {
        var content = PngOfSize(MaxBytes);

        var response = await app.ClientFor("grid").UploadRaw("/api/v1/attachments", content, "big.png", "image/png");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var view = await response.Json();
        Assert.That(view["sizeBytes"]!.GetValue<long>(), Is.EqualTo(MaxBytes));
        Assert.That(view.Text("sha256"), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(content))));
        Assert.That(TempFiles(), Is.Empty);
    }

    [Test]
    public async Task Upload_NotMultipart_Returns415()
    {
        var before = await app.Count("SELECT COUNT(*) FROM attachments");

        var response = await app.ClientFor("grid").PostAsync("/api/v1/attachments", new ByteArrayContent(Cases.Png)
        {
            Headers = { ContentType = new("image/png") },
        });

        await response.AssertProblem(415, "attachment.multipart_required");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments"), Is.EqualTo(before));
    }

    [Test]
    public async Task Upload_SameBytesTwice_CreatesTwoRowsAndOneFile()
    {
        var content = PngWithPayload("the same photo twice");
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var client = app.ClientFor("grid");

        var first = await client.Upload(content);
        var second = await client.Upload(content);

        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments WHERE sha256 = @Sha", new { Sha = sha }), Is.EqualTo(2));
        Assert.That(Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Count(f => Path.GetFileName(f) == sha), Is.EqualTo(1));
    }

    [Test]
    public async Task Get_ByUploader_ReturnsTheBytesAndContentType()
    {
        var content = PngWithPayload("uploader reads it back");
        var client = app.ClientFor("grid");
        var id = await client.Upload(content, "back.png", "text/plain");

        var response = await client.GetAsync($"/api/v1/attachments/{id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(content));
    }

    [Test]
    public async Task Get_UnboundByAnotherUser_Returns404()
    {
        var id = await app.ClientFor("grid").Upload(PngWithPayload("not yours"));

        var response = await app.ClientFor("officer").GetAsync($"/api/v1/attachments/{id}");

        await response.AssertProblem(404, "attachment.not_found");
    }

    [Test]
    public async Task Get_AfterUseAsFixEvidence_VisibleToVerifierAndHiddenFromOtherDistrict()
    {
        var content = PngWithPayload("fix evidence");
        var unit = app.ClientFor("unit");
        var hazard = await RectifyingCase();
        var evidence = await unit.Upload(content);

        await unit.Do(hazard, "fix", new { note = "已整改", attachmentIds = new[] { evidence } });

        var officer = await app.ClientFor("officer").GetAsync($"/api/v1/attachments/{evidence}");
        Assert.That(officer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await officer.Content.ReadAsByteArrayAsync(), Is.EqualTo(content));
        var other = await app.ClientFor("regulator2").GetAsync($"/api/v1/attachments/{evidence}");
        await other.AssertProblem(404, "attachment.not_found");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments WHERE id = @Id AND case_id = @CaseId",
            new { Id = evidence, CaseId = Cases.Id(hazard) }), Is.EqualTo(1));
    }

    [Test]
    public async Task UploadToCase_InScope_BindsTheFileToTheCase()
    {
        var hazard = await RectifyingCase();

        var response = await app.ClientFor("unit").UploadRaw($"/api/v1/cases/{Cases.Id(hazard)}/attachments", Cases.Png, "site.png", "image/png");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var view = await response.Json();
        var id = view["id"]!.GetValue<Guid>();
        Assert.That(view["caseId"]!.GetValue<Guid>(), Is.EqualTo(Cases.Id(hazard)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments WHERE id = @Id AND case_id = @CaseId",
            new { Id = id, CaseId = Cases.Id(hazard) }), Is.EqualTo(1));
        var officer = await app.ClientFor("officer").GetAsync($"/api/v1/attachments/{id}");
        Assert.That(officer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UploadToCase_OutOfScope_Returns404AndWritesNoRow()
    {
        var hazard = await RectifyingCase();
        var before = await app.Count("SELECT COUNT(*) FROM attachments");

        var response = await app.ClientFor("grid2").UploadRaw($"/api/v1/cases/{Cases.Id(hazard)}/attachments", Cases.Png, "site.png", "image/png");

        await response.AssertProblem(404, "case.not_found");
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments"), Is.EqualTo(before));
    }

    [Test]
    public async Task Fix_WithSomeoneElsesUnboundAttachment_Returns400AndWritesNothing()
    {
        var hazard = await RectifyingCase();
        var foreign = await app.ClientFor("grid").Upload(PngWithPayload("grid's own photo"));
        var histories = await app.Count("SELECT COUNT(*) FROM case_history WHERE case_id = @Id", new { Id = Cases.Id(hazard) });

        var response = await app.ClientFor("unit").Act(hazard, "fix", new { note = "借用照片", attachmentIds = new[] { foreign } });

        await response.AssertProblem(400, "case.evidence_invalid");
        var after = await app.ClientFor("unit").Fetch(hazard);
        Assert.That(after.Text("status"), Is.EqualTo("rectifying"));
        Assert.That(Cases.Version(after), Is.EqualTo(Cases.Version(hazard)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM case_history WHERE case_id = @Id", new { Id = Cases.Id(hazard) }), Is.EqualTo(histories));
        Assert.That(await app.Count("SELECT COUNT(*) FROM attachments WHERE id = @Id AND case_id IS NULL", new { Id = foreign }), Is.EqualTo(1));
    }

    /// <summary>A general self-check case of UnitOne, assigned by the township: the unit may fix it.</summary>
    private async Task<JsonNode> RectifyingCase()
    {
        var reported = await app.ClientFor("unit").Report(Cases.SelfCheck(Cases.UnitOne));
        return await app.ClientFor("officer").Do(reported, "assign");
    }

    private string[] TempFiles() =>
        Directory.Exists(Root) ? Directory.GetFiles(Root, ".upload-*", SearchOption.AllDirectories) : [];

    private static byte[] PngOfSize(int size)
    {
        var content = new byte[size];
        Cases.Png.AsSpan(0, 8).CopyTo(content);
        return content;
    }

    /// <summary>A PNG whose bytes differ from every other test's, so that its hash names one file only.</summary>
    private static byte[] PngWithPayload(string payload) => [.. Cases.Png, .. Encoding.UTF8.GetBytes(payload)];
}
