using System.Net;
using System.Net.Http.Json;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Hazards.Api.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Hazards.Api.Tests.Support.Cases;

namespace Hazards.Api.Tests.Features.ApiDocument;

/// <summary>
/// What the route table declares for the document (If-Match, the write limit) is what the routes do.
/// A declaration that a route does not keep, or a kept rule that is not declared, fails here.
/// </summary>
public sealed class EndpointContractTests
{
    private HazardsApp app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await new HazardsApp().WithDemo();

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    /// <summary>Every write is sent an empty body and no If-Match: it answers 428 exactly when it declares If-Match.</summary>
    [Test]
    public async Task EveryWrite_AnswersWithout_IfMatch_428_ExactlyWhenItDeclaresIt()
    {
        var admin = app.ClientFor("admin");
        var declared = new List<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            foreach (var method in methods.Where(m => m is "POST" or "PUT" or "DELETE" or "PATCH"))
            {
                var url = Routes.Fill("/" + endpoint.RoutePattern.RawText!.TrimStart('/'));
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) };
                var response = await admin.SendAsync(request);
                var requires = endpoint.Metadata.GetMetadata<RequiresIfMatch>() is not null;

                Assert.That(response.StatusCode == HttpStatusCode.PreconditionRequired, Is.EqualTo(requires),
                    $"{method} {endpoint.RoutePattern.RawText}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                if (requires)
                {
                    declared.Add(endpoint.RoutePattern.RawText!);
                }
            }
        }

        Assert.That(declared, Does.Contain("/api/v1/cases/{id:guid}/verify").And.Contain("/api/v1/users/{id:guid}").And.Contain("/api/v1/calendar/{year:int}"));
    }

    [Test]
    public async Task EveryAnswerToAWrite_SaysTheLimitItsCallerIsHeldTo()
    {
        var limits = app.Services.GetRequiredService<WriteLimitOptions>();
        var grid = app.ClientFor("grid");

        var created = await grid.PostJson("/api/v1/cases", Patrol());
        var refused = await grid.PostJson("/api/v1/cases", new { title = "" });
        var tooLarge = await grid.PostAsync("/api/v1/cases", new ByteArrayContent(new byte[2 * 1024 * 1024]));
        var unsigned = await app.ClientFor(null).PostJson("/api/v1/cases", Patrol());
        var read = await grid.GetAsync("/api/v1/cases");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(tooLarge.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        foreach (var answer in new[] { created, refused, tooLarge })
        {
            Assert.That(answer.Headers.GetValues(RequestLimits.LimitHeader), Is.EqualTo(new[] { limits.PermitsPerMinute.ToString() }), $"{(int)answer.StatusCode}");
        }

        Assert.That(unsigned.Headers.GetValues(RequestLimits.LimitHeader), Is.EqualTo(new[] { limits.AnonymousPermitsPerMinute.ToString() }));
        Assert.That(read.Headers.Contains(RequestLimits.LimitHeader), Is.False, "reads are not limited, so no limit is announced");
    }
}
