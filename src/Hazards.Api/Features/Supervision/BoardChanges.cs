using System.Text.Json;
using FluentValidation;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;

namespace Hazards.Api.Features.Supervision;

/// <summary>Who may change a unit's board, and the append-only history every change writes.</summary>
public sealed class BoardChanges(DbSession db, UnitScope units)
{
    internal static readonly Sql AppendHistory = Sql.Portable("""
        INSERT INTO unit_board_history (unit_id, seq, subject, subject_key, change_kind, old_value, new_value, changed_by, changed_at)
        SELECT @UnitId, COALESCE(MAX(h.seq), 0) + 1, @Subject, @SubjectKey, @ChangeKind, @OldValue, @NewValue, @ChangedBy, @ChangedAt
        FROM unit_board_history h WHERE h.unit_id = @UnitId
        """);

    /// <summary>The unit if in scope (else 404); a township officer or above, or the unit's own officer, may change it (else 403).</summary>
    public async Task<UnitPlace> Editable(Guid unitId, Actor actor, CancellationToken ct)
    {
        var place = await units.Find(unitId, actor, ct) ?? throw ProblemException.NotFound("unit");
        return actor.Role is Role.UnitOfficer || actor.IsAtLeast(Role.TownshipOfficer)
            ? place
            : throw ProblemException.Forbidden("board.forbidden", "Only township officers and above, or the unit's own officer, change its board.");
    }

    public Task<int> Append(Guid unitId, string subject, string key, string change, object? before, object? after, string login, DateTimeOffset at,
        CancellationToken ct) =>
        db.Execute(AppendHistory, new
        {
            UnitId = unitId,
            Subject = subject,
            SubjectKey = key,
            ChangeKind = change,
            OldValue = before is null ? null : JsonSerializer.Serialize(before, JsonOptions),
            NewValue = after is null ? null : JsonSerializer.Serialize(after, JsonOptions),
            ChangedBy = login,
            ChangedAt = at,
        }, ct);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The person fields both boards take, each validated like a unit's.</summary>
public sealed class PersonValidator : AbstractValidator<ResponsiblePerson>
{
    public PersonValidator()
    {
        RuleFor(p => p.Name).NotEmpty().MaximumLength(100);
        RuleFor(p => p.Phone).Matches(@"^\+?[0-9\-]{5,20}$").When(p => p.Phone is not null);
        RuleFor(p => p.Email).EmailAddress().MaximumLength(254).When(p => p.Email is not null);
    }
}
