using Hazards.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Hazards.Api.Tests.Features.Escalations;

/// <summary>
/// The page behind a mail's link as Debian's Chromium shows it on a phone (390 px) and a desktop (1280 px),
/// served by the real app with its own headers: the case, the photo loaded from the service, the 签收 button, nothing
/// fetched from elsewhere, no sideways scrolling on the phone; pressing the button acknowledges once.
/// </summary>
[NonParallelizable]
public sealed class NoticePageInChromiumTests
{
    [TestCase(390)]
    [TestCase(1280)]
    public async Task Page_ShowsTheCaseItsPhotoAndTheButton_AndPressingItAcknowledges(int width)
    {
        using var smtp = new SmtpTestServer().Start();
        using var world = await NoticePageTests.Warned(smtp);
        var app = world.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var elsewhere = new List<string>();
        await using var chromium = await Chromium.Launch();

        var page = await chromium.Browse(app, world.LinkOf("grid@hazards.example"), width, elsewhere);
        await Chromium.Screenshot(page, $"notice-page-{width}");
        var shown = await page.EvaluateAsync<Shown>("""
            (() => {
              const img = document.querySelector('.photos img');
              return { text: document.body.innerText, photoWidth: img ? img.naturalWidth : -1, photoComplete: img ? img.complete : false,
                       button: !!document.querySelector('button#acknowledge'), overflow: document.documentElement.scrollWidth - innerWidth,
                       scripts: document.scripts.length };
            })()
            """);
        await page.ClickAsync("button#acknowledge");
        await page.WaitForSelectorAsync("#acknowledged");
        var after = await page.InnerTextAsync("#acknowledged");

        Assert.Multiple(async () =>
        {
            Assert.That(shown.Text, Does.Contain(world.CaseCode).And.Contain("警示函").And.Contain("楼道堆放杂物堵塞安全出口"));
            Assert.That(shown.PhotoComplete, Is.True);
            Assert.That(shown.PhotoWidth, Is.GreaterThan(0), "the photo loaded from the service");
            Assert.That(shown.Button, Is.True);
            Assert.That(shown.Scripts, Is.Zero);
            Assert.That(shown.Overflow, Is.LessThanOrEqualTo(0), "the page does not scroll sideways");
            Assert.That(elsewhere, Is.Empty, "nothing fetched from anywhere but the service");
            Assert.That(after, Does.Contain("您已于").And.Contain("签收"));
            Assert.That(await world.Count("SELECT COUNT(*) FROM notice_acknowledgements WHERE via = 'page'"), Is.EqualTo(1));
        });
    }

    private sealed class Shown
    {
        public string Text { get; set; } = "";
        public int PhotoWidth { get; set; }
        public bool PhotoComplete { get; set; }
        public bool Button { get; set; }
        public int Overflow { get; set; }
        public int Scripts { get; set; }
    }
}
