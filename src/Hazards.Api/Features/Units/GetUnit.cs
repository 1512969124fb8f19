using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Units;

public sealed record GetUnitQuery(Guid Id) : IQuery<UnitView>;

public sealed class GetUnitHandler(UnitReader reader, ICurrentUser user) : IQueryHandler<GetUnitQuery, UnitView>
{
    public async ValueTask<UnitView> Handle(GetUnitQuery query, CancellationToken ct)
    {
        var found = await reader.Find(query.Id, ct);
        if (found is not { } unit || !user.Actor.CoversUnit(unit.View.Id, unit.OrgPath))
        {
            throw ProblemException.NotFound("unit");
        }

        return unit.View;
    }
}
