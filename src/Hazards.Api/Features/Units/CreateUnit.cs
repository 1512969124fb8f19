using FluentValidation;
using Hazards.Api.Features.Imports;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Pipeline;
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
    ResponsiblePersons? ResponsiblePersons) : ICommand<UnitView>, IUnitFields;

/// <summary>The fields of a unit that registering and updating it both take.</summary>
public interface IUnitFields
{
    string? Name { get; }

    string? CreditCode { get; }

    string? GridCode { get; }

    IReadOnlyList<Sector>? Sectors { get; }

    RiskColour? RiskColour { get; }

    string? Address { get; }
}

/// <summary>One set of rules for those fields, included by both commands' validators.</summary>
public sealed class UnitFieldsValidator : AbstractValidator<IUnitFields>
{
    public UnitFieldsValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.CreditCode).Matches(UnitRules.CreditCodePattern).When(c => c.CreditCode is not null)
            .WithMessage("A unified social credit code has 18 characters.");
        RuleFor(c => c.GridCode).NotEmpty().Matches(UnitRules.GridCodePattern).WithMessage("A grid code has 15 digits.");
        RuleFor(c => c.Sectors).NotEmpty().MaxItems(Enum.GetValues<Sector>().Length).Must(s => s is null || s.Distinct().Count() == s.Count).WithMessage("Sectors must not repeat.");
        RuleFor(c => c.RiskColour).NotNull();
        RuleFor(c => c.Address).MaximumLength(400);
    }
}

public sealed class CreateUnitValidator : AbstractValidator<CreateUnitCommand>
{
    public CreateUnitValidator()
    {
        Include(new UnitFieldsValidator());
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
            RuleFor(p => p.Phone).Matches(Users.Contacts.PhonePattern).When(p => p.Phone is not null);
            RuleFor(p => p.Email).EmailAddress().MaximumLength(254).When(p => p.Email is not null);
        }
    }
}

/// <summary>Registers a unit through <see cref="UnitWriter"/>, the rules of the units import.</summary>
public sealed class CreateUnitHandler(LiveOrgUnits live, ICurrentUser user, TimeProvider clock, UnitReader reader, UnitWriter writer)
    : ICommandHandler<CreateUnitCommand, UnitView>
{
    public async ValueTask<UnitView> Handle(CreateUnitCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var grid = await live.Live(command.GridCode!, OrgLevel.Grid, actor.CoversPath, ct);
        if (grid is null || !actor.CoversPath(grid.Path))
        {
            throw ProblemException.NotFound("grid");
        }

        if (!actor.IsAtLeast(Role.TownshipOfficer))
        {
            throw ProblemException.Forbidden("unit.create_forbidden", "Only township officers and above register units.");
        }

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await writer.SaveOne(Input(command) with { NewId = id }, actor, clock.GetUtcNow(), ct);
        return (await reader.Find(id, ct))!.Value.View;
    }

    private static UnitInput Input(CreateUnitCommand command) => new(
        1, null, command.Name, command.CreditCode, command.GridCode, command.Sectors!.Select(Wire.Name).ToList(),
        Wire.Name(command.RiskColour!.Value), command.Address, Persons(command.ResponsiblePersons).ToDictionary(p => p.Kind, p => p.Person));

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
