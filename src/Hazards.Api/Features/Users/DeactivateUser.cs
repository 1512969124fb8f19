using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Admin;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Users;

/// <summary>
/// Deactivates a person: never deleted; their tokens are refused from the next request (the directory
/// finds only active people), they get no more mail, and the units they answered for pass to <c>SuccessorId</c>.
/// </summary>
public sealed record DeactivateUserCommand(Guid? SuccessorId, string? Reason) : ICommand<DeactivationView>
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public int Version { get; init; }
}

public sealed record Holding(string Kind, Guid Id, string Name, string? To);

public sealed record DeactivationView(UserView User, IReadOnlyList<Holding> Held, int MailsWithdrawn);

public sealed class DeactivateUserValidator : AbstractValidator<DeactivateUserCommand>
{
    public DeactivateUserValidator() => RuleFor(c => c.Reason).MaximumLength(500);
}

public sealed class DeactivateUserHandler(DbSession db, ICurrentUser user, UserReader reader, AdminHistory history, TimeProvider clock)
    : ICommandHandler<DeactivateUserCommand, DeactivationView>
{
    internal static readonly Sql HeldUnits = Sql.Portable("""
        SELECT n.id AS Id, n.name AS Name, n.org_path AS OrgPath,
               (SELECT COUNT(*) FROM user_units o JOIN users p ON p.id = o.user_id
                WHERE o.unit_id = n.id AND o.user_id <> @Id AND p.active = 1) AS OtherOfficers
        FROM user_units uu JOIN units n ON n.id = uu.unit_id
        WHERE uu.user_id = @Id
        ORDER BY n.id
        """);

    internal static readonly Sql Deactivate = Sql.Portable("""
        UPDATE users SET active = 0, deactivated_at = @At, version = version + 1 WHERE id = @Id AND version = @Version AND active = 1
        """);

    internal static readonly Sql PassUnits = Sql.Portable("""
        INSERT INTO user_units (user_id, unit_id)
        SELECT @SuccessorId, uu.unit_id FROM user_units uu
        WHERE uu.user_id = @Id AND NOT EXISTS (SELECT 1 FROM user_units s WHERE s.user_id = @SuccessorId AND s.unit_id = uu.unit_id);
        UPDATE users SET version = version + 1 WHERE id = @SuccessorId;
        """);

    internal static readonly Sql DropUnits = Sql.Portable("""
        DELETE FROM user_units WHERE user_id = @Id
        """);

    /// <summary>Mail queued for them and not yet sent is withdrawn, with the reason in the outbox.</summary>
    internal static readonly Sql WithdrawMail = Sql.Portable("""
        UPDATE mail_outbox SET status = 'failed', last_error = 'recipient deactivated'
        WHERE status = 'pending'
          AND (to_email = @Email OR EXISTS (SELECT 1 FROM escalation_digests d WHERE d.mail_id = mail_outbox.id AND d.user_id = @Id))
        """);

    public async ValueTask<DeactivationView> Handle(DeactivateUserCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var target = await reader.Require(command.Id, actor, ct);
        if (!RoleGrant.MayGrant(actor, target.Role))
        {
            throw ProblemException.Forbidden("user.role_not_grantable", "You may not administer a person above your own role.");
        }

        if (target.Id == actor.UserId)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "user.self_deactivation", "Another administrator deactivates you.");
        }

        if (!target.Active)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "user.deactivated", "The person is already deactivated.");
        }

        var held = await db.Query<HeldUnit>(HeldUnits, new { target.Id }, ct);
        UserView? successor = null;
        if (command.SuccessorId is { } successorId)
        {
            successor = await reader.Require(successorId, actor, ct);
            var place = (await reader.Find(successorId, actor, ct))!.Value.OrgPath;
            if (successor.Id == target.Id || !successor.Active || successor.Role != Role.UnitOfficer || target.Role != Role.UnitOfficer
                || held.Any(u => !u.OrgPath.StartsWith(place, StringComparison.Ordinal)))
            {
                throw new ProblemException(StatusCodes.Status409Conflict, "user.successor_unfit",
                    "The successor must be another active unit officer whose org unit holds every unit of the person.");
            }
        }
        else if (held.Where(u => u.OtherOfficers == 0).ToList() is { Count: > 0 } orphans)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "user.successor_required",
                $"No one else answers for {orphans.Count} of their units ({string.Join(", ", orphans.Take(5).Select(u => u.Name))}): name a successorId.");
        }

        var now = clock.GetUtcNow();
        if (await db.Execute(Deactivate, new { target.Id, command.Version, At = now }, ct) == 0)
        {
            throw ProblemException.StaleVersion();
        }

        if (successor is not null)
        {
            await db.Execute(PassUnits, new { target.Id, SuccessorId = successor.Id }, ct);
            var heir = await reader.Require(successor.Id, actor, ct);
            await history.Append(AdminEntity.User, AdminHistory.Key(successor.Id), "inheritUnits", actor, new { unitIds = successor.UnitIds },
                new { unitIds = heir.UnitIds, from = target.Login }, ct);
        }

        await db.Execute(DropUnits, new { target.Id }, ct);
        var withdrawn = await db.Execute(WithdrawMail, new { target.Id, target.Email }, ct);
        var holdings = held.Select(u => new Holding("unit", u.Id, u.Name, successor?.Login ?? "the unit's other officers")).ToList();
        await history.Append(AdminEntity.User, AdminHistory.Key(target.Id), "deactivate", actor, target,
            new { active = false, deactivatedAt = now, command.Reason, held = holdings }, ct);
        var after = await reader.Require(target.Id, actor, ct);
        return new DeactivationView(after, holdings, withdrawn);
    }

    private sealed class HeldUnit
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = "";

        public string OrgPath { get; set; } = "";

        public int OtherOfficers { get; set; }
    }
}
