using System.Diagnostics;
using System.Text;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Security;

/// <summary>
/// Design §12: thousands of hostile bodies to every JSON route of the route table.
/// Never a 500; every refusal a problem document with a code; a refused request leaves the database as it was.
/// </summary>
[Category("Slow")]
public sealed class HostileInputTests
{
    private const int Seed = 20260302;

    private HazardsApp app = null!;
    private World world = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await new HazardsApp(new Dictionary<string, string?>(World.Settings)).WithDemo();
        world = new World(app);
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task EveryJsonRoute_WithHostileBodies_NeverAnswers500AndRefusalsWriteNothing()
    {
        var random = new Random(Seed);
        var routes = JsonRoutes.Of(app.Services);
        var fingerprint = await Fingerprint.For(app);
        var failures = new List<string>();
        var sent = 0;
        var accepted = 0;
        var clock = Stopwatch.StartNew();

        foreach (var route in routes)
        {
            var (entry, caller) = JsonRoutes.Accepting(route);
            var client = world.As(caller.Login);
            var probe = await entry.Build(world, caller);
            var before = await fingerprint.Take();
            foreach (var mutation in Mutations.Of(probe.Json!.AsObject(), random))
            {
                using var request = (probe with { Json = null }).ToMessage();
                request.Content = new ByteArrayContent(mutation.Body);
                if (mutation.ContentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mutation.ContentType);
                }

                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                sent++;
                if (status is >= 200 and < 300)
                {
                    // Accepted (an extra field, SQL as plain text...): the object moved on, so act on a fresh one.
                    accepted++;
                    probe = await entry.Build(world, caller);
                    before = await fingerprint.Take();
                    continue;
                }

                var problem = status >= 500 ? null : Problem(response, text);
                if (status >= 500 || problem is null)
                {
                    failures.Add($"{route} with {mutation.Name}: {status} {Clip(text)}");
                }

                var after = await fingerprint.Take();
                if (after != before)
                {
                    failures.Add($"{route} with {mutation.Name}: refused with {status} but the database changed");
                    before = after;
                }
            }
        }

        TestContext.Progress.WriteLine(
            $"hostile input: {sent} requests to {routes.Count} JSON routes in {clock.Elapsed.TotalSeconds:F0} s (seed {Seed}); {accepted} accepted as valid, {sent - accepted} refused with a problem, {failures.Count} failures");
        Assert.That(routes, Has.Count.GreaterThanOrEqualTo(10));
        Assert.That(sent, Is.GreaterThan(2000));
        Assert.That(failures, Is.Empty, string.Join('\n', failures.Take(60)));
    }

    /// <summary>
    /// The pages behind the mail's links take a token in the path, a form and a page number from anyone who
    /// has the address. Hostile tokens, forms and pages answer a problem with a code (the client asks for JSON) and
    /// write nothing.
    /// </summary>
    [Test]
    public async Task MailPages_WithHostileTokensFormsAndPages_AnswerProblemsAndWriteNothing()
    {
        var links = await world.MailLinks();
        var token = links.Page[(links.Page.LastIndexOf('/') + 1)..];
        var digestToken = links.Digest[(links.Digest.LastIndexOf('/') + 1)..];
        var fingerprint = await Fingerprint.For(app);
        var before = await fingerprint.Take();
        string[] tokens =
        [
            "a", token[..91], token + "A", token + "=", new string('A', 92), new string('-', 92), Uri.EscapeDataString("../../etc/passwd"),
            new string('A', 5000), digestToken, token.ToUpperInvariant(), Uri.EscapeDataString(token[..46] + "+/" + token[48..]),
        ];
        var requests = new List<(string Name, Func<HttpRequestMessage> Make)>();
        foreach (var t in tokens)
        {
            requests.Add(($"page {Clip(t)}", () => new HttpRequestMessage(HttpMethod.Get, $"/notices/{t}")));
            requests.Add(($"file {Clip(t)}", () => new HttpRequestMessage(HttpMethod.Get, $"/notices/{t}/files/{Guid.NewGuid()}")));
            requests.Add(($"acknowledge {Clip(t)}", () => Form($"/notices/{t}/acknowledge", [("formToken", links.FormToken)])));
            if (t != digestToken)
            {
                requests.Add(($"digest {Clip(t)}", () => new HttpRequestMessage(HttpMethod.Get, $"/digests/{t}")));
            }
        }

        requests.Add(("the notice's link on the digest's page", () => new HttpRequestMessage(HttpMethod.Get, $"/digests/{token}")));
        requests.Add(("a file of another case", () => new HttpRequestMessage(HttpMethod.Get, $"{links.Page}/files/{Guid.NewGuid()}")));
        requests.Add(("no form", () => new HttpRequestMessage(HttpMethod.Post, $"{links.Page}/acknowledge")));
        requests.Add(("JSON, not a form", () => new HttpRequestMessage(HttpMethod.Post, $"{links.Page}/acknowledge")
        {
            Content = new StringContent($"{{\"formToken\":\"{links.FormToken}\"}}", System.Text.Encoding.UTF8, "application/json"),
        }));
        requests.Add(("form token twice", () => Form($"{links.Page}/acknowledge", [("formToken", links.FormToken), ("formToken", links.FormToken)])));
        requests.Add(("form token edited in its last character", () => Form($"{links.Page}/acknowledge",
            [("formToken", links.FormToken[..42] + (links.FormToken[42] == 'A' ? 'E' : 'A'))])));
        requests.Add(("form token 10 KB", () => Form($"{links.Page}/acknowledge", [("formToken", new string('A', 10_000))])));
        requests.Add(("form of 2 MB", () => Form($"{links.Page}/acknowledge", [("formToken", links.FormToken), ("junk", new string('x', 2_000_000))])));
        foreach (var page in new[] { "0", "-1", "abc", "99999999999", "10001", "1&page=2", "1.5", "%00" })
        {
            requests.Add(($"digest page {page}", () => new HttpRequestMessage(HttpMethod.Get, $"{links.Digest}?page={page}")));
        }

        var failures = new List<string>();
        var client = world.As(null);
        foreach (var (name, make) in requests)
        {
            using var request = make();
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500 || Problem(response, text) is null)
            {
                failures.Add($"{name}: {status} {Clip(text)}");
            }
        }

        Assert.That(failures, Is.Empty, string.Join('\n', failures));
        Assert.That(await fingerprint.Take(), Is.EqualTo(before), "a refused request wrote something");
    }

    private static HttpRequestMessage Form(string url, IEnumerable<(string Name, string Value)> fields) =>
        new(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))) };

    /// <summary>C0 controls other than tab and newline (NUL, ESC, a lone CR), DEL, and invisible format characters.</summary>
    private static readonly string[] Invisible = ["\u0000", "\u0001", "\u001b", "\r", "\u007f", "\u0085", "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e"];

    [Test]
    public async Task EveryTextField_WithAControlOrZeroWidthCharacter_Answers400AndWritesNothing()
    {
        var routes = JsonRoutes.Of(app.Services);
        var fingerprint = await Fingerprint.For(app);
        var failures = new List<string>();
        var sent = 0;

        foreach (var route in routes)
        {
            var (entry, caller) = JsonRoutes.Accepting(route);
            var client = world.As(caller.Login);
            var probe = await entry.Build(world, caller);
            var before = await fingerprint.Take();
            foreach (var (path, text) in Strings(probe.Json!, ""))
            {
                foreach (var bad in Invisible)
                {
                    var json = probe.Json!.DeepClone();
                    Set(json, path, text.Length < 2 ? bad + text : text[..1] + bad + text[1..]);
                    using var response = await client.SendAsync((probe with { Json = json }).ToMessage());
                    var answer = await response.Content.ReadAsStringAsync();
                    sent++;
                    if ((int)response.StatusCode != 400 || Problem(response, answer) is null)
                    {
                        failures.Add($"{route} with U+{(int)bad[0]:X4} in {path}: {(int)response.StatusCode} {Clip(answer)}");
                        probe = await entry.Build(world, caller);
                        before = await fingerprint.Take();
                        continue;
                    }

                    if (await fingerprint.Take() != before)
                    {
                        failures.Add($"{route} with U+{(int)bad[0]:X4} in {path}: refused but the database changed");
                        before = await fingerprint.Take();
                    }
                }
            }
        }

        TestContext.Progress.WriteLine($"invisible characters: {sent} requests to {routes.Count} JSON routes, {failures.Count} failures");
        Assert.That(sent, Is.GreaterThan(200));
        Assert.That(failures, Is.Empty, string.Join('\n', failures.Take(60)));
    }

    [Test]
    public async Task TextField_WithTabsAndLineBreaks_IsKeptAsSent()
    {
        var body = World.ReportBody("制表\t换行");
        body["description"] = "第一行\r\n第二行\n\t缩进";

        var response = await world.As("grid").PostJson("/api/v1/cases", body);

        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        var created = await response.Json();
        Assert.That(created["title"]!.GetValue<string>(), Is.EqualTo("制表\t换行"));
        Assert.That(created["description"]!.GetValue<string>(), Is.EqualTo("第一行\r\n第二行\n\t缩进"));
    }

    [Test]
    public async Task TextField_WithANul_NamesTheFieldAndTheRule()
    {
        var body = World.ReportBody("标题\u0000隐藏");

        var response = await world.As("grid").PostJson("/api/v1/cases", body);

        var problem = await response.AssertProblem(400, "text.control_character");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("title"));
    }

    /// <summary>Spreadsheets that unpack huge, nest deep, lie about their sizes, or are neither UTF-8 nor GB18030 CSV.</summary>
    private static IEnumerable<(string Name, byte[] File, string FileName)> HostileFiles()
    {
        yield return ("one 50 MB shared string", Features.Imports.Workbooks.OneHugeString(50_000_000), "a.xlsx");
        yield return ("shared strings over their declared count", Features.Imports.Workbooks.ManyTinyStrings(5000, 10), "a.xlsx");
        yield return ("shared strings declared past the limit", Features.Imports.Workbooks.ManyTinyStrings(10, 5_000_000), "a.xlsx");
        yield return ("a 200 MB sheet", Features.Imports.Workbooks.HugeSheet(2_000_000), "a.xlsx");
        yield return ("elements nested 10,000 deep", Features.Imports.Workbooks.DeepNesting(10_000), "a.xlsx");
        yield return ("a 1 MB attribute", Features.Imports.Workbooks.HugeAttribute(1_000_000), "a.xlsx");
        yield return ("a zip that is no workbook", Features.Imports.Workbooks.NotAWorkbook(), "a.xlsx");
        yield return ("a CSV field of 200,000 characters", Encoding.UTF8.GetBytes("编码,名称,上级编码\r\n500103001061," + new string('x', 200_000) + ",500103001\r\n"), "a.csv");
        yield return ("a CSV row of 20,000 columns", Encoding.UTF8.GetBytes("编码,名称,上级编码" + new string(',', 20_000) + "\r\n"), "a.csv");
        yield return ("a CSV in neither UTF-8 nor GB18030", [0x31, 0x2C, 0xFF, 0xFF, 0xFF, 0x0D, 0x0A], "a.csv");
    }

    [Test]
    public async Task ImportUpload_WithHostileFiles_AnswersProblemsAndWritesNothing()
    {
        var fingerprint = await Fingerprint.For(app);
        var before = await fingerprint.Take();
        var failures = new List<string>();

        foreach (var (name, file, fileName) in HostileFiles())
        {
            foreach (var kind in new[] { "orgUnits", "units", "users" })
            {
                using var response = await Features.Imports.ImportDriver.Send(world.As("admin"), kind, file, mode: "apply", fileName: fileName);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode is not (400 or 413 or 415) || Problem(response, text) is null)
                {
                    failures.Add($"{name} as {kind}: {(int)response.StatusCode} {Clip(text)}");
                }
            }
        }

        Assert.That(failures, Is.Empty, string.Join('\n', failures));
        Assert.That(await fingerprint.Take(), Is.EqualTo(before), "a refused upload writes nothing");
    }

    /// <summary>Every string value in a body, with its path (object members and array indexes).</summary>
    private static IEnumerable<(string Path, string Text)> Strings(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (child is not null)
                    {
                        foreach (var found in Strings(child, path.Length == 0 ? key : $"{path}.{key}"))
                        {
                            yield return found;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        foreach (var found in Strings(item, $"{path}[{i}]"))
                        {
                            yield return found;
                        }
                    }
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return (path, text);
                break;
        }
    }

    private static void Set(JsonNode root, string path, string value)
    {
        var steps = System.Text.RegularExpressions.Regex.Matches(path, @"[^.\[\]]+|\[\d+\]").Select(m => m.Value).ToList();
        var node = root;
        for (var i = 0; i < steps.Count - 1; i++)
        {
            node = steps[i].StartsWith('[') ? node[int.Parse(steps[i][1..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node[steps[i]]!;
        }

        var last = steps[^1];
        if (last.StartsWith('['))
        {
            node[int.Parse(last[1..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            node[last] = value;
        }
    }

    private static JsonNode? Problem(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(text);
            return node?["code"]?.GetValue<string>() is { Length: > 0 } && node["type"]?.GetValue<string>() is { Length: > 0 } ? node : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Clip(string body) => body.Length <= 400 ? body : body[..400] + "...";
}
