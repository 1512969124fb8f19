using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>
/// Replaces a unit's four responsible persons (a person left out is cleared), checked against the unit's
/// version; each person that changed writes a history row with the values before and after.
/// </summary>
public sealed record UpdateBoardCommand(
    ResponsiblePerson? Administrative,
    ResponsiblePerson? IndustryRegulator,
    ResponsiblePerson? ProfessionalRegulator,
    ResponsiblePerson? Enterprise,
    [property: JsonIgnore] Guid UnitId = default,
    [property: JsonIgnore] int Version = 0) : ICommand<BoardView>;

public sealed class UpdateBoardValidator : AbstractValidator<UpdateBoardCommand>
{
    public UpdateBoardValidator()
    {
        RuleFor(c => c.Administrative).SetValidator(new PersonValidator()!).When(c => c.Administrative is not null);
        RuleFor(c => c.IndustryRegulator).SetValidator(new PersonValidator()!).When(c => c.IndustryRegulator is not null);
        RuleFor(c => c.ProfessionalRegulator).SetValidator(new PersonValidator()!).When(c => c.ProfessionalRegulator is not null);
        RuleFor(c => c.Enterprise).SetValidator(new PersonValidator()!).When(c => c.Enterprise is not null);
    }
}

public sealed class UpdateBoardHandler(DbSession db, BoardChanges changes, BoardReader boards, UnitReader units, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<UpdateBoardCommand, BoardView>
{
    internal static readonly Sql BumpVersion = Sql.Portable("""
        UPDATE units SET version = version + 1 WHERE id = @Id AND version = @Version
        """);

    internal static readonly Sql DeletePerson = Sql.Portable("""
        DELETE FROM unit_responsible_persons WHERE unit_id = @UnitId AND kind = @Kind
        """);

    internal static readonly Sql InsertPerson = Sql.Portable("""
        INSERT INTO unit_responsible_persons (unit_id, kind, name, phone, email) VALUES (@UnitId, @Kind, @Name, @Phone, @Email)
        """);

    public async ValueTask<BoardView> Handle(UpdateBoardCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        await changes.Editable(command.UnitId, actor, ct);
        var (unit, _) = (await units.Find(command.UnitId, ct))!.Value;
        if (unit.Version != command.Version)
        {
            throw ProblemException.StaleVersion();
        }

        var wanted = new ResponsiblePersons(command.Administrative, command.IndustryRegulator, command.ProfessionalRegulator, command.Enterprise);
        var now = clock.GetUtcNow();
        var moves = BoardReader.Each(unit.ResponsiblePersons).Zip(BoardReader.Each(wanted))
            .Where(pair => pair.First.Person != Trimmed(pair.Second.Person))
            .Select(pair => (pair.First.Kind, Before: pair.First.Person, After: Trimmed(pair.Second.Person)))
            .ToList();
        if (moves.Count == 0)
        {
            return await boards.Read(command.UnitId, ct);
        }

        if (await db.Execute(BumpVersion, new { Id = command.UnitId, command.Version }, ct) == 0)
        {
            throw ProblemException.StaleVersion();
        }

        foreach (var (kind, before, after) in moves)
        {
            var name = Wire.Name(kind);
            await db.Execute(DeletePerson, new { command.UnitId, Kind = name }, ct);
            if (after is not null)
            {
                await db.Execute(InsertPerson, new { command.UnitId, Kind = name, after.Name, after.Phone, after.Email }, ct);
            }

            var change = before is null ? "set" : after is null ? "cleared" : "changed";
            await changes.Append(command.UnitId, "person", name, change, before, after, actor.Login, now, ct);
        }

        return await boards.Read(command.UnitId, ct);
    }

    private static ResponsiblePerson? Trimmed(ResponsiblePerson? p) => p is null ? null : new(p.Name.Trim(), p.Phone, p.Email);
}
