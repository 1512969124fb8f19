using Microsoft.Playwright;

namespace Hazards.Api.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright: pages are looked at as a person's browser shows them. Playwright's own
/// browser downloads do not reach this machine, so it launches the system browser (<c>.ci/setup</c> installs it);
/// <c>--no-sandbox</c> because CI runs as root. Each test launches its own and disposes it.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static async Task<Chromium> Launch()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = ["--no-sandbox"] });
        return new Chromium(playwright, browser);
    }

    /// <summary>A page of the given width showing <paramref name="html"/>; nothing is fetched from elsewhere.</summary>
    public async Task<IPage> Show(string html, int width, int height = 900)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        await page.SetContentAsync(html);
        return page;
    }

    /// <summary>Saves the whole page (or what the viewport shows) as a PNG in the test's work directory and returns its path.</summary>
    public static async Task<string> Screenshot(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        TestContext.AddTestAttachment(path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
