using System.Globalization;
using System.Net;
using System.Text;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;
using Hazards.Domain.Escalation;

namespace Hazards.Api.Features.Escalations;

/// <summary>
/// The sweep's mail: one digest per recipient of a sweep's new notices, in Chinese. The sweep queues the digests
/// set-based (<see cref="WriteDigests"/>, one outbox row per recipient and its <c>escalation_digests</c> row naming
/// the sweep and the recipient, in its transaction); the dispatcher
/// renders each when it first takes it (<see cref="Render"/>), from the notices as they were written, so the
/// text does not depend on when it is sent.
/// </summary>
public sealed class NoticeMailer(DbSession db, MailOutbox outbox, EmailOptions email, DeadlineCalculator deadlines) : IMailRenderer
{
    public const string Renderer = "escalation-digest";

    private const string IsSweepRecipient =
        "u.id IN (SELECT r.user_id FROM escalation_notices n JOIN notice_recipients r ON r.notice_id = n.id WHERE n.sweep_id = @SweepId)";

    private const string SqliteMessageId = "replace(@SweepId, '-', '') || '.' || replace(u.id, '-', '') || '@hazards'";

    private const string SqlServerMessageId =
        "LOWER(REPLACE(CONVERT(varchar(36), @SweepId), '-', '') + '.' + REPLACE(CONVERT(varchar(36), u.id), '-', '')) + '@hazards'";

    private static string InsertMails(string id, string messageId) => $"""
        INSERT INTO mail_outbox (id, message_id, kind, to_email, to_name, subject, html_body, text_body, status, attempts,
                                 next_attempt_at, created_at, render)
        SELECT {id}, {messageId}, 'escalation', u.email, u.name, '', '', '', 'pending', 0, @Now, @Now, '{Renderer}'
        FROM users u
        WHERE {IsSweepRecipient}
        """;

    // The mail of a recipient is found by its Message-ID, which names the sweep and the recipient (one unique index lookup).
    private static string InsertDigestRows(string messageId) => $"""
        INSERT INTO escalation_digests (mail_id, sweep_id, user_id)
        SELECT m.id, @SweepId, u.id
        FROM users u
        JOIN mail_outbox m ON m.message_id = {messageId}
        WHERE {IsSweepRecipient}
        """;

    /// <summary>One pending digest mail per recipient of the sweep; its Message-ID names the sweep and the recipient.</summary>
    internal static readonly Sql Digests = new(
        InsertMails(EscalationSql.SqliteId, SqliteMessageId),
        InsertMails("NEWID()", SqlServerMessageId));

    /// <summary>Which sweep and recipient each of those mails is the digest of.</summary>
    internal static readonly Sql DigestRows = new(InsertDigestRows(SqliteMessageId), InsertDigestRows(SqlServerMessageId));

    internal static readonly Sql Digest = Sql.Portable("""
        SELECT sweep_id AS SweepId, user_id AS UserId FROM escalation_digests WHERE mail_id = @Id
        """);

    internal static readonly Sql DigestNotices = Sql.Portable("""
        SELECT n.id AS Id, n.subject_kind AS SubjectKind, n.step AS Step, n.case_id AS CaseId, n.plan_id AS PlanId,
               n.district_code AS DistrictCode, d.name AS DistrictName, n.letter_year AS LetterYear, n.letter_seq AS LetterSeq,
               n.due_at AS DueAt, n.misses AS Misses, n.respond_by AS RespondBy, n.created_at AS CreatedAt,
               c.code AS CaseCode, c.title AS Title, COALESCE(un.name, g.name) AS UnitName, p.name AS PlanName
        FROM notice_recipients r
        JOIN escalation_notices n ON n.id = r.notice_id
        JOIN org_units d ON d.code = n.district_code
        LEFT JOIN cases c ON c.id = n.case_id
        LEFT JOIN units un ON un.id = n.unit_id
        LEFT JOIN inspection_plans p ON p.id = n.plan_id
        LEFT JOIN org_units g ON g.code = p.grid_code
        WHERE r.user_id = @UserId AND r.sweep_id = @SweepId
        ORDER BY n.step DESC, n.district_code, n.letter_seq
        """);

    public string Name => Renderer;

    /// <summary>Queues the sweep's digests in the sweep's transaction, each with its row in <c>escalation_digests</c>; returns how many.</summary>
    public async Task<int> WriteDigests(Guid sweepId, DateTimeOffset now, CancellationToken ct)
    {
        var args = new { SweepId = sweepId, Now = now };
        var queued = await outbox.EnqueueSet(Digests, args, ct);
        if (queued > 0)
        {
            await db.Execute(DigestRows, args, ct);
        }

        return queued;
    }

    public async Task<RenderedMail> Render(MailToRender mail, CancellationToken ct)
    {
        if (await db.Single<DigestRow>(Digest, new { mail.Id }, ct) is not { } digest)
        {
            throw new InvalidOperationException($"Mail {mail.Id} is not a digest: it names no sweep or recipient.");
        }

        var notices = await db.Query<NoticeRow>(DigestNotices, new { digest.SweepId, digest.UserId }, ct);
        if (notices.Count == 0)
        {
            throw new InvalidOperationException($"Digest {mail.Id} has no notices for its recipient in sweep {digest.SweepId}.");
        }

        return new RenderedMail(Subject(notices), Html(mail.ToName, notices), Text(mail.ToName, notices));
    }

    /// <summary>Like 【提示函】渝中区 2 起隐患整改逾期: the highest step, the area, how many.</summary>
    public static string Subject(IReadOnlyList<NoticeRow> notices)
    {
        var step = notices.Max(n => n.Step);
        var districts = notices.Select(n => n.DistrictName).Distinct().ToList();
        var area = districts.Count == 1 ? districts[0] : "全市";
        var cases = notices.Count(n => n.CaseId is not null);
        var plans = notices.Count - cases;
        var what = step == 0 ? "隐患整改临近期限" : "隐患整改逾期";
        var parts = new List<string>();
        if (cases > 0)
        {
            parts.Add($"{cases} 起{what}");
        }

        if (plans > 0)
        {
            parts.Add($"{plans} 项日常检查连续缺失");
        }

        return $"【{EscalationLadder.StepName(step)}】{area} {string.Join("，", parts)}";
    }

    private string Html(string toName, IReadOnlyList<NoticeRow> notices)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(Subject(notices))).Append("</title></head><body style=\"font-family:sans-serif\">");
        html.Append("<p>").Append(Encode(toName)).Append("：</p><p>以下事项已按隐患排查治理“快警、快控、快处”机制发出，请于回复期限前处理并反馈。</p>");
        html.Append("<table border=\"1\" cellpadding=\"6\" cellspacing=\"0\" style=\"border-collapse:collapse\"><thead><tr>")
            .Append("<th>文号</th><th>级别</th><th>隐患编号</th><th>单位</th><th>事项</th><th>期限</th><th>逾期</th><th>回复期限</th><th>链接</th></tr></thead><tbody>");
        foreach (var n in notices)
        {
            html.Append("<tr><td>").Append(Encode(Letter(n))).Append("</td><td>").Append(EscalationLadder.StepName(n.Step))
                .Append("</td><td>").Append(Encode(n.CaseCode ?? "—")).Append("</td><td>").Append(Encode(n.UnitName ?? "—"))
                .Append("</td><td>").Append(Encode(What(n))).Append("</td><td>").Append(Day(n.DueAt))
                .Append("</td><td>").Append(Encode(Overdue(n))).Append("</td><td>").Append(Day(n.RespondBy))
                .Append("</td><td>").Append(Link(n) is { } link ? $"<a href=\"{Encode(link)}\">查看</a>" : "—").Append("</td></tr>");
        }

        html.Append("</tbody></table><p>本邮件由系统自动发送，请勿直接回复。</p></body></html>");
        return html.ToString();
    }

    private string Text(string toName, IReadOnlyList<NoticeRow> notices)
    {
        var text = new StringBuilder();
        text.AppendLine($"{toName}：").AppendLine().AppendLine("以下事项已按隐患排查治理“快警、快控、快处”机制发出，请于回复期限前处理并反馈。").AppendLine();
        foreach (var n in notices)
        {
            text.AppendLine($"{Letter(n)}【{EscalationLadder.StepName(n.Step)}】{n.CaseCode ?? ""} {n.UnitName ?? ""} {What(n)}")
                .AppendLine($"  期限：{Day(n.DueAt)}　逾期：{Overdue(n)}　回复期限：{Day(n.RespondBy)}")
                .AppendLine(Link(n) is { } link ? $"  {link}" : "");
        }

        return text.ToString();
    }

    public static string Letter(NoticeRow n) => EscalationLadder.LetterNumber(n.DistrictName, n.Step, n.LetterYear, n.LetterSeq);

    private static string What(NoticeRow n) => n.SubjectKind switch
    {
        "triage" => $"待交办：{n.Title}",
        "verification" => $"待核查销号：{n.Title}",
        "inspection" => $"检查计划“{n.PlanName}”连续 {n.Misses} 次未检查",
        _ => n.Title ?? "",
    };

    private string Overdue(NoticeRow n)
    {
        if (n.DueAt is not { } due)
        {
            return "—";
        }

        var days = deadlines.WorkingDaysOverdue(due, n.CreatedAt);
        return days > 0 ? $"{days} 个工作日" : "未逾期";
    }

    private string? Link(NoticeRow n) => n.CaseId is { } id ? $"{email.BaseUrl.TrimEnd('/')}/api/v1/cases/{id}" : null;

    private static string Day(DateTimeOffset? instant) =>
        instant is { } at ? ChinaTime.LocalDate(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private sealed class DigestRow
    {
        public Guid SweepId { get; set; }
        public Guid UserId { get; set; }
    }

    public sealed class NoticeRow
    {
        public Guid Id { get; set; }
        public string SubjectKind { get; set; } = "";
        public int Step { get; set; }
        public Guid? CaseId { get; set; }
        public Guid? PlanId { get; set; }
        public string DistrictCode { get; set; } = "";
        public string DistrictName { get; set; } = "";
        public int LetterYear { get; set; }
        public int LetterSeq { get; set; }
        public DateTimeOffset? DueAt { get; set; }
        public int? Misses { get; set; }
        public DateTimeOffset RespondBy { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public string? CaseCode { get; set; }
        public string? Title { get; set; }
        public string? UnitName { get; set; }
        public string? PlanName { get; set; }
    }
}
