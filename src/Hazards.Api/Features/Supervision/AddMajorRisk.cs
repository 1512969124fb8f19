using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>A major risk (重大风险) of a unit, published on its board with its control measures and responsible persons.</summary>
public sealed record AddMajorRiskCommand(
    string? Name,
    RiskColour? RiskColour,
    string? Measures,
    ResponsiblePersons? ResponsiblePersons,
    [property: JsonIgnore] Guid UnitId = default) : ICommand<MajorRiskView>;

public sealed class AddMajorRiskValidator : AbstractValidator<AddMajorRiskCommand>
{
    public AddMajorRiskValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.RiskColour).NotNull();
        RuleFor(c => c.Measures).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.ResponsiblePersons).NotNull();
        RuleFor(c => c.ResponsiblePersons!.Administrative).SetValidator(new PersonValidator()!).When(c => c.ResponsiblePersons?.Administrative is not null);
        RuleFor(c => c.ResponsiblePersons!.IndustryRegulator).SetValidator(new PersonValidator()!).When(c => c.ResponsiblePersons?.IndustryRegulator is not null);
        RuleFor(c => c.ResponsiblePersons!.ProfessionalRegulator).SetValidator(new PersonValidator()!).When(c => c.ResponsiblePersons?.ProfessionalRegulator is not null);
        RuleFor(c => c.ResponsiblePersons!.Enterprise).SetValidator(new PersonValidator()!).When(c => c.ResponsiblePersons?.Enterprise is not null);
    }
}

public sealed class AddMajorRiskHandler(DbSession db, BoardChanges changes, BoardReader boards, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<AddMajorRiskCommand, MajorRiskView>
{
    internal static readonly Sql InsertRisk = Sql.Portable("""
        INSERT INTO unit_major_risks (id, unit_id, name, risk_colour, measures, created_by, created_at)
        VALUES (@Id, @UnitId, @Name, @RiskColour, @Measures, @CreatedBy, @CreatedAt)
        """);

    internal static readonly Sql InsertPerson = Sql.Portable("""
        INSERT INTO major_risk_persons (risk_id, kind, name, phone, email) VALUES (@RiskId, @Kind, @Name, @Phone, @Email)
        """);

    public async ValueTask<MajorRiskView> Handle(AddMajorRiskCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        await changes.Editable(command.UnitId, actor, ct);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await db.Execute(InsertRisk, new
        {
            Id = id,
            command.UnitId,
            Name = command.Name!.Trim(),
            RiskColour = Wire.Name(command.RiskColour!.Value),
            Measures = command.Measures!.Trim(),
            CreatedBy = actor.Login,
            CreatedAt = now,
        }, ct);
        foreach (var (kind, person) in BoardReader.Each(command.ResponsiblePersons).Where(p => p.Person is not null))
        {
            await db.Execute(InsertPerson, new { RiskId = id, Kind = Wire.Name(kind), person!.Name, person.Phone, person.Email }, ct);
        }

        var view = (await boards.Read(command.UnitId, ct)).MajorRisks.Single(r => r.Id == id);
        await changes.Append(command.UnitId, "risk", id.ToString(), "added", null,
            new { view.Name, view.RiskColour, view.Measures, view.ResponsiblePersons }, actor.Login, now, ct);
        return view;
    }
}
