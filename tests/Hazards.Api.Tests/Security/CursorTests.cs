using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Tests.Support;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Security;

/// <summary>
/// Every paged route of the route table, sent cursors it did not give out: bad base64, cut short, edited, overflowing
/// numbers, impossible dates, another list's cursor. Each answers 400 <c>request.invalid_cursor</c>, never a 500 or a page.
/// </summary>
[Category("Slow")]
public sealed class CursorTests
{
    private const int Seed = 20261208;

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
    public async Task EveryPagedRoute_WithACursorItDidNotIssue_Answers400InvalidCursor()
    {
        var random = new Random(Seed);
        var routes = PagedRoutes();
        var issued = new Dictionary<Route, (string Parameter, string Cursor)>();
        foreach (var (route, parameter) in routes)
        {
            var (url, client) = await Request(route);
            using var response = await client.GetAsync(With(url, Limit(parameter), "1"));
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{route} with limit 1: {await response.Content.ReadAsStringAsync()}");
            if (NextCursor(JsonNode.Parse(await response.Content.ReadAsStringAsync())) is { } cursor)
            {
                issued[route] = (parameter, cursor);
            }
        }

        var failures = new List<string>();
        var sent = 0;
        foreach (var (route, parameter) in routes)
        {
            var (url, client) = await Request(route);
            var own = issued.TryGetValue(route, out var mine) ? mine.Cursor : null;
            var forms = Malformed(random).Concat(own is null ? [] : Tampered(own, random))
                .Concat(issued.Where(i => i.Key.Pattern != route.Pattern).Select(i => ($"the cursor of {i.Key}", i.Value.Cursor)));
            foreach (var (name, cursor) in forms)
            {
                using var response = await client.GetAsync(With(url, parameter, cursor));
                var text = await response.Content.ReadAsStringAsync();
                sent++;
                if ((int)response.StatusCode != 400 || !text.Contains("\"request.invalid_cursor\"", StringComparison.Ordinal))
                {
                    failures.Add($"{route} with {name} ({Clip(cursor)}): {(int)response.StatusCode} {Clip(text)}");
                }
            }
        }

        TestContext.Progress.WriteLine(
            $"cursors: {sent} requests to {routes.Count} paged routes, {issued.Count} of them with a cursor of their own to tamper with; {failures.Count} failures");
        Assert.That(routes.Select(r => r.Route.Pattern), Is.SupersetOf(new[]
        {
            "/api/v1/cases", "/api/v1/cases/{id:guid}/history", "/api/v1/me/tasks/{list}", "/api/v1/escalations", "/api/v1/admin/history",
            "/api/v1/users", "/api/v1/units", "/api/v1/inspections/due", "/api/v1/imports/{id:guid}",
        }));
        Assert.That(failures, Is.Empty, string.Join('\n', failures.Take(80)));
        Assert.That(issued.Keys.Select(r => r.Pattern), Is.SupersetOf(new[] { "/api/v1/users", "/api/v1/admin/history", "/api/v1/inspections/due" }));
    }

    [Test]
    public async Task EveryPagedRoute_WithTheCursorItIssued_AnswersTheNextPage()
    {
        foreach (var (route, parameter) in PagedRoutes())
        {
            var (url, client) = await Request(route);
            using var first = await client.GetAsync(With(url, Limit(parameter), "1"));
            if (NextCursor(JsonNode.Parse(await first.Content.ReadAsStringAsync())) is not { } cursor)
            {
                continue;
            }

            using var next = await client.GetAsync(With(With(url, Limit(parameter), "1"), parameter, cursor));

            Assert.That((int)next.StatusCode, Is.EqualTo(200), $"{route}: {await next.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The GET routes that take a page cursor, read from the parameters each endpoint binds.</summary>
    private List<(Route Route, string Parameter)> PagedRoutes()
    {
        var table = RouteTable.Of(app.Services);
        return
        [
            .. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
                .SelectMany(e => e.Metadata.OfType<IParameterBindingMetadata>()
                    .Where(p => p.Name.Equals("cursor", StringComparison.OrdinalIgnoreCase) || p.Name.EndsWith("Cursor", StringComparison.Ordinal))
                    .Select(p => (Route: table.Single(r => r.Method == "GET" && r.Pattern == "/" + e.RoutePattern.RawText!.Trim('/')), Parameter: p.Name)))
                .Distinct(),
        ];
    }

    private async Task<(string Url, HttpClient Client)> Request(Route route)
    {
        var (entry, caller) = JsonRoutes.Accepting(route);
        var probe = await entry.Build(world, caller);
        return (probe.Url, world.As(caller.Login));
    }

    private static string Limit(string cursorParameter) => cursorParameter == "cursor" ? "limit" : cursorParameter.Replace("Cursor", "Limit", StringComparison.Ordinal);

    private static string With(string url, string name, string value)
    {
        var bare = Regex.Replace(url, $"([?&]){name}=[^&]*&?", "$1").TrimEnd('&', '?');
        return $"{bare}{(bare.Contains('?') ? '&' : '?')}{name}={Uri.EscapeDataString(value)}";
    }

    private static string? NextCursor(JsonNode? node) => node switch
    {
        JsonObject o when o["nextCursor"] is JsonValue v && v.TryGetValue<string>(out var cursor) => cursor,
        JsonObject o => o.Select(p => NextCursor(p.Value)).FirstOrDefault(c => c is not null),
        _ => null,
    };

    /// <summary>Cursors no list gives out, whatever the list.</summary>
    private static IEnumerable<(string Name, string Cursor)> Malformed(Random random)
    {
        string[] typed = ["99999999999999999999", "9223372036854775807", "-1", "2026-02-30T25:61:00Z", "0001-01-01T00:00:00+14:00", "not-a-guid", "", "1e9"];
        yield return ("not base64", "!!!not base64!!!");
        yield return ("one base64 character too many", "AAAAA");
        yield return ("padding only", "====");
        yield return ("plain text", "next");
        yield return ("a NUL", "\0");
        yield return ("a long run of one character", new string('A', 196));
        yield return ("random bytes", Base64Url(RandomBytes(random, 24)));
        yield return ("invalid UTF-8", Base64Url([0xC3, 0x28, 0xFF, 0xFE, .. RandomBytes(random, 8)]));
        foreach (var kind in new[] { "c1", "h1", "n1", "s1", "b1", "rm1", "admin", "users", "units", "import-errors", "t1-toFix" })
        {
            foreach (var value in typed)
            {
                yield return ($"untagged {kind} with {value}", Base64Url(Encoding.UTF8.GetBytes($"{kind}|{value}|{value}")));
            }
        }

        foreach (var value in typed)
        {
            yield return ($"a cursor of no list's kind with {value}", Cursor.Encode("zz", value));
        }

        // Tagged as this service tags them, so only the fields can tell: lists whose position is free text (a login, an
        // org path) would rightly read these as a position, so they are left out.
        foreach (var kind in new[] { "c1", "h1", "n1", "s1", "b1", "admin", "units", "import-errors", "t1-toFix" })
        {
            foreach (var count in new[] { 1, 2, 3 })
            {
                foreach (var value in typed)
                {
                    yield return ($"{kind} with {count} fields of '{value}'", Cursor.Encode(kind, [.. Enumerable.Repeat(value, count)]));
                }
            }
        }
    }

    /// <summary>A cursor the route gave out, edited: cut, lengthened, characters changed, and its fields rewritten with bad values.</summary>
    private static IEnumerable<(string Name, string Cursor)> Tampered(string cursor, Random random)
    {
        yield return ("its last character cut", cursor[..^1]);
        yield return ("its first character cut", cursor[1..]);
        yield return ("cut in half", cursor[..(cursor.Length / 2)]);
        yield return ("a character added", cursor + "A");
        yield return ("a piece of itself appended", cursor + cursor[..8]);
        for (var i = 0; i < 24; i++)
        {
            var at = random.Next(cursor.Length);
            var replacement = Alphabet[random.Next(Alphabet.Length)];
            var edited = cursor[..at] + replacement + cursor[(at + 1)..];
            if (!SameBytes(edited, cursor))
            {
                yield return ($"character {at} changed", edited);
            }
        }

        var kind = Encoding.UTF8.GetString(FromBase64Url(cursor)).Split('|')[0];
        var fields = (string[])[kind, .. Enumerable.Range(1, 4).Select(n => Fields(cursor, kind, n)).First(f => f is not null)!];
        for (var f = 1; f < fields.Length; f++)
        {
            if (!Typed(fields[f]))
            {
                continue;
            }

            foreach (var value in new[] { "99999999999999999999", "9223372036854775807", "3155378975999999999", "-1", "2026-02-30T25:61:00Z", "x", "" })
            {
                var edited = (string[])fields.Clone();
                edited[f] = value;
                yield return ($"field {f} rewritten to '{value}' with a matching tag", Cursor.Encode(edited[0], edited[1..]));
            }
        }
    }

    private static string[]? Fields(string cursor, string kind, int count)
    {
        try
        {
            return Cursor.Decode(cursor, kind, count);
        }
        catch (Hazards.Api.Infrastructure.Errors.ProblemException)
        {
            return null;
        }
    }

    /// <summary>A field the list reads as a number, an id or an instant, rather than as text it compares.</summary>
    private static bool Typed(string field) =>
        long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out _) || Guid.TryParse(field, out _)
        || DateTimeOffset.TryParse(field, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }

    /// <summary>The last character of unpadded base64 carries bits nobody reads: changing only those changes nothing.</summary>
    private static bool SameBytes(string edited, string cursor)
    {
        try
        {
            return FromBase64Url(edited).SequenceEqual(FromBase64Url(cursor));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
