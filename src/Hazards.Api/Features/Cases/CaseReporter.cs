using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// Opens a case: checks who may say how it was found and where, numbers it in its district, lets the
/// domain report it and stores it with its first history row. Used by the report route and by inspection
/// records that found hazards.
/// </summary>
public sealed class CaseReporter(
    CaseStore store, CaseViews views, UnitScope units, Places.Locator locator, LiveOrgUnits live, TimeProvider clock, DeadlineCalculator deadlines)
{
    internal static readonly Sql GridPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code AND level = 'grid'");

    public async Task<CaseView> Report(ReportCaseCommand command, Actor actor, Guid? inspectionRecordId, CancellationToken ct)
    {
        CheckOrigin(actor.Role, command.Origin!.Value);
        var position = Position(command);
        var (gridCode, orgPath, given) = await Place(command, position, actor, ct);
        var now = clock.GetUtcNow();
        var districtCode = orgPath.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];
        var code = await store.NextCode(districtCode, now, ct);
        var input = new NewHazard(Guid.CreateVersion7(now), code, command.Title!.Trim(), command.Description!.Trim(), command.Sector!.Value,
            command.Origin.Value, command.UnitId, gridCode, command.Level ?? HazardLevel.General, command.StandardClause,
            command.FixedOnSpot ?? false, command.AttachmentIds ?? []);
        var (hazard, change) = HazardCase.Report(input, new CaseActor(actor.Login, actor.Role), now, deadlines);
        var place = CasePlace.At(orgPath, districtCode, position, command.Location?.Address, inspectionRecordId);
        await store.Add(hazard, place, given?.Noted(change) ?? change, actor.Login, ct);
        return await views.Full(hazard, place, ct);
    }

    private async Task<(string GridCode, string OrgPath, LiveOrgUnit? Given)> Place(ReportCaseCommand command, Hazards.Domain.Places.LatLng? position, Actor actor, CancellationToken ct)
    {
        if (command.UnitId is { } unitId)
        {
            var unit = await units.Find(unitId, actor, ct) ?? throw ProblemException.NotFound("unit");
            if (command.GridCode is not null && command.GridCode != unit.GridCode)
            {
                throw ProblemException.BadRequest("case.grid_mismatch", "The unit is not in the grid named.");
            }

            // A position given with a unit is held to the unit's grid, as one given with a grid code is.
            if (position is { } atUnit)
            {
                await locator.CheckAgrees(unit.GridCode, atUnit, ct);
            }

            return (unit.GridCode, unit.OrgPath, null);
        }

        if (actor.Role == Role.UnitOfficer)
        {
            throw ProblemException.BadRequest("case.unit_required", "A unit officer reports hazards of their own unit: name it.");
        }

        if (command.GridCode is null && position is { } alone)
        {
            var (grid, gridPath) = await locator.GridAt(alone, ct);
            return actor.CoversPath(gridPath) ? (grid, gridPath, null)
                : throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "location.outside_scope",
                    $"The position lies in grid {grid}, outside your scope: report it to that grid, or check the position.");
        }

        var named = await live.Following(command.GridCode!, OrgLevel.Grid, actor.CoversPath, ct);
        if (named is null || !actor.CoversPath(named.Path))
        {
            throw ProblemException.NotFound("grid");
        }

        if (position is { } given)
        {
            await locator.CheckAgrees(named.Code, given, ct);
        }

        return (named.Code, named.Path, named);
    }

    /// <summary>The report's position in WGS-84, when it gives one.</summary>
    private static Hazards.Domain.Places.LatLng? Position(ReportCaseCommand command) =>
        command.Location is { Latitude: not null } or { Longitude: not null }
            ? Places.Positions.Wgs84(command.Location.Latitude, command.Location.Longitude, command.Location.Crs)
            : null;

    /// <summary>Who may say how a hazard was found: self-checks are a unit's own, patrols a grid's, inspections a regulator's.</summary>
    private static void CheckOrigin(Role role, Origin origin)
    {
        var allowed = origin switch
        {
            Origin.SelfCheck => role == Role.UnitOfficer,
            Origin.GridPatrol => role is Role.GridWorker or Role.TownshipOfficer,
            Origin.SensorAlert => true,
            Origin.RegulatorInspection or Origin.SpotCheck or Origin.HandedDown => role >= Role.TownshipOfficer,
            _ => false,
        };
        if (!allowed)
        {
            throw ProblemException.BadRequest("case.origin_not_allowed",
                origin == Origin.PublicTip
                    ? "Public tips come in through the public tip route."
                    : $"A {Wire.Name(role)} cannot report a hazard with origin {Wire.Name(origin)}.");
        }
    }
}
