using Hazards.Api.Infrastructure.Auth;
using Hazards.Domain;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// Who answers for an assigned case: the officers of its responsible unit — the unit it was
/// assigned to, else the unit it is on — and, as design §4 says, the grid's workers. A unit officer who sees the case
/// only because it is on their unit does not act on it for another. The permission (<see cref="Holds"/>, in
/// <see cref="CaseChanges"/>), the inbox's "to fix" list and the escalation ladder's unit all read this one rule.
/// </summary>
public static class ResponsibleSide
{
    /// <summary>The unit whose officers answer for the case.</summary>
    public const string UnitColumn = "COALESCE(c.responsible_unit_id, c.unit_id)";

    /// <summary>The same rule for set-based statements; binds <c>@IsUnitOfficer</c> and <c>@UserId</c> of <see cref="CaseScope.Parameters"/>.</summary>
    public const string Predicate = $"""
        (@IsUnitOfficer = 0 OR {UnitColumn} IN {CaseScope.UnitsOfUser})
        """;

    public static Guid? UnitOf(HazardCase hazard) => UnitOf(hazard.UnitId, hazard.ResponsibleUnitId);

    /// <summary>The unit whose officers answer for a case on <paramref name="unitId"/>, assigned to <paramref name="responsibleUnitId"/>: <see cref="UnitColumn"/>.</summary>
    public static Guid? UnitOf(Guid? unitId, Guid? responsibleUnitId) => responsibleUnitId ?? unitId;

    public static bool Holds(Actor actor, HazardCase hazard) => Holds(actor, hazard.UnitId, hazard.ResponsibleUnitId);

    /// <summary><see cref="Predicate"/> for one case.</summary>
    public static bool Holds(Actor actor, Guid? unitId, Guid? responsibleUnitId) =>
        actor.Role != Role.UnitOfficer || (UnitOf(unitId, responsibleUnitId) is { } unit && actor.UnitIds.Contains(unit));

    /// <summary>Refuses an action of the responsible side (<see cref="Lifecycle.ByResponsibleSide"/>) by anyone the rule leaves out.</summary>
    public static void Require(Actor actor, HazardCase hazard, CaseAction action)
    {
        if (Lifecycle.ByResponsibleSide(action) && !Holds(actor, hazard))
        {
            throw new DomainForbiddenException("case.not_responsible",
                "Only the officers of the case's responsible unit (and the grid's workers) act on it.");
        }
    }
}
