using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Mediator;

namespace Hazards.Api.Features.Attachments;

public static class AttachmentEndpoints
{
    public static RouteGroupBuilder MapAttachments(this RouteGroupBuilder api)
    {
        var limit = new BodySizeLimit(((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<AttachmentOptions>().MaxBytes + RequestLimits.UploadOverheadBytes);
        api.MapPost("/attachments", (HttpRequest request, ISender sender, CancellationToken ct) => Upload(null, request, sender, ct))
            .WithTags("Attachments").WithName("UploadAttachment").DisableAntiforgery().WithMetadata(limit).WithMultipart(File)
            .WithSummary("Upload a photo or document, to name in a report, a fix or a spot check")
            .WithDescription("JPEG, PNG or PDF, recognised by its content, not its name; a HEIC phone photo is refused with what to send instead. Answers the attachment's id.");
        api.MapPost("/cases/{id:guid}/attachments", (Guid id, HttpRequest request, ISender sender, CancellationToken ct) => Upload(id, request, sender, ct))
            .WithTags("Attachments").WithName("UploadCaseAttachment").DisableAntiforgery().WithMetadata(limit).WithMultipart(File);
        api.MapGet("/cases/{id:guid}/attachments", async (Guid id, ISender sender, CancellationToken ct) =>
            TypedResults.Ok(await sender.Send(new ListCaseAttachmentsQuery(id), ct))).WithTags("Attachments").WithName("ListCaseAttachments");
        api.MapGet("/attachments/{id:guid}", Download).WithTags("Attachments").WithName("GetAttachment");
        return api;
    }

    private static readonly FormField File = new("file", "The photo or document: JPEG, PNG or PDF, at most Attachments:MaxBytes.", Required: true, File: true);

    private static async Task<Created<AttachmentView>> Upload(Guid? caseId, HttpRequest request, ISender sender, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "attachment.multipart_required",
                "Send the file as multipart/form-data in a field named 'file'.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "attachment.too_large", "The upload is too large.");
        }
        catch (InvalidDataException ex)
        {
            throw ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? new ProblemException(StatusCodes.Status413PayloadTooLarge, "attachment.too_large", "The upload is too large.")
                : ProblemException.BadRequest("attachment.form_invalid", "The multipart form could not be read.");
        }

        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault()
            ?? throw ProblemException.BadRequest("attachment.file_missing", "The form has no file; send it in a field named 'file'.");
        var view = await sender.Send(new UploadAttachmentCommand(caseId, file.FileName, file.OpenReadStream), ct);
        return TypedResults.Created($"/api/v1/attachments/{view.Id}", view);
    }

    private static async Task<PhysicalFileHttpResult> Download(Guid id, ISender sender, CancellationToken ct)
    {
        var file = await sender.Send(new GetAttachmentQuery(id), ct);
        return TypedResults.PhysicalFile(file.Path, file.ContentType, file.FileName);
    }
}
