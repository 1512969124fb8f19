using System.ComponentModel.DataAnnotations;
using System.Text;
using Hazards.Api.Features.Places;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Mediator;
using MiniExcelLibs;

namespace Hazards.Api.Features.Imports;

public static class ImportEndpoints
{
    public static RouteGroupBuilder MapImports(this RouteGroupBuilder api)
    {
        var options = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<ImportOptions>();
        var group = api.MapGroup("/imports").WithTags("Imports");
        group.MapPost("/", Start).WithName("StartImport").DisableAntiforgery()
            .WithMetadata(new BodySizeLimit(options.MaxBytes + RequestLimits.UploadOverheadBytes))
            .WithMultipart(
                new FormField("kind", "What the file holds.", Required: true, Values: Enum.GetValues<ImportKind>().Select(Wire.Name).ToList()),
                new FormField("mode", "dryRun (the default) checks every row and changes nothing; apply makes the changes.", Values: ["dryRun", "apply"]),
                new FormField("file", "XLSX, or UTF-8 CSV, with the template's headers; for boundaries one GeoJSON FeatureCollection (RFC 7946, WGS-84) "
                    + "whose features name their org unit by properties.code (or id). At most Imports:MaxBytes.", Required: true, File: true));
        group.MapGet("/{id:guid}", Get).WithName("GetImport");
        group.MapGet("/templates/{kind}", Template).WithName("GetImportTemplate");
        return api;
    }

    /// <summary>
    /// multipart/form-data: <c>kind</c> (orgUnits, units, users, boundaries), <c>mode</c> (dryRun, the default, or apply) and
    /// <c>file</c> (XLSX or UTF-8 CSV with the template's headers; for boundaries a GeoJSON FeatureCollection). The file's size,
    /// format and headers are checked before any work (a boundaries file: its JSON, its codes and every feature's shape, 400
    /// at the first fault, with the feature's <c>row</c>); the rest runs as a job: 202 with the import to poll.
    /// </summary>
    private static async Task<Accepted<ImportView>> Start(
        HttpRequest request, ISender sender, ImportOptions options, LocationOptions location, SpreadsheetLimits limits, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "import.multipart_required",
                "Send the file as multipart/form-data with the fields kind, mode and file.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            throw ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? new ProblemException(StatusCodes.Status413PayloadTooLarge, "import.too_large", "The file is larger than Imports:MaxBytes.")
                : ProblemException.BadRequest("import.form_invalid", "The multipart form could not be read.");
        }

        var kind = Wire.TryParse<ImportKind>(form["kind"].ToString(), out var k) ? k
            : throw ProblemException.BadRequest("import.invalid_kind", "kind is orgUnits, units, users or boundaries.");
        var mode = form["mode"].ToString();
        var dryRun = mode is "" or "dryRun" ? true : mode == "apply" ? false
            : throw ProblemException.BadRequest("import.invalid_mode", "mode is dryRun (the default) or apply.");
        var file = form.Files.GetFile("file") ?? throw ProblemException.BadRequest("import.file_required", "The form has no file; send it in a field named 'file'.");
        if (file.Length > options.MaxBytes)
        {
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "import.too_large", "The file is larger than Imports:MaxBytes.");
        }

        var id = Guid.CreateVersion7();
        var path = ImportProcessor.FilePath(options, id);
        Directory.CreateDirectory(options.Root);
        try
        {
            await using (var target = File.Create(path))
            {
                await file.CopyToAsync(target, ct);
            }

            var (format, rows) = CheckFile(path, kind, location, limits);
            StartImportHandler.CheckRows(options, rows);
            var view = await sender.Send(new StartImportCommand(id, kind, dryRun, Path.GetFileName(file.FileName), format), ct);
            return TypedResults.Accepted($"/api/v1/imports/{view.Id}", view);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// 415 for anything but XLSX or CSV (UTF-8 or GB18030); 413 for a file that unpacks past <see cref="SpreadsheetLimits"/>;
    /// 400 for headers that are not the template's (<see cref="ImportHeaders"/>). A boundaries file is read whole and refused
    /// at its first fault (<see cref="BoundaryFile"/>).
    /// </summary>
    /// <summary>The file's format and its number of data rows (features are not counted), refused as a problem before any work.</summary>
    public static (ImportFormat Format, int Rows) CheckFile(string path, ImportKind kind, LocationOptions location, SpreadsheetLimits limits)
    {
        if (kind == ImportKind.Boundaries)
        {
            _ = BoundaryFile.Read(path, location);
            return (ImportFormat.GeoJson, 0);
        }

        var format = TabularFile.Sniff(path) ?? throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "import.unsupported_format",
            "The file is neither XLSX nor CSV in UTF-8 or GB18030.");
        try
        {
            return (format, ImportHeaders.Check(path, format, kind, limits));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException or InvalidOperationException or ArgumentException
            or System.Xml.XmlException or NotSupportedException)
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "import.unsupported_format", "The file could not be read as " + Wire.Name(format) + ".");
        }
    }

    /// <summary>The import with a page of its refused rows (<c>errorsLimit</c>, <c>errorsCursor</c>).</summary>
    private static async Task<Ok<ImportView>> Get(Guid id, [Range(1, Paging.MaxLimit)] int? errorsLimit, string? errorsCursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetImportQuery(id, errorsLimit, errorsCursor), ct));

    /// <summary>
    /// The template of a kind: its Chinese headers and one example row, as XLSX (default) or CSV (UTF-8 with a BOM); for
    /// boundaries a small FeatureCollection (<c>application/geo+json</c>: a village of the demo and one of its grids).
    /// </summary>
    private static IResult Template(string kind, string? format)
    {
        var parsed = Wire.TryParse<ImportKind>(kind, out var k) ? k : throw ProblemException.NotFound("import_template");
        if (parsed == ImportKind.Boundaries)
        {
            return format is null or "geojson"
                ? TypedResults.File(Encoding.UTF8.GetBytes(BoundaryTemplate.Json()), "application/geo+json", "boundaries-template.geojson")
                : throw ProblemException.BadRequest("import.invalid_format", "The boundaries template is GeoJSON: leave format out or give geojson.");
        }

        var columns = ImportKinds.Columns(parsed);
        var name = Uri.EscapeDataString($"{Wire.Name(parsed)}-template");
        switch (format ?? "xlsx")
        {
            case "csv":
                var csv = new StringBuilder();
                csv.AppendLine(string.Join(',', columns.Select(c => c.Header)));
                csv.AppendLine(string.Join(',', columns.Select(c => c.Example.Contains(',') ? $"\"{c.Example}\"" : c.Example)));
                return TypedResults.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())], "text/csv; charset=utf-8", name + ".csv");
            case "xlsx":
                var stream = new MemoryStream();
                var row = columns.ToDictionary(c => c.Header, c => (object?)c.Example);
                MiniExcel.SaveAs(stream, new[] { row }, excelType: ExcelType.XLSX);
                return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
            default:
                throw ProblemException.BadRequest("import.invalid_format", "format is xlsx or csv.");
        }
    }
}
