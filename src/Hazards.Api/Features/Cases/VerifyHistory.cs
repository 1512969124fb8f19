using Hazards.Api.Infrastructure.Auth;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>Whether a case's history chain holds, and if not, the first row where it breaks.</summary>
public sealed record VerifyHistoryQuery(Guid CaseId) : IQuery<ChainCheck>;

public sealed class VerifyHistoryHandler(CaseLookup lookup, CaseHistory history, ICurrentUser user) : IQueryHandler<VerifyHistoryQuery, ChainCheck>
{
    public async ValueTask<ChainCheck> Handle(VerifyHistoryQuery query, CancellationToken ct)
    {
        if (!await lookup.IsVisible(query.CaseId, user.Actor, ct))
        {
            throw Infrastructure.Errors.ProblemException.NotFound("case");
        }

        return await history.Verify(query.CaseId, ct);
    }
}
