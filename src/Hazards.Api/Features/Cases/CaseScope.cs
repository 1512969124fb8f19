using Hazards.Api.Infrastructure.Auth;
using Hazards.Domain;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// Who sees a case: a unit officer the cases of the units they answer for; everyone else the cases under
/// their org unit. The SQL fragment says the same for list queries.
/// </summary>
public static class CaseScope
{
    public const string Predicate = """
        ((@IsUnitOfficer = 0 AND c.org_path >= @PathFrom AND c.org_path < @PathTo)
         OR (@IsUnitOfficer = 1 AND (c.unit_id IN (SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = @UserId)
                                  OR c.responsible_unit_id IN (SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = @UserId))))
        """;

    public static bool Covers(Actor actor, string orgPath, Guid? unitId, Guid? responsibleUnitId) =>
        actor.Role == Role.UnitOfficer
            ? (unitId is { } u && actor.UnitIds.Contains(u)) || (responsibleUnitId is { } r && actor.UnitIds.Contains(r))
            : actor.CoversPath(orgPath);

    public static object Parameters(Actor actor) => new
    {
        IsUnitOfficer = actor.Role == Role.UnitOfficer ? 1 : 0,
        actor.PathFrom,
        actor.PathTo,
        actor.UserId,
    };
}
