using System.Net;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Escalations;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>Notices follow their recipients' places: moved with a merge they stay theirs; moved out of scope they are no longer shown.</summary>
[NonParallelizable]
public sealed class MovedRecipientTests
{
    private const string SiblingGrid = "500103001001002";

    [Test]
    public async Task Merge_WhenTheGridHadNotices_LeavesThemToItsMovedWorkerToListOpenAndAcknowledge()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await NoticePageTests.Warned(smtp);
        var link = world.LinkOf("grid@hazards.example");
        var officer = world.App.ClientFor("officer");
        var etag = (await officer.GetAsync($"/api/v1/org-units/{Cases.GridOne}")).Headers.ETag!.Tag;
        var merged = await officer.PostJson($"/api/v1/org-units/{Cases.GridOne}/merge", new { into = SiblingGrid }, ifMatch: etag);
        Assert.That(merged.StatusCode, Is.EqualTo(HttpStatusCode.OK), await merged.Content.ReadAsStringAsync());
        var grid = world.App.ClientFor("grid");

        var list = await (await grid.GetAsync($"/api/v1/escalations?subject={world.CaseId}")).Json();
        var page = await world.Page(link);
        var id = await world.App.Text("SELECT id FROM escalation_notices");
        var acknowledged = await grid.PostJson($"/api/v1/escalations/{id}/acknowledge", new { });

        Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(list["items"]![0]!["gridCode"]!.GetValue<string>(), Is.EqualTo(SiblingGrid));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(acknowledged.StatusCode, Is.EqualTo(HttpStatusCode.OK), await acknowledged.Content.ReadAsStringAsync());
        Assert.That(await world.Count($"SELECT COUNT(*) FROM escalation_notices WHERE org_path LIKE '%/{SiblingGrid}/'"), Is.EqualTo(1));
    }
}
