using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Attachments;

/// <summary>
/// One file of a case as the case shows it: what it is, who brought it and when, and the history row (action and
/// seq) that cites it as evidence, or none when it was added to the case without a move. <see cref="Href"/> downloads it.
/// </summary>
public sealed record CaseAttachment(
    Guid Id,
    string FileName,
    string MediaType,
    long SizeBytes,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    string? EvidenceFor,
    int? EvidenceSeq,
    string Href);

/// <summary>Reads a case's attachments, oldest first, each with the move it is evidence for.</summary>
public static class CaseAttachments
{
    internal static readonly Sql OfCase = Sql.Portable("""
        SELECT id AS Id, file_name AS FileName, content_type AS MediaType, size_bytes AS SizeBytes, uploaded_by AS UploadedBy, uploaded_at AS UploadedAt
        FROM attachments WHERE case_id = @CaseId ORDER BY uploaded_at, id
        """);

    public static async Task<IReadOnlyList<CaseAttachment>> Read(DbSession db, Guid caseId, IReadOnlyList<HistoryEntry> history, CancellationToken ct)
    {
        var rows = await db.Query<Row>(OfCase, new { CaseId = caseId }, ct);
        var citedBy = new Dictionary<Guid, HistoryEntry>();
        foreach (var entry in history)
        {
            foreach (var id in entry.EvidenceIds)
            {
                citedBy.TryAdd(id, entry);
            }
        }

        return rows.Select(r => new CaseAttachment(
            r.Id, r.FileName, r.MediaType, r.SizeBytes, r.UploadedBy, r.UploadedAt,
            citedBy.TryGetValue(r.Id, out var cited) ? cited.Action : null,
            cited?.Seq,
            $"/api/v1/attachments/{r.Id}")).ToList();
    }

    private sealed class Row
    {
        public Guid Id { get; set; }

        public string FileName { get; set; } = "";

        public string MediaType { get; set; } = "";

        public long SizeBytes { get; set; }

        public string UploadedBy { get; set; } = "";

        public DateTimeOffset UploadedAt { get; set; }
    }
}
