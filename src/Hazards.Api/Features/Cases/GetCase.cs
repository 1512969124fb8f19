using Hazards.Api.Infrastructure.Auth;
using Mediator;

namespace Hazards.Api.Features.Cases;

public sealed record GetCaseQuery(Guid Id) : IQuery<CaseView>;

public sealed class GetCaseHandler(CaseStore store, CaseViews views, ICurrentUser user) : IQueryHandler<GetCaseQuery, CaseView>
{
    public async ValueTask<CaseView> Handle(GetCaseQuery query, CancellationToken ct)
    {
        var (hazard, place) = await store.Load(query.Id, user.Actor, ct);
        return await views.Full(hazard, place, ct);
    }
}
