using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Features.Escalations;

/// <summary>A person the notice went to, and whether they acknowledged it.</summary>
public sealed record PageRecipient(Guid UserId, string Name, string Role, bool Addressee, bool Chased, DateTimeOffset? AcknowledgedAt);

/// <summary>Everything a notice's page shows: the notice, its case (with history and files) or its plan, and who was told.</summary>
public sealed record NoticePageModel(
    string Token, Actor Reader, NoticePageReader.NoticeDetail Notice, CaseView? Case, IReadOnlyList<PageRecipient> Recipients,
    DateTimeOffset? ChasedAt, DateTimeOffset Now);

/// <summary>
/// Opens a mail link the way the page needs it: the signature (edited: 404), the expiry (410), the recipient as they are
/// now (deactivated: 410), still a recipient of the notice and still seeing its subject (moved away: 404). Nothing a
/// link opens is more than its recipient may see with the app.
/// </summary>
public sealed class NoticePageReader(DbSession db, NoticeLinks links, UserDirectory users, CaseStore cases, CaseViews views, TimeProvider clock)
{
    internal static readonly Sql Detail = Sql.Portable("""
        SELECT n.id AS Id, n.subject_kind AS SubjectKind, n.step AS Step, n.case_id AS CaseId, n.plan_id AS PlanId, n.unit_id AS UnitId,
               n.org_path AS OrgPath, n.grid_code AS GridCode, n.district_code AS DistrictCode, d.name AS DistrictName, n.letter_year AS LetterYear,
               n.letter_seq AS LetterSeq, n.due_at AS DueAt, n.misses AS Misses, n.respond_by AS RespondBy, n.acknowledge_by AS AcknowledgeBy,
               n.acknowledged_at AS AcknowledgedAt, n.created_at AS CreatedAt, p.name AS PlanName, p.cadence AS Cadence,
               un.name AS UnitName, g.name AS PlaceName, h.created_at AS ChasedAt
        FROM escalation_notices n
        LEFT JOIN notice_chases h ON h.notice_id = n.id
        JOIN org_units d ON d.code = n.district_code
        LEFT JOIN inspection_plans p ON p.id = n.plan_id
        LEFT JOIN units un ON un.id = n.unit_id
        LEFT JOIN org_units g ON g.code = n.grid_code
        WHERE n.id = @Id
        """);

    internal static readonly Sql Recipients = Sql.Portable("""
        SELECT u.id AS UserId, u.name AS Name, u.role AS Role, CAST(r.addressee AS int) AS Addressee, 0 AS Chased, a.acknowledged_at AS AcknowledgedAt
        FROM notice_recipients r
        JOIN users u ON u.id = r.user_id
        LEFT JOIN notice_acknowledgements a ON a.notice_id = r.notice_id AND a.user_id = r.user_id
        WHERE r.notice_id = @Id
        UNION ALL
        SELECT u.id, u.name, u.role, 0, 1, a.acknowledged_at
        FROM chase_recipients r
        JOIN users u ON u.id = r.user_id
        LEFT JOIN notice_acknowledgements a ON a.notice_id = r.notice_id AND a.user_id = r.user_id
        WHERE r.notice_id = @Id
        ORDER BY Chased, Addressee DESC, Role, Name
        """);

    public static ProblemException UnknownLink() =>
        new(StatusCodes.Status404NotFound, "notice_link.not_found", "This link is not one the service sent, or it was changed on the way.");

    public static ProblemException ExpiredLink() =>
        new(StatusCodes.Status410Gone, "notice_link.expired", "This link has expired; the notice is in the app, or in the next mail.");

    public static ProblemException InactiveRecipient() =>
        new(StatusCodes.Status410Gone, "notice_link.recipient_inactive", "The person this link was sent to is no longer active.");

    /// <summary>The link's recipient, as they are now, when the link is genuine, unexpired and its recipient active.</summary>
    public async Task<(SignedLink Link, Actor Reader)> Recipient(string token, LinkKind kind, CancellationToken ct)
    {
        var (state, link) = links.Read(token, kind, clock.GetUtcNow());
        if (state == LinkState.Unknown)
        {
            throw UnknownLink();
        }

        if (state == LinkState.Expired)
        {
            throw ExpiredLink();
        }

        var reader = await users.FindActive(link!.UserId, ct) ?? throw InactiveRecipient();
        return (link, reader);
    }

    public async Task<NoticePageModel> Open(string token, CancellationToken ct)
    {
        var (link, reader) = await Recipient(token, LinkKind.Notice, ct);
        var notice = await db.Single<NoticeDetail>(Detail, new { link.Id }, ct) ?? throw UnknownLink();
        var recipients = await db.Query<RecipientRow>(Recipients, new { link.Id }, ct);
        if (recipients.All(r => r.UserId != reader.UserId) || !reader.CoversUnit(notice.UnitId ?? Guid.Empty, notice.OrgPath))
        {
            throw ProblemException.NotFound("notice");
        }

        CaseView? view = null;
        if (notice.CaseId is { } caseId)
        {
            var (hazard, place) = await cases.Load(caseId, reader, ct);
            view = await views.Full(hazard, place, ct);
        }

        return new NoticePageModel(token, reader, notice, view,
            recipients.Select(r => new PageRecipient(r.UserId, r.Name, r.Role, r.Addressee == 1, r.Chased == 1, r.AcknowledgedAt)).ToList(),
            notice.ChasedAt, clock.GetUtcNow());
    }

    public sealed class NoticeDetail
    {
        public Guid Id { get; set; }
        public string SubjectKind { get; set; } = "";
        public int Step { get; set; }
        public Guid? CaseId { get; set; }
        public Guid? PlanId { get; set; }
        public Guid? UnitId { get; set; }
        public string OrgPath { get; set; } = "";
        public string GridCode { get; set; } = "";
        public string DistrictCode { get; set; } = "";
        public string DistrictName { get; set; } = "";
        public int LetterYear { get; set; }
        public int LetterSeq { get; set; }
        public DateTimeOffset? DueAt { get; set; }
        public int? Misses { get; set; }
        public DateTimeOffset RespondBy { get; set; }
        public DateTimeOffset? AcknowledgeBy { get; set; }
        public DateTimeOffset? AcknowledgedAt { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public string? PlanName { get; set; }
        public string? Cadence { get; set; }
        public string? UnitName { get; set; }
        public string? PlaceName { get; set; }
        public DateTimeOffset? ChasedAt { get; set; }
    }

    private sealed class RecipientRow
    {
        public Guid UserId { get; set; }
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public int Addressee { get; set; }
        public int Chased { get; set; }
        public DateTimeOffset? AcknowledgedAt { get; set; }
    }
}
