using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Admin;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Calendar;
using Mediator;

namespace Hazards.Api.Features.Units;

/// <summary>
/// Closes a unit (停业/注销): its inspection plans end today, so no slot is owed after it; its open cases stay open,
/// keep their deadlines and still climb the ladder.
/// </summary>
public sealed record CloseUnitCommand(string? Reason) : ICommand<CloseUnitView>
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public int Version { get; init; }
}

public sealed record CloseUnitView(UnitView Unit, int PlansEnded, int OpenCases);

public sealed class CloseUnitValidator : AbstractValidator<CloseUnitCommand>
{
    public CloseUnitValidator() => RuleFor(c => c.Reason).MaximumLength(500);
}

public sealed class CloseUnitHandler(DbSession db, ICurrentUser user, UnitReader reader, AdminHistory history, TimeProvider clock)
    : ICommandHandler<CloseUnitCommand, CloseUnitView>
{
    internal static readonly Sql Close = Sql.Portable("""
        UPDATE units SET closed_at = @At, version = version + 1 WHERE id = @Id AND version = @Version AND closed_at IS NULL
        """);

    internal static readonly Sql EndPlans = Sql.Portable("""
        UPDATE inspection_plans SET active_to = @Today WHERE unit_id = @Id AND (active_to IS NULL OR active_to > @Today)
        """);

    internal static readonly Sql OpenCases = Sql.Portable("""
        SELECT COUNT(*) FROM cases WHERE (unit_id = @Id OR responsible_unit_id = @Id) AND status NOT IN ('closed', 'rejected')
        """);

    public async ValueTask<CloseUnitView> Handle(CloseUnitCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var current = await UnitAdmin.Require(reader, command.Id, actor, ct);
        if (current.ClosedAt is not null)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "unit.closed", "The unit is already closed.");
        }

        var now = clock.GetUtcNow();
        if (await db.Execute(Close, new { command.Id, command.Version, At = now }, ct) == 0)
        {
            throw ProblemException.StaleVersion();
        }

        var ended = await db.Execute(EndPlans, new { command.Id, Today = ChinaTime.Today(now) }, ct);
        var open = await db.Scalar<int>(OpenCases, new { command.Id }, ct);
        await history.Append(AdminEntity.Unit, AdminHistory.Key(current.Id), "close", actor, new { current.Name },
            new { closedAt = now, command.Reason, plansEnded = ended, openCases = open }, ct);
        return new CloseUnitView((await reader.Find(current.Id, ct))!.Value.View, ended, open);
    }
}
