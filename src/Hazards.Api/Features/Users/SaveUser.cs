using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Imports;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Pipeline;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Users;

/// <summary>
/// Creates a person (<c>Id</c> null) or updates and moves one (<c>Id</c> and <c>Version</c> set): the body of
/// <c>POST /users</c> and <c>PUT /users/{id}</c>. Both go through <see cref="UserWriter"/>, the rules the users import uses.
/// </summary>
public sealed record SaveUserCommand(
    string? Login, string? Name, string? Phone, string? Email, Role? Role, string? OrgUnit, string? ExternalSubject, IReadOnlyList<Guid>? UnitIds)
    : ICommand<UserView>
{
    [JsonIgnore]
    public Guid? Id { get; init; }

    [JsonIgnore]
    public int? Version { get; init; }

    public UserInput Input(string? login) => new(1, login ?? Login, Name, Phone, Email, Role is { } r ? Wire.Name(r) : null, OrgUnit, ExternalSubject, [], UnitIds ?? []);
}

public sealed class SaveUserValidator : AbstractValidator<SaveUserCommand>
{
    public SaveUserValidator()
    {
        RuleFor(c => c.Role).NotNull();
        RuleFor(c => c.Login).Null().When(c => c.Id is not null).WithMessage("A login does not change; leave it out.");

        // UserRules decide, as for the import; the bounds are stated too, in the same words, so the API document has them.
        RuleFor(c => c.Login).MaximumLength(UserRules.MaxLoginLength).WithMessage(UserRules.LoginMessage);
        RuleFor(c => c.Name).MaximumLength(UserRules.MaxNameLength).WithMessage(UserRules.NameMessage);
        RuleFor(c => c.Phone).Matches(Contacts.PhonePattern).When(c => c.Phone is not null).WithMessage(UserRules.PhoneMessage);
        RuleFor(c => c.Email).MaximumLength(Contacts.MaxEmailLength).WithMessage(UserRules.EmailMessage);
        RuleFor(c => c.OrgUnit).MaximumLength(OrgUnits.OrgCodes.MaxCodeLength).WithMessage(UserRules.OrgUnitMessage);
        RuleFor(c => c.ExternalSubject).MaximumLength(UserRules.MaxSubjectLength).WithMessage(UserRules.SubjectMessage);
        RuleFor(c => c.UnitIds).MaxItems(UserRules.MaxUnits).WithName("unitIds").WithMessage(UserRules.TooManyUnitsMessage);
        RuleFor(c => c).Custom((command, context) =>
        {
            // An update keeps its login, which the handler reads; only the new person's login is checked here.
            foreach (var error in UserRules.Check(command.Input(command.Id is null ? null : "unchanged")))
            {
                context.AddFailure(error.ColumnName == "units" ? "unitIds" : error.ColumnName, error.Message);
            }
        });
    }
}

public sealed class SaveUserHandler(DbSession db, ICurrentUser user, UserWriter writer, UserReader reader, TimeProvider clock)
    : ICommandHandler<SaveUserCommand, UserView>
{
    internal static readonly Sql LoginOf = Sql.Portable("""
        SELECT login FROM users WHERE login = @Login
        """);

    internal static readonly Sql ClaimVersion = Sql.Portable("""
        UPDATE users SET version = version WHERE id = @Id AND version = @Version AND active = 1
        """);

    public async ValueTask<UserView> Handle(SaveUserCommand command, CancellationToken ct)
    {
        var actor = user.Actor;

        // Outside the caller's subtree is 404 before their role is looked at (design §2: never 403 for what they cannot see).
        if (command.Id is null && (await db.Single<string>(ListUsersHandler.OrgPath, new { Code = command.OrgUnit }, ct) is not { } place || !actor.CoversPath(place)))
        {
            throw ProblemException.NotFound("org_unit");
        }

        // A person is found only by those who administer them (UserReader), so an update needs no role check of its own.
        if (command.Id is null && !RoleGrant.MayAdminister(actor))
        {
            throw ProblemException.Forbidden("user.admin_forbidden", "Only township officers and above administer people.");
        }

        string login;
        if (command.Id is { } id)
        {
            var current = await reader.Require(id, actor, ct);
            if (await db.Execute(ClaimVersion, new { Id = id, command.Version }, ct) == 0)
            {
                throw current.Active ? ProblemException.StaleVersion()
                    : new ProblemException(StatusCodes.Status409Conflict, "user.deactivated", "The person was deactivated; deactivated people stay so.");
            }

            login = current.Login;
        }
        else
        {
            login = command.Login!;
            if (await db.Single<string>(LoginOf, new { Login = login }, ct) is not null)
            {
                throw new ProblemException(StatusCodes.Status409Conflict, "user.login_taken", "The login is taken.");
            }
        }

        await writer.SaveOne(command.Input(login), actor, clock.GetUtcNow(), ct);
        var saved = await db.Single<Guid>(UserIdOf, new { Login = login }, ct);
        return await reader.Require(saved, actor, ct);
    }

    internal static readonly Sql UserIdOf = Sql.Portable("""
        SELECT id FROM users WHERE login = @Login
        """);
}
