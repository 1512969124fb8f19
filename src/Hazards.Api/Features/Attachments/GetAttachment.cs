using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Attachments;

public sealed record GetAttachmentQuery(Guid Id) : IQuery<AttachmentFile>;

public sealed record AttachmentFile(string Path, string ContentType, string FileName, Guid? CaseId);

public sealed class GetAttachmentHandler(AttachmentFiles files, ICurrentUser user) : IQueryHandler<GetAttachmentQuery, AttachmentFile>
{
    public async ValueTask<AttachmentFile> Handle(GetAttachmentQuery query, CancellationToken ct) => await files.Open(query.Id, user.Actor, ct);
}

/// <summary>A case's files are seen by whoever sees the case; a file not yet on a case only by its uploader.</summary>
public sealed class AttachmentFiles(DbSession db, AttachmentStore store, CaseLookup cases)
{
    internal static readonly Sql ById = Sql.Portable("""
        SELECT sha256 AS Sha256, content_type AS ContentType, file_name AS FileName, case_id AS CaseId, uploaded_by AS UploadedBy
        FROM attachments WHERE id = @Id
        """);

    public async Task<AttachmentFile> Open(Guid id, Actor actor, CancellationToken ct)
    {
        var row = await db.Single<Row>(ById, new { Id = id }, ct);
        var visible = row switch
        {
            null => false,
            { CaseId: { } caseId } => await cases.IsVisible(caseId, actor, ct),
            _ => row.UploadedBy == actor.Login,
        };
        if (!visible)
        {
            throw ProblemException.NotFound("attachment");
        }

        return new AttachmentFile(store.PathOf(row!.Sha256), row.ContentType, row.FileName, row.CaseId);
    }

    private sealed class Row
    {
        public string Sha256 { get; set; } = "";

        public string ContentType { get; set; } = "";

        public string FileName { get; set; } = "";

        public Guid? CaseId { get; set; }

        public string UploadedBy { get; set; } = "";
    }
}
