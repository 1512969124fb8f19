using System.Net;
using System.Text.RegularExpressions;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Escalations;

using Cases = Hazards.Api.Tests.Support.Cases;

/// <summary>Notices follow their recipients' places: moved with a merge they stay theirs; moved out of scope they are no longer shown.</summary>
[NonParallelizable]
public sealed partial class MovedRecipientTests
{
    private const string SiblingGrid = "500103001001002";

    [GeneratedRegex("href=\"(/notices/[A-Za-z0-9_-]{92})\"")]
    private static partial Regex PageNoticeLink();

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

    [Test]
    public async Task DigestPage_WhenItsReaderMovedOutOfScope_ListsNoneOfTheItemsTheyNoLongerSee()
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await NoticePageTests.Warned(smtp, new Dictionary<string, string?> { ["Email:DigestMaxItems"] = "1" }, notices: 2);
        var officerMail = smtp.Messages.Last(m => m.To.Mailboxes.Single().Address == "officer@hazards.example");
        var digest = NoticePageTests.DigestLink().Match(officerMail.TextBody ?? "").Groups[1].Value;
        Assert.That(digest, Is.Not.Empty, "arranged: the officer's digest is summed up with a link to all its items");
        var before = await (await world.Browser.GetAsync(digest)).Content.ReadAsStringAsync();

        await world.App.Exec("UPDATE users SET org_code = '500103002' WHERE login = 'officer'");
        var after = await world.Browser.GetAsync(digest);
        var html = await after.Content.ReadAsStringAsync();

        Assert.That(PageNoticeLink().Matches(before), Has.Count.EqualTo(2));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(PageNoticeLink().Matches(html), Is.Empty);
        Assert.That(html, Does.Not.Contain(world.CaseCode));
    }
}
