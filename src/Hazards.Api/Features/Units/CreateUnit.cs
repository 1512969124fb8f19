using FluentValidation;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Units;

public sealed record CreateUnitCommand(
    string? Name,
    string? CreditCode,
    string? GridCode,
    IReadOnlyList<Sector>? Sectors,
    RiskColour? RiskColour,
    string? Address,
    ResponsiblePersons? ResponsiblePersons) : ICommand<UnitView>;

public sealed class CreateUnitValidator : AbstractValidator<CreateUnitCommand>
{
    public CreateUnitValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.CreditCode).Matches("^[0-9A-HJ-NPQRTUWXY]{18}$").When(c => c.CreditCode is not null)
            .WithMessage("A unified social credit code has 18 characters.");
        RuleFor(c => c.GridCode).NotEmpty().Matches("^[0-9]{15}$").WithMessage("A grid code has 15 digits.");
        RuleFor(c => c.Sectors).NotEmpty().Must(s => s is null || s.Distinct().Count() == s.Count).WithMessage("Sectors must not repeat.");
        RuleFor(c => c.RiskColour).NotNull();
        RuleFor(c => c.Address).MaximumLength(400);
        RuleFor(c => c.ResponsiblePersons!.Administrative).SetValidator(new ResponsiblePersonValidator()!).When(c => c.ResponsiblePersons?.Administrative is not null);
        RuleFor(c => c.ResponsiblePersons!.IndustryRegulator).SetValidator(new ResponsiblePersonValidator()!).When(c => c.ResponsiblePersons?.IndustryRegulator is not null);
        RuleFor(c => c.ResponsiblePersons!.ProfessionalRegulator).SetValidator(new ResponsiblePersonValidator()!).When(c => c.ResponsiblePersons?.ProfessionalRegulator is not null);
        RuleFor(c => c.ResponsiblePersons!.Enterprise).SetValidator(new ResponsiblePersonValidator()!).When(c => c.ResponsiblePersons?.Enterprise is not null);
    }

    private sealed class ResponsiblePersonValidator : AbstractValidator<ResponsiblePerson>
    {
        public ResponsiblePersonValidator()
        {
            RuleFor(p => p.Name).NotEmpty().MaximumLength(100);
            RuleFor(p => p.Phone).Matches(@"^\+?[0-9\-]{5,20}$").When(p => p.Phone is not null);
            RuleFor(p => p.Email).EmailAddress().MaximumLength(254).When(p => p.Email is not null);
        }
    }
}

public sealed class CreateUnitHandler(DbSession db, ICurrentUser user, TimeProvider clock, UnitReader reader)
    : ICommandHandler<CreateUnitCommand, UnitView>
{
    internal static readonly Sql GridPath = Sql.Portable("""
        SELECT path FROM org_units WHERE code = @Code AND level = 'grid'
        """);

    internal static readonly Sql InsertUnit = Sql.Portable("""
        INSERT INTO units (id, name, credit_code, grid_code, org_path, sectors, risk_colour, address, version, created_at, created_by)
        VALUES (@Id, @Name, @CreditCode, @GridCode, @OrgPath, @Sectors, @RiskColour, @Address, 1, @CreatedAt, @CreatedBy)
        """);

    internal static readonly Sql InsertPerson = Sql.Portable("""
        INSERT INTO unit_responsible_persons (unit_id, kind, name, phone, email)
        VALUES (@UnitId, @Kind, @Name, @Phone, @Email)
        """);

    public async ValueTask<UnitView> Handle(CreateUnitCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var path = await db.Single<string>(GridPath, new { Code = command.GridCode }, ct);
        if (path is null || !actor.CoversPath(path))
        {
            throw ProblemException.NotFound("grid");
        }

        if (!actor.IsAtLeast(Role.TownshipOfficer))
        {
            throw ProblemException.Forbidden("unit.create_forbidden", "Only township officers and above register units.");
        }

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await db.Execute(InsertUnit, new
        {
            Id = id,
            Name = command.Name!.Trim(),
            command.CreditCode,
            command.GridCode,
            OrgPath = path,
            Sectors = string.Join(',', command.Sectors!.Select(Wire.Name)),
            RiskColour = Wire.Name(command.RiskColour!.Value),
            command.Address,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = actor.Login,
        }, ct);

        foreach (var (kind, person) in Persons(command.ResponsiblePersons))
        {
            await db.Execute(InsertPerson, new { UnitId = id, Kind = Wire.Name(kind), person.Name, person.Phone, person.Email }, ct);
        }

        return (await reader.Find(id, ct))!.Value.View;
    }

    private static IEnumerable<(ResponsibleKind Kind, ResponsiblePerson Person)> Persons(ResponsiblePersons? persons)
    {
        if (persons is null)
        {
            yield break;
        }

        if (persons.Administrative is { } a) yield return (ResponsibleKind.Administrative, a);
        if (persons.IndustryRegulator is { } i) yield return (ResponsibleKind.IndustryRegulator, i);
        if (persons.ProfessionalRegulator is { } p) yield return (ResponsibleKind.ProfessionalRegulator, p);
        if (persons.Enterprise is { } e) yield return (ResponsibleKind.Enterprise, e);
    }
}
