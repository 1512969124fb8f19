using Hazards.Api.Infrastructure.Auth;
using Hazards.Domain;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// Who sees a case: a unit officer the cases of the units they answer for; everyone else the cases under
/// their org unit. <see cref="Covers"/> says it of one case, <see cref="Predicate"/> and <see cref="RangePredicate"/>
/// of the rows of a statement; the three are one rule (ScopeAgreementTests).
/// </summary>
public static class CaseScope
{
    /// <summary>The units the caller answers for; binds <c>@UserId</c>.</summary>
    public const string UnitsOfUser = "(SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = @UserId)";

    /// <summary>A case on one of the caller's units or assigned to one of them: a unit officer's scope.</summary>
    private const string OnUnitsOfUser = $"c.unit_id IN {UnitsOfUser} OR c.responsible_unit_id IN {UnitsOfUser}";

    public const string Predicate = $"""
        ((@IsUnitOfficer = 0 AND c.org_path >= @PathFrom AND c.org_path < @PathTo)
         OR (@IsUnitOfficer = 1 AND ({OnUnitsOfUser})))
        """;

    /// <summary>
    /// The same scope with the path range as a plain condition, for queries that select by status: SQLite plans
    /// a statement before it knows its parameters and cannot search an index on a range inside an OR, so the
    /// inbox read every case of a status in the city. A unit officer's range is every path ('/' up to '0').
    /// Lists keep <see cref="Predicate"/>: walking the primary key down from the cursor serves a page better
    /// than sorting the whole range.
    /// </summary>
    public const string RangePredicate = $"""
        (c.org_path >= @ScopeFrom AND c.org_path < @ScopeTo
         AND (@IsUnitOfficer = 0 OR {OnUnitsOfUser}))
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
        ScopeFrom = actor.Role == Role.UnitOfficer ? "/" : actor.PathFrom,
        ScopeTo = actor.Role == Role.UnitOfficer ? OrgPaths.UpperBound("/") : actor.PathTo,
        actor.UserId,
    };
}
