using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Users;
using Hazards.Api.Features.Imports;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Units;

/// <summary>Changes a unit's name, credit code, sectors, grid (a move), risk colour and address; the board route changes its persons.</summary>
public sealed record UpdateUnitCommand(string? Name, string? CreditCode, string? GridCode, IReadOnlyList<Sector>? Sectors, RiskColour? RiskColour, string? Address)
    : ICommand<UnitView>, IUnitFields
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public int Version { get; init; }
}

public sealed class UpdateUnitValidator : AbstractValidator<UpdateUnitCommand>
{
    public UpdateUnitValidator()
    {
        Include(new UnitFieldsValidator());
    }
}

public sealed class UpdateUnitHandler(DbSession db, ICurrentUser user, TimeProvider clock, UnitReader reader, UnitWriter writer)
    : ICommandHandler<UpdateUnitCommand, UnitView>
{
    internal static readonly Sql ClaimVersion = Sql.Portable("""
        UPDATE units SET version = version WHERE id = @Id AND version = @Version AND closed_at IS NULL
        """);

    public async ValueTask<UnitView> Handle(UpdateUnitCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var current = await UnitAdmin.Require(reader, command.Id, actor, ct);
        if (await db.Execute(ClaimVersion, new { command.Id, command.Version }, ct) == 0)
        {
            throw current.ClosedAt is null ? ProblemException.StaleVersion()
                : new ProblemException(StatusCodes.Status409Conflict, "unit.closed", "The unit is closed.");
        }

        var row = new UnitInput(1, current.Code, command.Name, command.CreditCode, command.GridCode, command.Sectors!.Select(Wire.Name).ToList(),
            Wire.Name(command.RiskColour!.Value), command.Address, new Dictionary<ResponsibleKind, ResponsiblePerson>()) { ExistingId = current.Id };
        await writer.SaveOne(row, actor, clock.GetUtcNow(), ct);
        return (await reader.Find(current.Id, ct))!.Value.View;
    }
}

/// <summary>Who administers a unit: township officers and above whose subtree holds it; anyone else in scope is refused.</summary>
public static class UnitAdmin
{
    public static async Task<UnitView> Require(UnitReader reader, Guid id, Actor actor, CancellationToken ct)
    {
        var found = await reader.Find(id, ct);
        if (found is not { } unit || !actor.CoversUnit(unit.View.Id, unit.OrgPath))
        {
            throw ProblemException.NotFound("unit");
        }

        if (!actor.IsAtLeast(Role.TownshipOfficer))
        {
            throw ProblemException.Forbidden("unit.admin_forbidden", "Only township officers and above change or close units.");
        }

        return unit.View;
    }
}
