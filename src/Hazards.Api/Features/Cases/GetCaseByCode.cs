using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>A case by its code (YH-…), as the single-case route answers it; an unknown code and one outside scope are both 404.</summary>
public sealed record GetCaseByCodeQuery(string Code) : IQuery<CaseView>;

public sealed class GetCaseByCodeHandler(DbSession db, CaseStore store, CaseViews views, ICurrentUser user) : IQueryHandler<GetCaseByCodeQuery, CaseView>
{
    internal static readonly Sql IdOf = Sql.Portable("SELECT id FROM cases WHERE code = @Code");

    public async ValueTask<CaseView> Handle(GetCaseByCodeQuery query, CancellationToken ct)
    {
        var id = query.Code.Length <= 64 ? await db.Single<Guid?>(IdOf, new { query.Code }, ct) : null;
        var (hazard, place) = await store.Load(id ?? throw ProblemException.NotFound("case"), user.Actor, ct);
        return await views.Full(hazard, place, ct);
    }
}
