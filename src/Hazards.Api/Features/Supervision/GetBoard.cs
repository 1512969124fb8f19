using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Supervision;

public sealed record GetBoardQuery(Guid UnitId) : IQuery<BoardView>;

public sealed class GetBoardHandler(UnitScope units, BoardReader boards, ICurrentUser user) : IQueryHandler<GetBoardQuery, BoardView>
{
    public async ValueTask<BoardView> Handle(GetBoardQuery query, CancellationToken ct) =>
        await units.IsVisible(query.UnitId, user.Actor, ct)
            ? await boards.Read(query.UnitId, ct)
            : throw ProblemException.NotFound("unit");
}
