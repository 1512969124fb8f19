using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Security;

/// <summary>
/// OWASP API1 and API5: every route of the route table × every role in scope and out of
/// scope, plus anonymous, against <see cref="Probes"/>. A route without a row fails, naming the route.
/// </summary>
[Category("Slow")]
public sealed class AuthorizationMatrixTests
{
    private const string SecretPhone = "13912345678";
    private const string SecretEmail = "only.unit.one@matrix.example";

    private HazardsApp app = null!;
    private World world = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await new HazardsApp(new Dictionary<string, string?>(World.Settings)).WithDemo();
        world = new World(app);
        var response = await world.As("officer").PostJson("/api/v1/units", Probes.UnitBody(SecretPhone, SecretEmail));
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [Test]
    public void RouteTable_EveryRouteHasARowInTheMatrixAndEveryRowARoute()
    {
        var routes = RouteTable.Of(app.Services);

        Assert.Multiple(() =>
        {
            Assert.That(Missing(routes), Is.Empty, "routes the app maps without a row in Probes.All; add one with its expected statuses");
            Assert.That(Probes.All.Select(e => e.Route).Distinct().Except(routes).Select(r => r.ToString()), Is.Empty,
                "rows in Probes.All for routes the app no longer maps");
        });
    }

    [Test]
    public async Task Matrix_EveryRouteRoleAndScope_AnswersAsTheTableSaysAndRefusalsWriteNothing()
    {
        var routes = RouteTable.Of(app.Services);
        Assert.That(Missing(routes), Is.Empty, "routes the app maps without a row in Probes.All; add one with its expected statuses");
        var fingerprint = await Fingerprint.For(app);
        var failures = new List<string>();
        var probes = 0;

        foreach (var entry in Probes.All)
        {
            foreach (var caller in Caller.All)
            {
                var probe = await entry.Build(world, caller);
                var before = await fingerprint.Take();
                using var response = await world.As(caller.Login).SendAsync(probe.ToMessage());
                var body = await response.Content.ReadAsStringAsync();
                probes++;
                var status = (int)response.StatusCode;
                var expected = entry.Expect.For(caller);
                if (status != expected)
                {
                    failures.Add($"{entry} as {caller}: expected {expected}, got {status} {Clip(body)}");
                    continue;
                }

                if (status >= 400)
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !HasCodeAndType(body))
                    {
                        failures.Add($"{entry} as {caller}: {status} without a problem document carrying a code and a type: {Clip(body)}");
                    }

                    if (await fingerprint.Take() != before)
                    {
                        failures.Add($"{entry} as {caller}: answered {status} but the database changed");
                    }
                }

                if (!caller.InScope && (body.Contains(SecretPhone, StringComparison.Ordinal) || body.Contains(SecretEmail, StringComparison.Ordinal)))
                {
                    failures.Add($"{entry} as {caller}: the answer carries unit one's responsible person's contact");
                }
            }
        }

        var rows = Probes.All.Count;
        TestContext.Progress.WriteLine(
            $"authorization matrix: {routes.Count} routes in {rows} rows × {Caller.All.Count} callers (5 roles in and out of scope, anonymous) = {probes} probes");
        Assert.That(failures, Is.Empty, string.Join('\n', failures));
    }

    private static List<string> Missing(IReadOnlyList<Route> routes) =>
        routes.Where(r => Probes.All.All(e => e.Route != r)).Select(r => r.ToString()).ToList();

    private static bool HasCodeAndType(string body)
    {
        try
        {
            var problem = JsonNode.Parse(body);
            return problem?["code"]?.GetValue<string>() is { Length: > 0 } && problem["type"]?.GetValue<string>() is { Length: > 0 };
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Clip(string body) => body.Length <= 300 ? body : new StringBuilder(body, 0, 300, 303).Append("...").ToString();
}
