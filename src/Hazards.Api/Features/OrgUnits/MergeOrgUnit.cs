using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Admin;
using Hazards.Api.Features.Cases;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Places;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Mediator;

namespace Hazards.Api.Features.OrgUnits;

/// <summary>
/// 区划调整: merges an org unit into a sibling. Its children, units, people, plans and cases move to the sibling,
/// set-based in the command's one transaction (every path beneath is rewritten by prefix); the old code is retired
/// and answers <c>mergedInto</c>. Children keep their codes: a code names a place for good, and cases cite it.
/// </summary>
public sealed record MergeOrgUnitCommand(string? Into) : ICommand<MergeView>
{
    [JsonIgnore]
    public string Code { get; init; } = "";

    [JsonIgnore]
    public int Version { get; init; }
}

public sealed record MergeView(OrgUnitView Retired, OrgUnitView Into, Beneath Moved, int Children);

public sealed class MergeOrgUnitValidator : AbstractValidator<MergeOrgUnitCommand>
{
    public MergeOrgUnitValidator() => RuleFor(c => c.Into).NotEmpty().MaximumLength(OrgCodes.MaxCodeLength).WithMessage(IntoMessage).Must(OrgCodes.IsCode).WithMessage(IntoMessage);

    private const string IntoMessage = "into is the code of a sibling org unit.";
}

public sealed class MergeOrgUnitHandler(
    DbSession db, ICurrentUser user, OrgUnitAdmin admin, AdminHistory history, CaseStore cases, BoundaryStore boundaries, BoundaryIndex index,
    TimeProvider clock, ISender sender)
    : ICommandHandler<MergeOrgUnitCommand, MergeView>
{
    // A path beneath the old org unit (# stands for the column) rebased onto the sibling's path.
    internal const string SqliteRebase = "@New || substr(#, length(@Old) + 1)";

    internal const string SqlServerRebase = "@New + SUBSTRING(#, LEN(@Old) + 1, 100)";

    private const string Beneath = "# >= @Old AND # < @OldTo";

    // Everything placed by path moves with the cases: notices and spot checks too, so their people keep them.
    private static string Moves(string rebase) => $"""
        UPDATE org_units SET parent_code = @Into WHERE parent_code = @Code;
        UPDATE org_units SET path = {rebase.Replace("#", "path")}, version = version + 1 WHERE path > @Old AND path < @OldTo;
        UPDATE units SET org_path = {rebase.Replace("#", "org_path")}, version = version + 1 WHERE {Beneath.Replace("#", "org_path")};
        UPDATE units SET grid_code = @Into WHERE grid_code = @Code;
        UPDATE inspection_plans SET org_path = {rebase.Replace("#", "org_path")} WHERE {Beneath.Replace("#", "org_path")};
        UPDATE inspection_plans SET grid_code = @Into WHERE grid_code = @Code;
        UPDATE users SET org_code = @Into, version = version + 1 WHERE org_code = @Code;
        UPDATE escalation_notices SET org_path = {rebase.Replace("#", "org_path")} WHERE {Beneath.Replace("#", "org_path")};
        UPDATE escalation_notices SET grid_code = @Into WHERE grid_code = @Code;
        UPDATE spot_check_tasks SET org_path = {rebase.Replace("#", "org_path")} WHERE {Beneath.Replace("#", "org_path")};
        UPDATE spot_check_draws SET org_path = {rebase.Replace("#", "org_path")} WHERE {Beneath.Replace("#", "org_path")};
        UPDATE spot_check_draws SET org_code = @Into WHERE org_code = @Code;
        UPDATE org_units SET retired_at = @At, merged_into = @Into WHERE code = @Code;
        """;

    internal static readonly Sql Move = new(Moves(SqliteRebase), Moves(SqlServerRebase));

    // One admin history row for every org unit, unit and person the merge moves, as each is before and will be after.
    private static string MoveHistory(string id, string key, string rebase, Func<(string Name, string Value)[], string> json) => $"""
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'orgUnit', o.code, 'move', @ActorLogin, @ActorRole, @At,
               {json([("parentCode", "o.parent_code"), ("path", "o.path")])},
               {json([("parentCode", "CASE WHEN o.parent_code = @Code THEN @Into ELSE o.parent_code END"), ("path", rebase.Replace("#", "o.path"))])},
               NULL
        FROM org_units o WHERE o.path > @Old AND o.path < @OldTo;
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'unit', {key.Replace("#", "n.id")}, 'move', @ActorLogin, @ActorRole, @At,
               {json([("gridCode", "n.grid_code"), ("orgPath", "n.org_path")])},
               {json([("gridCode", "CASE WHEN n.grid_code = @Code THEN @Into ELSE n.grid_code END"), ("orgPath", rebase.Replace("#", "n.org_path"))])},
               NULL
        FROM units n WHERE {Beneath.Replace("#", "n.org_path")};
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'user', {key.Replace("#", "u.id")}, 'move', @ActorLogin, @ActorRole, @At,
               {json([("orgUnit", "u.org_code"), ("orgPath", "o.path")])},
               {json([("orgUnit", "CASE WHEN u.org_code = @Code THEN @Into ELSE u.org_code END"), ("orgPath", rebase.Replace("#", "o.path"))])},
               NULL
        FROM users u JOIN org_units o ON o.code = u.org_code WHERE {Beneath.Replace("#", "o.path")};
        """;

    internal static readonly Sql History = new(
        MoveHistory(EscalationSql.SqliteId, "#", SqliteRebase,
            members => $"json_object({string.Join(", ", members.Select(m => $"'{m.Name}', {m.Value}"))})"),
        MoveHistory("NEWID()", "LOWER(CONVERT(varchar(36), #))", SqlServerRebase,
            members => $"(SELECT {string.Join(", ", members.Select(m => $"{m.Value} AS {m.Name}"))} FOR JSON PATH, WITHOUT_ARRAY_WRAPPER)"));

    internal static readonly Sql Children = Sql.Portable("SELECT COUNT(*) FROM org_units WHERE parent_code = @Code AND retired_at IS NULL");

    public async ValueTask<MergeView> Handle(MergeOrgUnitCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var row = await admin.Require(command.Code, actor, ct);
        var into = await admin.Require(command.Into!, actor, ct);
        if (into.Code == row.Code || into.ParentCode != row.ParentCode || into.Level != row.Level || into.RetiredAt is not null)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "org_unit.not_a_sibling",
                "An org unit merges into an active sibling: the same parent and level.");
        }

        await admin.Claim(row, command.Version, ct);
        var now = clock.GetUtcNow();
        var moved = await admin.Count(row.Path, ChinaTime.Today(now), ct);
        var children = await db.Scalar<int>(Children, new { row.Code }, ct);
        var merge = new { row.Code, Into = into.Code, Old = row.Path, OldTo = OrgPaths.UpperBound(row.Path), New = into.Path, At = now };
        await db.Execute(History, new { merge.Code, merge.Into, merge.Old, merge.OldTo, merge.New, merge.At, ActorLogin = actor.Login,
            ActorRole = Wire.Name(actor.Role) }, ct);
        await db.Execute(Move, merge, ct);
        await cases.MoveBeneath(merge, ct);
        var boundary = await WidenBoundary(row.Code, into.Code, now, actor.Login, ct);
        await history.Append(AdminEntity.OrgUnit, row.Code, "merge", actor, new { row.Name, row.Path },
            new { mergedInto = into.Code, retiredAt = now, moved, children }, ct);
        await history.Append(AdminEntity.OrgUnit, into.Code, "mergeIn", actor, null, new { from = row.Code, moved, children, boundary }, ct);
        return new MergeView(await sender.Send(new GetOrgUnitQuery(row.Code), ct), await sender.Send(new GetOrgUnitQuery(into.Code), ct), moved, children);
    }

    /// <summary>
    /// The sibling's boundary becomes the union of both (the retired one's alone when the sibling had none) and the stamp
    /// moves, so every instance's index drops the retired boundary and finds its ground in the sibling's.
    /// </summary>
    private async Task<object?> WidenBoundary(string code, string into, DateTimeOffset now, string by, CancellationToken ct)
    {
        if (await boundaries.Find(code, ct) is not { } retired)
        {
            return null;
        }

        var kept = await boundaries.Find(into, ct);
        var shape = BoundaryShape.Read(retired.GeoJson);
        var union = kept is null ? shape : BoundaryShape.Read(kept.GeoJson).Union(shape);
        await boundaries.Save(into, union, retired.Synthetic && kept?.Synthetic != false, now, by, ct);
        db.AfterCommit(() =>
        {
            index.Invalidate();
            return Task.CompletedTask;
        });
        return new { before = Boundaries.HistoryBefore(kept), after = Boundaries.HistoryAfter(union, []) };
    }
}
