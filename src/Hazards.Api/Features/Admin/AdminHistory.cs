using System.Text.Json;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Admin;

public enum AdminEntity
{
    OrgUnit,
    Unit,
    User,
}

/// <summary>
/// The append-only admin history (issue 16): who changed which org unit, unit or person, when, and the values
/// before and after. One row per change, written in the change's own transaction; imports write theirs set-based.
/// </summary>
public sealed class AdminHistory(DbSession db, TimeProvider clock)
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        VALUES (@Id, @Entity, @EntityKey, @Action, @ActorLogin, @ActorRole, @At, @BeforeJson, @AfterJson, NULL)
        """);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string? ToJson(object? value) => value is null ? null : JsonSerializer.Serialize(value, Json);

    public async Task Append(AdminEntity entity, string key, string action, Actor actor, object? before, object? after, CancellationToken ct) =>
        await db.Execute(Insert, new
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            Entity = Wire.Name(entity),
            EntityKey = key,
            Action = action,
            ActorLogin = actor.Login,
            ActorRole = Wire.Name(actor.Role),
            At = clock.GetUtcNow(),
            BeforeJson = ToJson(before),
            AfterJson = ToJson(after),
        }, ct);

    /// <summary>The key a history row names an entity by: an org unit's code, a unit's or person's id in lower case.</summary>
    public static string Key(Guid id) => id.ToString("D");
}
