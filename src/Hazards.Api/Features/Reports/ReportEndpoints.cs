using System.Text;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

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
        string? orgUnit, string? from, string? to, string? format, ISender sender, CancellationToken ct)
    {
        var kind = format ?? "json";
        if (!Formats.Contains(kind))
        {
            throw ProblemException.BadRequest("report.invalid_format", $"format must be one of {string.Join(", ", Formats)}.");
        }

        var report = await sender.Send(new GetClearanceReportQuery(orgUnit, from, to), ct);
        return kind switch
        {
            "csv" => TypedResults.File(ClearanceCsv.Render(report), ClearanceCsv.ContentType, ReportLabels.FileName(report, "csv")),
            "xlsx" => TypedResults.File(ClearanceXlsx.Render(report), ClearanceXlsx.ContentType, ReportLabels.FileName(report, "xlsx")),
            "html" => TypedResults.Content(ClearanceHtml.Render(report), "text/html", Encoding.UTF8),
            _ => TypedResults.Ok(report),
        };
    }
}
