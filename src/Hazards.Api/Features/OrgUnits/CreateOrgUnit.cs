using FluentValidation;
using Hazards.Api.Features.Users;
using Hazards.Api.Features.Imports;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.OrgUnits;

public sealed record CreateOrgUnitCommand(string? Code, string? Name, string? ParentCode) : ICommand<OrgUnitView>;

public sealed class CreateOrgUnitValidator : AbstractValidator<CreateOrgUnitCommand>
{
    public CreateOrgUnitValidator()
    {
        // The import's rules decide; the lengths are stated too, with the same words, so the API document has them.
        RuleFor(c => c.Code).MaximumLength(OrgCodes.MaxCodeLength).WithMessage(OrgCodes.CodeMessage);
        RuleFor(c => c.ParentCode).MaximumLength(OrgCodes.MaxCodeLength - 3).WithMessage(OrgCodes.PrefixMessage);
        RuleFor(c => c.Name).MaximumLength(OrgCodes.MaxNameLength).WithMessage(OrgCodes.NameMessage);
        RuleFor(c => c).Custom((command, context) =>
        {
            foreach (var error in OrgCodes.Check(new OrgUnitInput(1, command.Code, command.Name, command.ParentCode)))
            {
                context.AddFailure(new FluentValidation.Results.ValidationFailure(error.ColumnName, error.Message) { ErrorCode = error.Code });
            }
        });
    }
}

/// <summary>A township, village or grid under its parent, through the rules of the org units import.</summary>
public sealed class CreateOrgUnitHandler(DbSession db, ICurrentUser user, OrgUnitWriter writer, TimeProvider clock, ISender sender)
    : ICommandHandler<CreateOrgUnitCommand, OrgUnitView>
{
    internal static readonly Sql Exists = Sql.Portable("SELECT COUNT(*) FROM org_units WHERE code = @Code");

    public async ValueTask<OrgUnitView> Handle(CreateOrgUnitCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        if (await db.Single<string>(Users.ListUsersHandler.OrgPath, new { Code = command.ParentCode }, ct) is not { } parent || !actor.CoversPath(parent))
        {
            throw new ProblemException(StatusCodes.Status404NotFound, "org_unit.unknown_parent", "The parent does not exist or is outside your scope.");
        }

        if (!RoleGrant.MayAdminister(actor))
        {
            throw ProblemException.Forbidden("org_unit.admin_forbidden", "Only township officers and above administer org units.");
        }

        if (await db.Scalar<int>(Exists, new { command.Code }, ct) > 0)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "org_unit.code_taken", "The code is taken (a retired code is never used again).");
        }

        await writer.SaveOne(new OrgUnitInput(1, command.Code, command.Name, command.ParentCode), actor, clock.GetUtcNow(), ct);
        return await sender.Send(new GetOrgUnitQuery(command.Code!), ct);
    }
}
