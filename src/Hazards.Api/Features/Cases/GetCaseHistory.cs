using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>A case's history in the order it was written (by <c>seq</c>), paged; a case outside scope is 404.</summary>
public sealed record GetCaseHistoryQuery(Guid CaseId, int? Limit, string? Cursor) : IQuery<HistoryPage>;

public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, string? NextCursor);

public sealed class GetCaseHistoryHandler(DbSession db, ICurrentUser user, CaseLookup cases) : IQueryHandler<GetCaseHistoryQuery, HistoryPage>
{
    private const string Body = """
        SELECT case_id AS CaseId, seq AS Seq, action AS Action, from_status AS FromStatus, to_status AS ToStatus, actor_login AS ActorLogin,
               actor_role AS ActorRole, at AS At, reason AS Reason, evidence_ids AS EvidenceIds, details AS Details, prev_hash AS PrevHash, hash AS Hash
        FROM case_history WHERE case_id = @CaseId AND seq > @After ORDER BY seq
        """;

    internal static readonly Sql Page = new($"{Body} LIMIT @Take", $"{Body} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");

    public async ValueTask<HistoryPage> Handle(GetCaseHistoryQuery query, CancellationToken ct)
    {
        var limit = Paging.Limit(query.Limit);
        var after = Cursor.Decode(query.Cursor, "h1", 1) is { } fields ? Cursor.Number(fields[0]) : 0;
        if (!await cases.IsVisible(query.CaseId, user.Actor, ct))
        {
            throw ProblemException.NotFound("case");
        }

        var rows = await db.Query<StoredHistoryRow>(Page, new { query.CaseId, After = after, Take = limit + 1 }, ct);
        var items = rows.Take(limit).Select(CaseViews.Entry).ToList();
        return new HistoryPage(items, rows.Count > limit
            ? Cursor.Encode("h1", items[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : null);
    }
}
