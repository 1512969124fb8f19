using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Inspections;

namespace Hazards.Api.Features.Inspections;

public sealed record ChecklistItem(string? Code, string? Text);

public sealed record PlanView(
    Guid Id,
    string Name,
    Guid? UnitId,
    string? GridCode,
    Cadence Cadence,
    InspectionLevel Level,
    IReadOnlyList<ChecklistItem> Checklist,
    DateOnly ActiveFrom,
    DateOnly? ActiveTo,
    DateTimeOffset CreatedAt);

public sealed class InspectionOptions
{
    /// <summary>How long after its period ends a slot may still be filled (late) before it counts as missed.</summary>
    [Range(0, int.MaxValue)]
    public int GraceMinutes { get; set; } = 120;

    public TimeSpan Grace => TimeSpan.FromMinutes(GraceMinutes);
}

/// <summary>Reads a plan if the actor may see it: a unit's plans go with the unit, a grid's with the grid.</summary>
public sealed class PlanReader(DbSession db)
{
    internal static readonly Sql ById = Sql.Portable("""
        SELECT id AS Id, name AS Name, unit_id AS UnitId, grid_code AS GridCode, org_path AS OrgPath, cadence AS Cadence, level AS Level,
               checklist AS Checklist, active_from AS ActiveFrom, active_to AS ActiveTo, created_at AS CreatedAt
        FROM inspection_plans WHERE id = @Id
        """);

    public async Task<(PlanView Plan, string OrgPath)> Load(Guid id, Actor actor, CancellationToken ct)
    {
        var row = await db.Single<PlanRow>(ById, new { Id = id }, ct);
        var visible = row is not null && (row.UnitId is { } unitId ? actor.CoversUnit(unitId, row.OrgPath) : actor.Role != Role.UnitOfficer && actor.CoversPath(row.OrgPath));
        if (!visible)
        {
            throw ProblemException.NotFound("inspection_plan");
        }

        return (new PlanView(row!.Id, row.Name, row.UnitId, row.GridCode, Wire.Parse<Cadence>(row.Cadence), Wire.Parse<InspectionLevel>(row.Level),
            JsonSerializer.Deserialize<List<ChecklistItem>>(row.Checklist, JsonSerializerOptions.Web) ?? [], row.ActiveFrom, row.ActiveTo, row.CreatedAt), row.OrgPath);
    }

    private sealed class PlanRow
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public Guid? UnitId { get; set; }
        public string? GridCode { get; set; }
        public string OrgPath { get; set; } = "";
        public string Cadence { get; set; } = "";
        public string Level { get; set; } = "";
        public string Checklist { get; set; } = "[]";
        public DateOnly ActiveFrom { get; set; }
        public DateOnly? ActiveTo { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
