using Hazards.Api.Infrastructure.Auth;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>A recorded draw with its audit: recomputed from the stored seed and population, does it draw the same cases?</summary>
public sealed record GetSpotCheckDrawQuery(Guid Id) : IQuery<SpotCheckDrawView>;

public sealed class GetSpotCheckDrawHandler(SpotCheckRecords records, ICurrentUser user) : IQueryHandler<GetSpotCheckDrawQuery, SpotCheckDrawView>
{
    public async ValueTask<SpotCheckDrawView> Handle(GetSpotCheckDrawQuery query, CancellationToken ct) =>
        await records.Load(query.Id, user.Actor, rederive: true, ct);
}
