using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Attachments;

/// <summary>The files of a case, for whoever sees the case; a case outside scope is 404.</summary>
public sealed record ListCaseAttachmentsQuery(Guid CaseId) : IQuery<CaseAttachmentList>;

public sealed record CaseAttachmentList(IReadOnlyList<CaseAttachment> Items);

public sealed class ListCaseAttachmentsHandler(DbSession db, ICurrentUser user, CaseLookup cases, CaseHistory history)
    : IQueryHandler<ListCaseAttachmentsQuery, CaseAttachmentList>
{
    public async ValueTask<CaseAttachmentList> Handle(ListCaseAttachmentsQuery query, CancellationToken ct)
    {
        if (!await cases.IsVisible(query.CaseId, user.Actor, ct))
        {
            throw ProblemException.NotFound("case");
        }

        var entries = (await history.Rows(query.CaseId, ct)).Select(CaseViews.Entry).ToList();
        return new CaseAttachmentList(await CaseAttachments.Read(db, query.CaseId, entries, ct));
    }
}
