using Dapper;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Domain;

namespace Hazards.Api.Features.Escalations;

/// <summary>
/// The notices a person sees (notice alias <c>n</c>): those placed in their subtree, a unit officer's those of their units.
/// The list and a digest's page apply it alike, with the person as they are now.
/// </summary>
public static class NoticeScope
{
    public const string Predicate = """
        ((@IsUnitOfficer = 0 AND n.org_path >= @PathFrom AND n.org_path < @PathTo)
         OR (@IsUnitOfficer = 1 AND n.unit_id IN (SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = @UserId)))
        """;

    /// <summary>The predicate's parameters for <paramref name="actor"/>, beside the statement's own.</summary>
    public static DynamicParameters Args(Actor actor, object others)
    {
        var parameters = new DynamicParameters(others);
        parameters.AddDynamicParams(new { IsUnitOfficer = actor.Role == Role.UnitOfficer ? 1 : 0, actor.PathFrom, actor.PathTo, actor.UserId });
        return parameters;
    }
}
