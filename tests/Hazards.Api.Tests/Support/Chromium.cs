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

    /// <summary>
    /// A page of the given width opened at <paramref name="path"/> of the service: every request the browser makes to
    /// <see cref="Origin"/> is answered by the real app through <paramref name="app"/> (status, headers and body, its CSP
    /// included, so the browser enforces it), and redirects are the browser's to follow. A request anywhere else is refused
    /// and listed in <paramref name="elsewhere"/>.
    /// </summary>
    public async Task<IPage> Browse(HttpClient app, string path, int width, List<string> elsewhere, int height = 900)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        await page.RouteAsync("**/*", async route =>
        {
            var request = route.Request;
            if (!request.Url.StartsWith(Origin + "/", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
                await route.AbortAsync();
                return;
            }

            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url[Origin.Length..]);
            if (request.PostDataBuffer is { } body)
            {
                message.Content = new ByteArrayContent(body);
            }

            foreach (var (name, value) in request.Headers)
            {
                if (!message.Headers.TryAddWithoutValidation(name, value))
                {
                    message.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await app.SendAsync(message);
            var headers = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            await route.FulfillAsync(new() { Status = (int)response.StatusCode, Headers = headers, BodyBytes = await response.Content.ReadAsByteArrayAsync() });
        });
        await page.GotoAsync(Origin + path);
        return page;
    }

    /// <summary>The address the browser believes the service is at.</summary>
    public const string Origin = "http://hazards.test";

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
