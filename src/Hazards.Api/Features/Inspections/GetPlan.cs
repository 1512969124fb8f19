using Hazards.Api.Infrastructure.Auth;
using Mediator;

namespace Hazards.Api.Features.Inspections;

public sealed record GetPlanQuery(Guid Id) : IQuery<PlanView>;

public sealed class GetPlanHandler(PlanReader plans, ICurrentUser user) : IQueryHandler<GetPlanQuery, PlanView>
{
    public async ValueTask<PlanView> Handle(GetPlanQuery query, CancellationToken ct) => (await plans.Load(query.Id, user.Actor, ct)).Plan;
}
