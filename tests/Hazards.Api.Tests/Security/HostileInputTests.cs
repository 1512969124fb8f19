using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Security;

/// <summary>
/// Issue 9, item 3 and design §12: thousands of hostile bodies to every JSON route of the route table.
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

    private static JsonNode? Problem(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(text);
            return node?["code"]?.GetValue<string>() is { Length: > 0 } ? node : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Clip(string body) => body.Length <= 400 ? body : body[..400] + "...";
}
