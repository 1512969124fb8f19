using System.Text;
using Hazards.Api.Infrastructure.Errors;
using Mediator;
using Microsoft.Net.Http.Headers;

namespace Hazards.Api.Features.Reports;

public static class ReportEndpoints
{
    public static readonly IReadOnlyList<string> Formats = ["json", "csv", "xlsx", "html"];

    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/clearance", Clearance).WithTags("Reports").WithName("GetClearanceReport");
        return api;
    }

    private static async Task<Results<Ok<ClearanceReport>, FileContentHttpResult, ContentHttpResult>> Clearance(
        string? orgUnit, string? from, string? to, string? format, ISender sender, ChildBoundaries boundaries, HttpResponse response, CancellationToken ct)
    {
        var kind = format ?? "json";
        if (!Formats.Contains(kind))
        {
            throw ProblemException.BadRequest("report.invalid_format", $"format must be one of {string.Join(", ", Formats)}.");
        }

        var report = await sender.Send(new GetClearanceReportQuery(orgUnit, from, to), ct);
        return kind switch
        {
            "csv" => Download(response, report, "csv", ClearanceCsv.Render(report), ClearanceCsv.ContentType),
            "xlsx" => Download(response, report, "xlsx", ClearanceXlsx.Render(report), ClearanceXlsx.ContentType),
            "html" => TypedResults.Content(ClearanceHtml.Render(report, await boundaries.Of(report, ct)), "text/html", Encoding.UTF8),
            _ => TypedResults.Ok(report),
        };
    }

    /// <summary>
    /// The Content-Disposition is written here rather than by <c>TypedResults.File</c>, whose ASCII <c>filename</c> would be
    /// the Chinese name with every character replaced by <c>_</c>: a readable ASCII name beside the UTF-8 <c>filename*</c>.
    /// </summary>
    private static FileContentHttpResult Download(HttpResponse response, ClearanceReport report, string extension, byte[] content, string contentType)
    {
        var disposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = ReportLabels.AsciiFileName(report, extension),
            FileNameStar = ReportLabels.FileName(report, extension),
        };
        response.Headers.ContentDisposition = disposition.ToString();
        return TypedResults.File(content, contentType);
    }
}
