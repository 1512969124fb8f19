using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Features.Attachments;

/// <summary>Binds uploaded attachments to the case whose move cites them as evidence: the only writer of <c>attachments.case_id</c>.</summary>
public sealed class EvidenceLinks(DbSession db)
{
    internal static readonly Sql BindEvidence = Sql.Portable("""
        UPDATE attachments SET case_id = @CaseId WHERE id = @Id AND (case_id = @CaseId OR (case_id IS NULL AND uploaded_by = @Login))
        """);

    /// <summary>Each attachment must be unbound and the actor's own, or already this case's; else 400 and the move writes nothing.</summary>
    public async Task Bind(Guid caseId, IReadOnlyList<Guid> evidence, string login, CancellationToken ct)
    {
        foreach (var id in evidence.Distinct())
        {
            if (await db.Execute(BindEvidence, new { CaseId = caseId, Id = id, Login = login }, ct) == 0)
            {
                throw ProblemException.BadRequest("case.evidence_invalid",
                    $"Attachment {id} does not exist, belongs to another case, or was uploaded by someone else.");
            }
        }
    }
}
