using System.Globalization;
using Dapper;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Escalation;
using Mediator;

namespace Hazards.Api.Features.Escalations;

/// <summary>Notices in the caller's scope, newest first, by org unit, step, subject (a case or plan id) and day.</summary>
public sealed record ListEscalationsQuery(string? OrgUnit, int? Step, Guid? Subject, DateOnly? From, DateOnly? To, int? Limit, string? Cursor)
    : IQuery<NoticePage>;

public sealed record NoticeView(
    Guid Id, string LetterNumber, int Step, string StepName, string SubjectKind, Guid SubjectId, Guid? CaseId, string? CaseCode, Guid? PlanId,
    Guid? UnitId, string DistrictCode, string GridCode, DateTimeOffset? DueAt, int? Misses, DateTimeOffset RespondBy, DateTimeOffset CreatedAt,
    IReadOnlyList<string> Recipients, DateTimeOffset? AcknowledgeBy, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ChasedAt,
    IReadOnlyList<NoticeAcknowledgement> Acknowledgements);

/// <summary>One recipient's 签收 of a notice.</summary>
public sealed record NoticeAcknowledgement(string Login, DateTimeOffset At, string Via);

public sealed record NoticePage(IReadOnlyList<NoticeView> Items, string? NextCursor);

public sealed class ListEscalationsHandler(DbSession db, ICurrentUser user) : IQueryHandler<ListEscalationsQuery, NoticePage>
{
    /// <summary>The ladder's steps a list can be filtered by: 0 (预警) to 4 (曝光).</summary>
    public const int MinStep = 0;
    public const int MaxStep = 4;

    private const string Body = $"""
        SELECT n.id AS Id, n.subject_kind AS SubjectKind, n.subject_id AS SubjectId, n.step AS Step, n.case_id AS CaseId, c.code AS CaseCode,
               n.plan_id AS PlanId, n.unit_id AS UnitId, n.district_code AS DistrictCode, d.name AS DistrictName, n.grid_code AS GridCode,
               n.letter_year AS LetterYear, n.letter_seq AS LetterSeq, n.due_at AS DueAt, n.misses AS Misses, n.respond_by AS RespondBy,
               n.created_at AS CreatedAt, n.acknowledge_by AS AcknowledgeBy, n.acknowledged_at AS AcknowledgedAt, h.created_at AS ChasedAt
        FROM escalation_notices n
        JOIN org_units d ON d.code = n.district_code
        LEFT JOIN cases c ON c.id = n.case_id
        LEFT JOIN notice_chases h ON h.notice_id = n.id
        WHERE {NoticeScope.Predicate}
          AND (@OrgFrom IS NULL OR (n.org_path >= @OrgFrom AND n.org_path < @OrgTo))
          AND (@Step IS NULL OR n.step = @Step)
          AND (@Subject IS NULL OR n.subject_id = @Subject)
          AND (@FromAt IS NULL OR n.created_at >= @FromAt)
          AND (@ToAt IS NULL OR n.created_at < @ToAt)
          AND (@AfterAt IS NULL OR n.created_at < @AfterAt OR (n.created_at = @AfterAt AND n.id < @AfterId))
        ORDER BY n.created_at DESC, n.id DESC
        """;

    internal static readonly Sql Page = new($"{Body} LIMIT @Take", $"{Body} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");

    internal static readonly Sql RecipientsOf = Sql.Portable("""
        SELECT r.notice_id AS NoticeId, u.login AS Login
        FROM notice_recipients r JOIN users u ON u.id = r.user_id
        JOIN escalation_notices n ON n.id = r.notice_id
        WHERE n.created_at >= @Oldest AND n.created_at <= @Newest
        ORDER BY u.login
        """);

    internal static readonly Sql AcknowledgementsOf = Sql.Portable("""
        SELECT a.notice_id AS NoticeId, u.login AS Login, a.acknowledged_at AS At, a.via AS Via
        FROM notice_acknowledgements a JOIN users u ON u.id = a.user_id
        JOIN escalation_notices n ON n.id = a.notice_id
        WHERE n.created_at >= @Oldest AND n.created_at <= @Newest
        ORDER BY a.acknowledged_at, u.login
        """);

    internal static readonly Sql OrgPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code");

    public async ValueTask<NoticePage> Handle(ListEscalationsQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var limit = Paging.Limit(query.Limit);

        if (query.Step is < MinStep or > MaxStep)
        {
            throw ProblemException.BadRequest("request.invalid_filter", "step is 0 (预警) to 4 (曝光).");
        }

        Days.InRange(query.From, "from");
        Days.InRange(query.To, "to");

        string? orgFrom = null;
        if (query.OrgUnit is not null)
        {
            var path = await db.Single<string>(OrgPath, new { Code = query.OrgUnit }, ct);
            orgFrom = path is not null && actor.CoversPath(path) ? path : throw ProblemException.NotFound("org_unit");
        }

        var (afterAt, afterId) = DecodeCursor(query.Cursor);
        var parameters = NoticeScope.Args(actor, new
        {
            OrgFrom = orgFrom,
            OrgTo = orgFrom is null ? null : OrgPaths.UpperBound(orgFrom),
            query.Step,
            query.Subject,
            FromAt = query.From is { } from ? ChinaTime.StartOfDay(from) : (DateTimeOffset?)null,
            ToAt = query.To is { } to ? ChinaTime.StartOfDay(to.AddDays(1)) : (DateTimeOffset?)null,
            AfterAt = afterAt,
            AfterId = afterId,
            Take = limit + 1,
        });
        var rows = await db.Query<Row>(Page, parameters, ct);
        var items = rows.Take(limit).ToList();
        var recipientRows = items.Count == 0
            ? []
            : await db.Query<RecipientRow>(RecipientsOf, new { Oldest = items.Min(i => i.CreatedAt), Newest = items.Max(i => i.CreatedAt) }, ct);
        var recipients = recipientRows.ToLookup(r => r.NoticeId, r => r.Login);
        var acknowledgementRows = items.Count == 0
            ? []
            : await db.Query<AcknowledgementRow>(AcknowledgementsOf, new { Oldest = items.Min(i => i.CreatedAt), Newest = items.Max(i => i.CreatedAt) }, ct);
        var acknowledgements = acknowledgementRows.ToLookup(a => a.NoticeId, a => new NoticeAcknowledgement(a.Login, a.At, a.Via));
        var views = items.Select(r => new NoticeView(r.Id, EscalationLadder.LetterNumber(r.DistrictName, r.Step, r.LetterYear, r.LetterSeq), r.Step,
            EscalationLadder.StepName(r.Step), r.SubjectKind, r.SubjectId, r.CaseId, r.CaseCode, r.PlanId, r.UnitId, r.DistrictCode, r.GridCode, r.DueAt,
            r.Misses, r.RespondBy, r.CreatedAt, recipients[r.Id].ToList(), r.AcknowledgeBy, r.AcknowledgedAt, r.ChasedAt,
            acknowledgements[r.Id].ToList())).ToList();
        return new NoticePage(views, rows.Count > limit ? EncodeCursor(items[^1]) : null);
    }

    private static string EncodeCursor(Row last) =>
        Cursor.Encode("n1", last.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), last.Id.ToString("D"));

    private static (DateTimeOffset? At, Guid? Id) DecodeCursor(string? cursor) =>
        Cursor.Decode(cursor, "n1", 2) is not { } fields ? (null, null) : (Cursor.Ticks(fields[0]), Cursor.Id(fields[1]));

    private sealed class Row
    {
        public Guid Id { get; set; }
        public string SubjectKind { get; set; } = "";
        public Guid SubjectId { get; set; }
        public int Step { get; set; }
        public Guid? CaseId { get; set; }
        public string? CaseCode { get; set; }
        public Guid? PlanId { get; set; }
        public Guid? UnitId { get; set; }
        public string DistrictCode { get; set; } = "";
        public string DistrictName { get; set; } = "";
        public string GridCode { get; set; } = "";
        public int LetterYear { get; set; }
        public int LetterSeq { get; set; }
        public DateTimeOffset? DueAt { get; set; }
        public int? Misses { get; set; }
        public DateTimeOffset RespondBy { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? AcknowledgeBy { get; set; }
        public DateTimeOffset? AcknowledgedAt { get; set; }
        public DateTimeOffset? ChasedAt { get; set; }
    }

    private sealed class AcknowledgementRow
    {
        public Guid NoticeId { get; set; }
        public string Login { get; set; } = "";
        public DateTimeOffset At { get; set; }
        public string Via { get; set; } = "";
    }

    private sealed class RecipientRow
    {
        public Guid NoticeId { get; set; }
        public string Login { get; set; } = "";
    }
}
