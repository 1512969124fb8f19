using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Attachments;

/// <summary>An evidence file, either straight onto a case or, before a report exists, held for its uploader.</summary>
public sealed record UploadAttachmentCommand(Guid? CaseId, string FileName, Func<Stream> Open) : ICommand<AttachmentView>;

public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long SizeBytes, string Sha256, Guid? CaseId, DateTimeOffset UploadedAt);

public sealed class UploadAttachmentHandler(DbSession db, ICurrentUser user, TimeProvider clock, AttachmentStore store, CaseLookup cases)
    : ICommandHandler<UploadAttachmentCommand, AttachmentView>
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO attachments (id, sha256, content_type, size_bytes, file_name, case_id, uploaded_by, uploaded_at)
        VALUES (@Id, @Sha256, @ContentType, @SizeBytes, @FileName, @CaseId, @UploadedBy, @UploadedAt)
        """);

    public async ValueTask<AttachmentView> Handle(UploadAttachmentCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        if (command.CaseId is { } caseId)
        {
            // Evidence on a finished case would change nothing and leave no history row: the case's own actions
            // (a spot check, a reopening) bind theirs with the history row that records them.
            var status = await cases.StatusIfVisible(caseId, actor, ct) ?? throw ProblemException.NotFound("case");
            if (status is CaseStatus.Closed or CaseStatus.Rejected)
            {
                throw new DomainRuleException("case.finished",
                    "The case is closed or rejected: evidence is no longer added to it; a spot check or a reopening brings its own.");
            }
        }

        await using var content = command.Open();
        var staged = await store.Stage(content, ct);
        var contentType = AttachmentStore.Sniff(staged.Head);
        if (staged.Size > store.MaxBytes || contentType is null || staged.Size == 0)
        {
            AttachmentStore.Discard(staged);
            throw staged.Size > store.MaxBytes
                ? new ProblemException(StatusCodes.Status413PayloadTooLarge, "attachment.too_large", $"An attachment may be at most {store.MaxBytes} bytes.")
                : new ProblemException(StatusCodes.Status415UnsupportedMediaType, "attachment.unsupported_type", IsHeif(staged.Head)
                    ? "HEIC/HEIF photos (the default of many phones) are not accepted: send the photo as JPEG or PNG "
                      + "(on an iPhone, Settings → Camera → Formats → Most Compatible; or share it as JPEG)."
                    : "Only JPEG, PNG and PDF files are accepted.")
                {
                    Extensions = new Dictionary<string, object?> { ["accepted"] = Accepted },
                };
        }

        store.Keep(staged);
        var view = new AttachmentView(Guid.CreateVersion7(clock.GetUtcNow()), SafeName(command.FileName), contentType, staged.Size, staged.Sha256,
            command.CaseId, clock.GetUtcNow());
        await db.Execute(Insert, new
        {
            view.Id,
            view.Sha256,
            view.ContentType,
            view.SizeBytes,
            view.FileName,
            view.CaseId,
            UploadedBy = actor.Login,
            view.UploadedAt,
        }, ct);
        return view;
    }

    private static readonly string[] Accepted = ["image/jpeg", "image/png", "application/pdf"];

    /// <summary>An ISO base media file whose brand is one of HEIF's (ISO/IEC 23008-12): a phone photo in HEIC or HEIF.</summary>
    private static bool IsHeif(byte[] head)
    {
        string[] brands = ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"];
        return head.Length >= 12 && head.AsSpan(4, 4).SequenceEqual("ftyp"u8)
            && brands.Contains(System.Text.Encoding.ASCII.GetString(head, 8, 4));
    }

    private static string SafeName(string name)
    {
        var cleaned = new string(Path.GetFileName(name).Where(c => !char.IsControl(c)).ToArray()).Trim();
        return cleaned.Length == 0 ? "attachment" : cleaned.Length > 255 ? cleaned[..255] : cleaned;
    }
}
