using System.Text.Json;
using Hazards.Client;
using Hazards.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

// The loop of a hazard as a field app runs it, through the generated client alone: a grid worker reports (and
// retries the report with the same Idempotency-Key, as a phone on a bad line would), the township officer triages it
// to the unit, the unit uploads a photo and submits the fix, a stale If-Match is refused as a typed problem, and the
// officer signs the fix off. What happened is printed as one JSON object for ClientLoopTests to check.
var baseUrl = Setting("HAZARDS_URL");
var unitId = Guid.Parse(Setting("HAZARDS_UNIT_ID"));
var grid = Client("GRID");
var officer = Client("OFFICER");
var unit = Client("UNIT");
var facts = new Dictionary<string, object?>();

var key = Guid.NewGuid().ToString();
var report = new ReportCaseCommand
{
    Title = "消防通道堵塞",
    Description = "商铺门前堆放杂物，堵塞消防通道约10米",
    Sector = Sector.Fire,
    Origin = Origin.GridPatrol,
    GridCode = "500103001001001",
};
var (reported, reportedTag) = await Tagged(h => grid.Api.V1.Cases.PostAsync(report, c => Configure(c, h, idempotencyKey: key)));
var (retried, _) = await Tagged(h => grid.Api.V1.Cases.PostAsync(report, c => Configure(c, h, idempotencyKey: key)));
facts["reportedId"] = reported.Id;
facts["reportedCode"] = reported.Code;
facts["retriedId"] = retried.Id;
facts["reportedStatus"] = reported.Status?.ToString();

var assign = new AssignCaseCommand { ResponsibleUnitId = unitId };
var (assigned, assignedTag) = await Tagged(h => officer.Api.V1.Cases[reported.Id!.Value].Assign.PostAsync(assign, c => Configure(c, h, ifMatch: reportedTag)));
facts["assignedStatus"] = assigned.Status?.ToString();

var photo = new MultipartBody();
photo.AddOrReplacePart("file", "image/png", new MemoryStream(Convert.FromBase64String(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")), "fix.png");
var uploaded = await unit.Api.V1.Attachments.PostAsync(photo, c => c.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString()));
facts["photoId"] = uploaded!.Id;
facts["photoType"] = uploaded.ContentType;

var fix = new SubmitFixCommand { Note = "杂物已清理，通道畅通", AttachmentIds = [uploaded.Id!.Value] };
var (fixedCase, fixedTag) = await Tagged(h => unit.Api.V1.Cases[reported.Id!.Value].Fix.PostAsync(fix, c => Configure(c, h, ifMatch: assignedTag)));
facts["fixedStatus"] = fixedCase.Status?.ToString();

try
{
    // The version the officer read before the fix: the case has moved on since.
    await officer.Api.V1.Cases[reported.Id!.Value].Verify.PostAsync(new VerifyFixCommand { Passed = true }, c => Configure(c, null, ifMatch: assignedTag));
    facts["staleStatus"] = "accepted";
}
catch (Problem problem)
{
    facts["staleStatus"] = problem.ResponseStatusCode;
    facts["staleCode"] = problem.Code;
}

var (closed, _) = await Tagged(h => officer.Api.V1.Cases[reported.Id!.Value].Verify.PostAsync(
    new VerifyFixCommand { Passed = true, Note = "现场复核，整改到位" }, c => Configure(c, h, ifMatch: fixedTag)));
facts["closedStatus"] = closed.Status?.ToString();
facts["closedAttachments"] = closed.Attachments?.Select(a => a.Id).ToList();

Console.WriteLine(JsonSerializer.Serialize(facts));
return 0;

static string Setting(string name) =>
    Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set.");

HazardsClient Client(string who)
{
    var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new FixedToken(Setting("HAZARDS_TOKEN_" + who))))
    {
        BaseUrl = baseUrl,
    };
    return new HazardsClient(adapter);
}

static void Configure<T>(RequestConfiguration<T> request, HeadersInspectionHandlerOption? headers, string? idempotencyKey = null, string? ifMatch = null)
    where T : class, new()
{
    request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
    if (ifMatch is not null)
    {
        request.Headers.Add("If-Match", ifMatch);
    }

    if (headers is not null)
    {
        request.Options.Add(headers);
    }
}

// The case and the ETag it was answered with: the version to send in If-Match with the next action.
static async Task<(CaseView Case, string ETag)> Tagged(Func<HeadersInspectionHandlerOption, Task<CaseView?>> send)
{
    var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
    var answer = await send(headers) ?? throw new InvalidOperationException("The service answered no case.");
    return (answer, headers.ResponseHeaders["ETag"].Single());
}

internal sealed class FixedToken(string token) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new();

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(token);
}
