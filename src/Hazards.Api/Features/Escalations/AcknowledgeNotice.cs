using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Escalation;
using Mediator;

namespace Hazards.Api.Features.Escalations;

/// <summary>One person's 签收 of one notice: when, and whether this answer recorded it or an earlier one had.</summary>
public sealed record AcknowledgementView(Guid NoticeId, string LetterNumber, string Login, DateTimeOffset AcknowledgedAt, string Via, bool Addressee,
    bool AlreadyAcknowledged);

/// <summary>签收 in the app: a recipient of a notice (or of its 叫应 chase) says they received it.</summary>
public sealed record AcknowledgeNoticeCommand(Guid NoticeId) : ICommand<AcknowledgementView>;

public sealed class AcknowledgeNoticeHandler(NoticeAcknowledgements acknowledgements, ICurrentUser user)
    : ICommandHandler<AcknowledgeNoticeCommand, AcknowledgementView>
{
    public async ValueTask<AcknowledgementView> Handle(AcknowledgeNoticeCommand command, CancellationToken ct) =>
        await acknowledgements.Acknowledge(user.Actor, command.NoticeId, NoticeAcknowledgements.ViaApp, ct);
}

/// <summary>
/// Records a 签收 once per person and notice, whichever way it came (the mail's page or the app): the person must
/// be one of the notice's recipients and still see its subject. The first acknowledgement of an addressee answers the
/// warning (<c>acknowledged_at</c>, so 叫应 calls nobody); each person's first one is a row of the case's history.
/// </summary>
public sealed class NoticeAcknowledgements(DbSession db, CaseChanges changes, TimeProvider clock)
{
    public const string ViaApp = "app";
    public const string ViaPage = "page";

    internal static readonly Sql Notice = Sql.Portable("""
        SELECT n.id AS Id, n.case_id AS CaseId, n.unit_id AS UnitId, n.org_path AS OrgPath, n.step AS Step, d.name AS DistrictName,
               n.letter_year AS LetterYear, n.letter_seq AS LetterSeq,
               (SELECT MAX(CAST(r.addressee AS int)) FROM notice_recipients r WHERE r.notice_id = n.id AND r.user_id = @UserId) AS Addressee,
               (SELECT COUNT(*) FROM chase_recipients h WHERE h.notice_id = n.id AND h.user_id = @UserId) AS Chased
        FROM escalation_notices n
        JOIN org_units d ON d.code = n.district_code
        WHERE n.id = @Id
        """);

    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO notice_acknowledgements (notice_id, user_id, acknowledged_at, via)
        SELECT @Id, @UserId, @Now, @Via
        WHERE NOT EXISTS (SELECT 1 FROM notice_acknowledgements a WHERE a.notice_id = @Id AND a.user_id = @UserId)
        """);

    internal static readonly Sql Answered = Sql.Portable("""
        UPDATE escalation_notices SET acknowledged_at = @Now WHERE id = @Id AND acknowledged_at IS NULL
        """);

    internal static readonly Sql Recorded = Sql.Portable("""
        SELECT acknowledged_at AS AcknowledgedAt, via AS Via FROM notice_acknowledgements WHERE notice_id = @Id AND user_id = @UserId
        """);

    public async Task<AcknowledgementView> Acknowledge(Actor actor, Guid noticeId, string via, CancellationToken ct)
    {
        var notice = await db.Single<NoticeRow>(Notice, new { Id = noticeId, actor.UserId }, ct);
        if (notice is null || (notice.Addressee is null && notice.Chased == 0) || !actor.CoversUnit(notice.UnitId ?? Guid.Empty, notice.OrgPath))
        {
            throw ProblemException.NotFound("notice");
        }

        var letter = EscalationLadder.LetterNumber(notice.DistrictName, notice.Step, notice.LetterYear, notice.LetterSeq);
        var addressee = notice.Addressee == 1;
        var now = clock.GetUtcNow();
        var args = new { Id = noticeId, actor.UserId, Now = now, Via = via };
        if (await db.Execute(Insert, args, ct) == 0)
        {
            var earlier = (await db.Single<RecordedRow>(Recorded, args, ct))!;
            return new AcknowledgementView(noticeId, letter, actor.Login, earlier.AcknowledgedAt, earlier.Via, addressee, AlreadyAcknowledged: true);
        }

        if (addressee)
        {
            await db.Execute(Answered, args, ct);
        }

        if (notice.CaseId is { } caseId)
        {
            await changes.Move(actor, caseId, version: null, (hazard, by, at) => hazard.AcknowledgeNotice(noticeId, notice.Step, letter, by, at), ct);
        }

        return new AcknowledgementView(noticeId, letter, actor.Login, now, via, addressee, AlreadyAcknowledged: false);
    }

    private sealed class NoticeRow
    {
        public Guid Id { get; set; }
        public Guid? CaseId { get; set; }
        public Guid? UnitId { get; set; }
        public string OrgPath { get; set; } = "";
        public int Step { get; set; }
        public string DistrictName { get; set; } = "";
        public int LetterYear { get; set; }
        public int LetterSeq { get; set; }
        public int? Addressee { get; set; }
        public int Chased { get; set; }
    }

    private sealed class RecordedRow
    {
        public DateTimeOffset AcknowledgedAt { get; set; }
        public string Via { get; set; } = "";
    }
}
