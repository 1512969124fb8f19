using Hazards.Api.Infrastructure.Auth;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Me;

public sealed record GetMeQuery : IQuery<MeView>;

public sealed record MeView(string Login, string Name, string Email, Role Role, string OrgUnitCode, IReadOnlyList<Guid> UnitIds);

public sealed class GetMeHandler(ICurrentUser user) : IQueryHandler<GetMeQuery, MeView>
{
    public ValueTask<MeView> Handle(GetMeQuery query, CancellationToken cancellationToken)
    {
        var actor = user.Actor;
        return ValueTask.FromResult(new MeView(actor.Login, actor.Name, actor.Email, actor.Role, actor.OrgCode, actor.UnitIds));
    }
}
