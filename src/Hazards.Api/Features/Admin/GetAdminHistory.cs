using System.Globalization;
using System.Text.Json.Nodes;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Admin;

public sealed record GetAdminHistoryQuery(string? Entity, string? Id, DateTimeOffset? From, DateTimeOffset? To, int? Limit, string? Cursor)
    : IQuery<AdminHistoryPage>;

public sealed record AdminHistoryEntry(
    Guid Id, AdminEntity Entity, string EntityKey, string Action, string Actor, Role ActorRole, DateTimeOffset At,
    JsonNode? Before, JsonNode? After, Guid? ImportId);

public sealed record AdminHistoryPage(IReadOnlyList<AdminHistoryEntry> Items, string? NextCursor);

/// <summary>Readable by city admins only: the history spans every subtree.</summary>
public sealed class GetAdminHistoryHandler(DbSession db, ICurrentUser user) : IQueryHandler<GetAdminHistoryQuery, AdminHistoryPage>
{
    internal static readonly Sql Page = new(
        """
        SELECT id AS Id, entity AS Entity, entity_key AS EntityKey, action AS Action, actor_login AS Actor, actor_role AS ActorRole,
               at AS At, before_json AS BeforeJson, after_json AS AfterJson, import_id AS ImportId
        FROM admin_history
        WHERE (@Entity IS NULL OR entity = @Entity) AND (@Key IS NULL OR entity_key = @Key)
          AND at >= @From AND at < @To
          AND (@AfterAt IS NULL OR at > @AfterAt OR (at = @AfterAt AND id > @AfterId))
        ORDER BY at, id
        LIMIT @Take
        """,
        """
        SELECT TOP (@Take) id AS Id, entity AS Entity, entity_key AS EntityKey, action AS Action, actor_login AS Actor, actor_role AS ActorRole,
               at AS At, before_json AS BeforeJson, after_json AS AfterJson, import_id AS ImportId
        FROM admin_history
        WHERE (@Entity IS NULL OR entity = @Entity) AND (@Key IS NULL OR entity_key = @Key)
          AND at >= @From AND at < @To
          AND (@AfterAt IS NULL OR at > @AfterAt OR (at = @AfterAt AND id > @AfterId))
        ORDER BY at, id
        """);

    public async ValueTask<AdminHistoryPage> Handle(GetAdminHistoryQuery query, CancellationToken ct)
    {
        if (!user.Actor.IsAtLeast(Role.CityAdmin))
        {
            throw ProblemException.Forbidden("admin.history_forbidden", "The admin history is for city admins.");
        }

        AdminEntity? entity = null;
        if (query.Entity is not null)
        {
            entity = Wire.TryParse<AdminEntity>(query.Entity, out var e)
                ? e
                : throw ProblemException.BadRequest("admin.invalid_entity", "entity must be orgUnit, unit or user.");
        }

        if (query.Id is { Length: > 64 })
        {
            throw ProblemException.BadRequest("admin.invalid_id", "id is an org unit code or an id.");
        }

        var from = query.From ?? DateTimeOffset.MinValue.AddYears(2000);
        var to = query.To ?? DateTimeOffset.MaxValue.AddYears(-1000);
        if (to < from)
        {
            throw ProblemException.BadRequest("admin.invalid_period", "to must not be before from.");
        }

        var limit = Paging.Limit(query.Limit);
        var after = Cursor.Decode(query.Cursor, "admin", 2);
        var rows = await db.Query<Row>(Page, new
        {
            Entity = entity is { } x ? Wire.Name(x) : null,
            Key = query.Id?.ToLowerInvariant(),
            From = from,
            To = to,
            AfterAt = after is null ? (DateTimeOffset?)null : Cursor.Instant(after[0]),
            AfterId = after is null ? (Guid?)null : Cursor.Id(after[1]),
            Take = limit + 1,
        }, ct);
        var items = rows.Take(limit).Select(r => new AdminHistoryEntry(
            r.Id, Wire.Parse<AdminEntity>(r.Entity), r.EntityKey, r.Action, r.Actor, Wire.Parse<Role>(r.ActorRole), r.At,
            r.BeforeJson is null ? null : JsonNode.Parse(r.BeforeJson), r.AfterJson is null ? null : JsonNode.Parse(r.AfterJson), r.ImportId)).ToList();
        var next = rows.Count > limit
            ? Cursor.Encode("admin", DapperTypes.FormatInstant(items[^1].At), items[^1].Id.ToString("D"))
            : null;
        return new AdminHistoryPage(items, next);
    }

    private sealed class Row
    {
        public Guid Id { get; set; }

        public string Entity { get; set; } = "";

        public string EntityKey { get; set; } = "";

        public string Action { get; set; } = "";

        public string Actor { get; set; } = "";

        public string ActorRole { get; set; } = "";

        public DateTimeOffset At { get; set; }

        public string? BeforeJson { get; set; }

        public string? AfterJson { get; set; }

        public Guid? ImportId { get; set; }
    }
}
