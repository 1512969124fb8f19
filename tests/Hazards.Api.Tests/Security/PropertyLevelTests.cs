using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Security;

/// <summary>
/// OWASP API3: no JSON route lets a client set what the server owns. Each route gets its
/// valid body twice, once plain and once with forged server fields. A forged field the request does not declare is
/// refused, named, with nothing written; one it does declare must leave the answer as the plain one.
/// </summary>
[Category("Slow")]
public sealed class PropertyLevelTests
{
    private static readonly string ForgedId = "0190f0a0-dead-7000-8000-00000000beef";

    /// <summary>Fields the server owns, with values a client might hope to plant.</summary>
    private static readonly Dictionary<string, Func<JsonNode>> Forged = new()
    {
        ["id"] = () => ForgedId,
        ["caseId"] = () => ForgedId,
        ["code"] = () => "YH-500103-2026-999999",
        ["status"] = () => "closed",
        ["version"] = () => 99,
        ["penalty"] = () => "exempt",
        ["listed"] = () => true,
        ["listedLevel"] = () => "city",
        ["escalationStep"] = () => 4,
        ["fakeRectification"] = () => true,
        ["reworkCount"] = () => 9,
        ["extensionCount"] = () => 9,
        ["selfReported"] = () => true,
        ["reportedBy"] = () => "admin",
        ["submittedBy"] = () => "admin",
        ["createdAt"] = () => "2000-01-01T00:00:00Z",
        ["late"] = () => true,
    };

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
    public async Task EveryJsonRoute_WithForgedServerFields_AnswersAsWithoutThem()
    {
        var routes = JsonRoutes.Of(app.Services);
        var failures = new List<string>();

        foreach (var route in routes)
        {
            var (entry, caller) = JsonRoutes.Accepting(route);
            var plain = await Send(await entry.Build(world, caller), caller, forge: false);
            var forged = await Send(await entry.Build(world, caller), caller, forge: true);
            if (plain is null || forged is null)
            {
                failures.Add($"{entry} as {caller}: plain or forged request was refused");
                continue;
            }

            foreach (var field in Forged.Keys.Where(k => forged[k] is not null))
            {
                var planted = Forged[field]().ToJsonString();
                var answered = forged[field]!.ToJsonString();
                var same = field is "id" or "code" or "createdAt"
                    ? answered != planted
                    : answered == plain[field]?.ToJsonString();
                if (!same)
                {
                    failures.Add($"{entry}: '{field}' answered {answered} after the client sent {planted} (plain request: {plain[field]?.ToJsonString()})");
                }
            }
        }

        TestContext.Progress.WriteLine($"property-level: {routes.Count} JSON routes checked against {Forged.Count} forged server fields");
        Assert.That(routes, Is.Not.Empty);
        Assert.That(failures, Is.Empty, string.Join('\n', failures));
    }

    private async Task<JsonObject?> Send(Probe probe, Caller caller, bool forge)
    {
        var body = probe.Json!.DeepClone().AsObject();
        if (forge)
        {
            foreach (var (field, value) in Forged)
            {
                if (!body.ContainsKey(field))
                {
                    body[field] = value();
                }
            }
        }

        // Each undeclared forged field is refused in turn, naming it and writing nothing; what is left is declared.
        var fingerprint = await Fingerprint.For(app);
        while (true)
        {
            var before = await fingerprint.Take();
            using var response = await world.As(caller.Login).SendAsync((probe with { Json = body }).ToMessage());
            var text = await response.Content.ReadAsStringAsync();
            if (forge && (int)response.StatusCode == 400 && JsonNode.Parse(text)?["field"]?.GetValue<string>() is { } refused)
            {
                Assert.That(JsonNode.Parse(text)!["code"]!.GetValue<string>(), Is.EqualTo("validation.unknown_field"), $"{probe.Url}: {text}");
                Assert.That(Forged.ContainsKey(refused) && body.ContainsKey(refused), $"{probe.Url} refused '{refused}', which was not forged: {text}");
                Assert.That(await fingerprint.Take(), Is.EqualTo(before), $"{probe.Url}: refusing '{refused}' changed the database");
                body.Remove(refused);
                continue;
            }

            Assert.That((int)response.StatusCode, Is.InRange(200, 299), $"{probe.Url} forge={forge}: {text}");
            var node = JsonNode.Parse(text)!.AsObject();
            return node["record"] is JsonObject record ? record : node;
        }
    }
}
