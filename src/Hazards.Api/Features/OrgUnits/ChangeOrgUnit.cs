using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Admin;
using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Mediator;

namespace Hazards.Api.Features.OrgUnits;

public sealed record RenameOrgUnitCommand(string? Name) : ICommand<OrgUnitView>
{
    [JsonIgnore]
    public string Code { get; init; } = "";

    [JsonIgnore]
    public int Version { get; init; }
}

public sealed class RenameOrgUnitValidator : AbstractValidator<RenameOrgUnitCommand>
{
    public RenameOrgUnitValidator() =>
        RuleFor(c => c.Name).MaximumLength(OrgCodes.MaxNameLength).WithMessage(OrgCodes.NameMessage).Must(OrgCodes.IsName).WithMessage(OrgCodes.NameMessage);
}

public sealed record RetireOrgUnitCommand(string? Reason) : ICommand<OrgUnitView>
{
    [JsonIgnore]
    public string Code { get; init; } = "";

    [JsonIgnore]
    public int Version { get; init; }
}

public sealed class RetireOrgUnitValidator : AbstractValidator<RetireOrgUnitCommand>
{
    public RetireOrgUnitValidator() => RuleFor(c => c.Reason).MaximumLength(500);
}

/// <summary>What still lies beneath an org unit: a retirement is refused while any of it remains.</summary>
public sealed record Beneath(long OpenCases, long ActiveUnits, long Plans, long People, long OrgUnits);

/// <summary>The org unit an administrator may change: in their subtree and strictly below their own.</summary>
public sealed class OrgUnitAdmin(DbSession db, OrgUnitReader reader)
{
    internal static readonly Sql ClaimVersion = Sql.Portable("""
        UPDATE org_units SET version = version + 1 WHERE code = @Code AND version = @Version AND retired_at IS NULL
        """);

    internal static readonly Sql CountBeneath = Sql.Portable("""
        SELECT
          (SELECT COUNT(*) FROM cases WHERE org_path >= @From AND org_path < @To AND status NOT IN ('closed', 'rejected')) AS OpenCases,
          (SELECT COUNT(*) FROM units WHERE org_path >= @From AND org_path < @To AND closed_at IS NULL) AS ActiveUnits,
          (SELECT COUNT(*) FROM inspection_plans WHERE org_path >= @From AND org_path < @To AND (active_to IS NULL OR active_to >= @Today)) AS Plans,
          (SELECT COUNT(*) FROM users u JOIN org_units o ON o.code = u.org_code WHERE o.path >= @From AND o.path < @To AND u.active = 1) AS People,
          (SELECT COUNT(*) FROM org_units WHERE path > @From AND path < @To AND retired_at IS NULL) AS OrgUnits
        """);

    public async Task<OrgUnitRow> Require(string code, Actor actor, CancellationToken ct)
    {
        var row = await reader.Find(code, actor, ct);
        if (!RoleGrant.MayAdminister(actor) || row.Path == actor.OrgPath || row.Level is "city" or "district")
        {
            throw ProblemException.Forbidden("org_unit.admin_forbidden", "You administer the townships, villages and grids below your own org unit.");
        }

        return row;
    }

    public async Task Claim(OrgUnitRow row, int version, CancellationToken ct)
    {
        if (row.RetiredAt is not null)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "org_unit.retired", "The org unit is retired.");
        }

        if (await db.Execute(ClaimVersion, new { row.Code, Version = version }, ct) == 0)
        {
            throw ProblemException.StaleVersion();
        }
    }

    public async Task<Beneath> Count(string path, DateOnly today, CancellationToken ct) =>
        (await db.Single<Beneath>(CountBeneath, new { From = path, To = OrgPaths.UpperBound(path), Today = today }, ct))!;
}

public sealed class RenameOrgUnitHandler(DbSession db, ICurrentUser user, OrgUnitAdmin admin, AdminHistory history, ISender sender)
    : ICommandHandler<RenameOrgUnitCommand, OrgUnitView>
{
    internal static readonly Sql Rename = Sql.Portable("UPDATE org_units SET name = @Name WHERE code = @Code");

    public async ValueTask<OrgUnitView> Handle(RenameOrgUnitCommand command, CancellationToken ct)
    {
        var row = await admin.Require(command.Code, user.Actor, ct);
        await admin.Claim(row, command.Version, ct);
        var name = command.Name!.Trim();
        await db.Execute(Rename, new { row.Code, Name = name }, ct);
        await history.Append(AdminEntity.OrgUnit, row.Code, "rename", user.Actor, new { name = row.Name }, new { name }, ct);
        return await sender.Send(new GetOrgUnitQuery(row.Code), ct);
    }
}

public sealed class RetireOrgUnitHandler(DbSession db, ICurrentUser user, OrgUnitAdmin admin, AdminHistory history, TimeProvider clock, ISender sender)
    : ICommandHandler<RetireOrgUnitCommand, OrgUnitView>
{
    internal static readonly Sql Retire = Sql.Portable("UPDATE org_units SET retired_at = @At WHERE code = @Code");

    public async ValueTask<OrgUnitView> Handle(RetireOrgUnitCommand command, CancellationToken ct)
    {
        var row = await admin.Require(command.Code, user.Actor, ct);
        await admin.Claim(row, command.Version, ct);
        var now = clock.GetUtcNow();
        var beneath = await admin.Count(row.Path, ChinaTime.Today(now), ct);
        if (beneath is not { OpenCases: 0, ActiveUnits: 0, Plans: 0, People: 0, OrgUnits: 0 })
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "org_unit.not_empty",
                $"Still beneath it: {beneath.OpenCases} open cases, {beneath.ActiveUnits} active units, {beneath.Plans} plans, {beneath.People} people, {beneath.OrgUnits} org units.")
            {
                Extensions = new Dictionary<string, object?> { ["beneath"] = beneath },
            };
        }

        await db.Execute(Retire, new { row.Code, At = now }, ct);
        await history.Append(AdminEntity.OrgUnit, row.Code, "retire", user.Actor, new { row.Name }, new { retiredAt = now, command.Reason }, ct);
        return await sender.Send(new GetOrgUnitQuery(row.Code), ct);
    }
}
