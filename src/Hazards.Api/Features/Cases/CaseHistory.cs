using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Cases;

/// <summary>One history row as written: every field that the hash covers.</summary>
public sealed record HistoryRow(
    Guid CaseId, int Seq, string Action, string? FromStatus, string ToStatus, string ActorLogin, string ActorRole, DateTimeOffset At,
    string? Reason, string EvidenceIds, string Details);

/// <summary>
/// The append-only, tamper-evident history of a case: each row's hash is SHA-256 over a canonical form of
/// the row and the previous row's hash. Every writer of history goes through <see cref="Append"/>.
/// </summary>
public sealed class CaseHistory(DbSession db)
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO case_history (case_id, seq, action, from_status, to_status, actor_login, actor_role, at, reason, evidence_ids, details, prev_hash, hash)
        VALUES (@CaseId, @Seq, @Action, @FromStatus, @ToStatus, @ActorLogin, @ActorRole, @At, @Reason, @EvidenceIds, @Details, @PrevHash, @Hash)
        """);

    internal static readonly Sql All = Sql.Portable("""
        SELECT case_id AS CaseId, seq AS Seq, action AS Action, from_status AS FromStatus, to_status AS ToStatus, actor_login AS ActorLogin,
               actor_role AS ActorRole, at AS At, reason AS Reason, evidence_ids AS EvidenceIds, details AS Details, prev_hash AS PrevHash, hash AS Hash
        FROM case_history WHERE case_id = @CaseId ORDER BY seq
        """);

    /// <summary>
    /// Appends the next row of a case's history after <paramref name="tail"/>, its last row as the caller read it in the
    /// same transaction (null when it has none yet); the caller's transaction and held row order writers.
    /// </summary>
    public Task Append(HistoryDraft draft, HistoryTail? tail, CancellationToken ct) =>
        AppendMany([draft], tail is null ? new Dictionary<Guid, HistoryTail>() : new Dictionary<Guid, HistoryTail> { [draft.CaseId] = tail }, ct);

    /// <summary>
    /// Appends many rows at once, in the order given, for writers that change many cases in one statement (the
    /// escalation sweep): each case's chain continues from <paramref name="tails"/>, its last row as the caller's
    /// query read it in the same transaction, and from the rows appended before it in this call.
    /// </summary>
    public async Task AppendMany(IEnumerable<HistoryDraft> drafts, IReadOnlyDictionary<Guid, HistoryTail> tails, CancellationToken ct)
    {
        var last = new Dictionary<Guid, HistoryTail>(tails);
        var rows = new List<object>();
        foreach (var d in drafts)
        {
            var tail = last.GetValueOrDefault(d.CaseId);
            var row = new HistoryRow(d.CaseId, (tail?.Seq ?? 0) + 1, d.Action, d.FromStatus, d.ToStatus, d.ActorLogin, d.ActorRole, d.At,
                d.Reason, d.EvidenceIds, d.Details);
            var prev = tail?.Hash ?? "";
            var hash = Hash(row, prev);
            rows.Add(new
            {
                row.CaseId,
                row.Seq,
                row.Action,
                row.FromStatus,
                row.ToStatus,
                row.ActorLogin,
                row.ActorRole,
                row.At,
                row.Reason,
                row.EvidenceIds,
                row.Details,
                PrevHash = prev,
                Hash = hash,
            });
            last[d.CaseId] = new HistoryTail { Seq = row.Seq, Hash = hash };
        }

        if (rows.Count > 0)
        {
            await db.Execute(Insert, rows, ct);
        }
    }

    public Task<IReadOnlyList<StoredHistoryRow>> Rows(Guid caseId, CancellationToken ct) => db.Query<StoredHistoryRow>(All, new { CaseId = caseId }, ct);

    /// <summary>Walks the chain; the first row whose link or hash does not hold is named.</summary>
    public async Task<ChainCheck> Verify(Guid caseId, CancellationToken ct)
    {
        var rows = await Rows(caseId, ct);
        var prev = "";
        foreach (var r in rows)
        {
            var row = new HistoryRow(r.CaseId, r.Seq, r.Action, r.FromStatus, r.ToStatus, r.ActorLogin, r.ActorRole, r.At, r.Reason, r.EvidenceIds, r.Details);
            if (r.PrevHash != prev)
            {
                return new ChainCheck(false, rows.Count, r.Seq, "the row does not link to the previous row's hash");
            }

            if (r.Hash != Hash(row, prev))
            {
                return new ChainCheck(false, rows.Count, r.Seq, "the row's content does not match its hash");
            }

            prev = r.Hash;
        }

        return new ChainCheck(true, rows.Count, null, null);
    }

    public static string Hash(HistoryRow row, string previousHash)
    {
        var canonical = string.Join('\u001f',
            "v1", row.CaseId.ToString("D"), row.Seq.ToString(CultureInfo.InvariantCulture), row.Action, row.FromStatus ?? "", row.ToStatus,
            row.ActorLogin, row.ActorRole, DapperTypes.FormatInstant(row.At), row.Reason ?? "", row.EvidenceIds, row.Details, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

/// <summary>A history row to append: what the caller decides; the sequence number and hashes follow from the chain.</summary>
public sealed record HistoryDraft(
    Guid CaseId, string Action, string? FromStatus, string ToStatus, string ActorLogin, string ActorRole, DateTimeOffset At,
    string? Reason, string EvidenceIds, string Details);

/// <summary>The last row of a case's history: where its chain continues.</summary>
public sealed class HistoryTail
{
    public int Seq { get; init; }

    public string Hash { get; init; } = "";
}

/// <summary>A history row as stored, hashes included.</summary>
public sealed class StoredHistoryRow
{
    public Guid CaseId { get; set; }
    public int Seq { get; set; }
    public string Action { get; set; } = "";
    public string? FromStatus { get; set; }
    public string ToStatus { get; set; } = "";
    public string ActorLogin { get; set; } = "";
    public string ActorRole { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string? Reason { get; set; }
    public string EvidenceIds { get; set; } = "[]";
    public string Details { get; set; } = "{}";
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
}

public sealed record ChainCheck(bool Valid, int Rows, int? BrokenAt, string? Problem);
