using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>Answers whether a case exists within an actor's scope, for features that hang off a case.</summary>
public sealed class CaseLookup(DbSession db)
{
    internal static readonly Sql ScopeOf = Sql.Portable("""
        SELECT org_path AS OrgPath, unit_id AS UnitId, responsible_unit_id AS ResponsibleUnitId, status AS Status
        FROM cases WHERE id = @Id
        """);

    public async Task<bool> IsVisible(Guid caseId, Actor actor, CancellationToken ct) => await StatusIfVisible(caseId, actor, ct) is not null;

    /// <summary>The case's status if it exists within the actor's scope; otherwise null.</summary>
    public async Task<CaseStatus?> StatusIfVisible(Guid caseId, Actor actor, CancellationToken ct)
    {
        var row = await db.Single<ScopeRow>(ScopeOf, new { Id = caseId }, ct);
        return row is not null && CaseScope.Covers(actor, row.OrgPath, row.UnitId, row.ResponsibleUnitId) && Wire.TryParse<CaseStatus>(row.Status, out var status)
            ? status
            : null;
    }

    private sealed class ScopeRow
    {
        public string OrgPath { get; set; } = "";

        public Guid? UnitId { get; set; }

        public Guid? ResponsibleUnitId { get; set; }

        public string Status { get; set; } = "";
    }
}
