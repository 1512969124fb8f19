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
/// The append-only admin history: who changed which org unit, unit or person, when, and the values
/// before and after. One row per change, written in the change's own transaction; imports write theirs set-based.
/// </summary>
public sealed class AdminHistory(DbSession db, TimeProvider clock)
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        VALUES (@Id, @Entity, @EntityKey, @Action, @ActorLogin, @ActorRole, @At, @BeforeJson, @AfterJson, @ImportId)
        """);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string? ToJson(object? value) => value is null ? null : JsonSerializer.Serialize(value, Json);

    public Task Append(AdminEntity entity, string key, string action, Actor actor, object? before, object? after, CancellationToken ct) =>
        AppendAll([new Entry(entity, key, action, before, after)], actor, importId: null, ct);

    /// <summary>Many changes by one actor at one time, as one batch of the same statement (an import's boundaries).</summary>
    public async Task AppendAll(IEnumerable<Entry> entries, Actor actor, Guid? importId, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        await db.Execute(Insert, entries.Select(e => new
        {
            Id = Guid.CreateVersion7(at),
            Entity = Wire.Name(e.Entity),
            EntityKey = e.Key,
            e.Action,
            ActorLogin = actor.Login,
            ActorRole = Wire.Name(actor.Role),
            At = at,
            BeforeJson = ToJson(e.Before),
            AfterJson = ToJson(e.After),
            ImportId = importId,
        }).ToList(), ct);
    }

    /// <summary>One change of an entity: what it was before and what it is after (null where there was or is nothing).</summary>
    public sealed record Entry(AdminEntity Entity, string Key, string Action, object? Before, object? After);

    /// <summary>The key a history row names an entity by: an org unit's code, a unit's or person's id in lower case.</summary>
    public static string Key(Guid id) => id.ToString("D");
}
