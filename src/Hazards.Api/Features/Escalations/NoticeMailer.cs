using System.Globalization;
using System.Net;
using System.Text;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Domain;
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
public sealed class NoticeMailer(DbSession db, MailOutbox outbox, EmailOptions email, DeadlineCalculator deadlines, NoticeLinks links, TimeProvider clock)
    : IMailRenderer
{
    public const string Renderer = "escalation-digest";

    private const string IsSweepRecipient =
        "(u.id IN (SELECT r.user_id FROM escalation_notices n JOIN notice_recipients r ON r.notice_id = n.id WHERE n.sweep_id = @SweepId)"
        + " OR u.id IN (SELECT h.user_id FROM chase_recipients h WHERE h.sweep_id = @SweepId))";

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
        SELECT d.sweep_id AS SweepId, d.user_id AS UserId, u.role AS Role, u.org_code AS OrgCode
        FROM escalation_digests d JOIN users u ON u.id = d.user_id
        WHERE d.mail_id = @Id
        """);

    // A recipient's items of one sweep: the notices they were sent, then the warnings chased to them (叫应), most serious first.
    private const string ItemColumns = """
        n.id AS Id, n.subject_kind AS SubjectKind, n.step AS Step, n.case_id AS CaseId, n.plan_id AS PlanId,
        n.district_code AS DistrictCode, d.name AS DistrictName, n.grid_code AS GridCode, n.letter_year AS LetterYear, n.letter_seq AS LetterSeq,
        n.due_at AS DueAt, n.misses AS Misses, n.respond_by AS RespondBy, n.acknowledge_by AS AcknowledgeBy, n.created_at AS CreatedAt,
        c.code AS CaseCode, c.title AS Title, COALESCE(un.name, g.name) AS UnitName, p.name AS PlanName
        """;

    private const string ItemJoins = """
        JOIN escalation_notices n ON n.id = r.notice_id
        JOIN org_units d ON d.code = n.district_code
        LEFT JOIN cases c ON c.id = n.case_id
        LEFT JOIN units un ON un.id = n.unit_id
        LEFT JOIN inspection_plans p ON p.id = n.plan_id
        LEFT JOIN org_units g ON g.code = p.grid_code
        """;

    private static string Items(string scope) => $"""
        SELECT {ItemColumns}, 0 AS Chased
        FROM notice_recipients r
        {ItemJoins}
        WHERE r.user_id = @UserId AND r.sweep_id = @SweepId{scope}
        UNION ALL
        SELECT {ItemColumns}, 1 AS Chased
        FROM chase_recipients r
        {ItemJoins}
        WHERE r.user_id = @UserId AND r.sweep_id = @SweepId{scope}
        ORDER BY Chased DESC, Step DESC, DistrictCode, LetterSeq
        """;

    private static Sql Paged(string items) => new($"{items} LIMIT @Take OFFSET @Skip", $"{items} OFFSET @Skip ROWS FETCH NEXT @Take ROWS ONLY");

    private static string CountOf(string scope) => $"""
        SELECT (SELECT COUNT(*) FROM notice_recipients r JOIN escalation_notices n ON n.id = r.notice_id
                WHERE r.user_id = @UserId AND r.sweep_id = @SweepId{scope})
             + (SELECT COUNT(*) FROM chase_recipients r JOIN escalation_notices n ON n.id = r.notice_id
                WHERE r.user_id = @UserId AND r.sweep_id = @SweepId{scope})
        """;

    // The page of a digest shows its reader only what they still see: a recipient may have moved since the sweep.
    private const string ReaderScope = $" AND {NoticeScope.Predicate}";

    /// <summary>One page of a recipient's items of a sweep, in the digest's order.</summary>
    internal static readonly Sql DigestItems = Paged(Items(""));

    internal static readonly Sql DigestCount = Sql.Portable(CountOf(""));

    /// <summary>The same, of the items in the reader's scope now.</summary>
    internal static readonly Sql ReaderItems = Paged(Items(ReaderScope));

    internal static readonly Sql ReaderCount = Sql.Portable(CountOf(ReaderScope));

    // The child units of the recipient's level are the first @ChildLength digits of the notices' grid codes.
    private static string Summary(string substring) => $"""
        SELECT s.ChildCode, o.name AS ChildName, s.Step, s.Chased, COUNT(*) AS Items
        FROM (
            SELECT {substring}(n.grid_code, 1, @ChildLength) AS ChildCode, n.step AS Step, 0 AS Chased
            FROM notice_recipients r JOIN escalation_notices n ON n.id = r.notice_id
            WHERE r.user_id = @UserId AND r.sweep_id = @SweepId
            UNION ALL
            SELECT {substring}(n.grid_code, 1, @ChildLength), n.step, 1
            FROM chase_recipients r JOIN escalation_notices n ON n.id = r.notice_id
            WHERE r.user_id = @UserId AND r.sweep_id = @SweepId
        ) s
        LEFT JOIN org_units o ON o.code = s.ChildCode
        GROUP BY s.ChildCode, o.name, s.Step, s.Chased
        ORDER BY s.ChildCode, s.Chased DESC, s.Step DESC
        """;

    /// <summary>A recipient's items of a sweep counted per child unit of their level, step, and whether chased.</summary>
    internal static readonly Sql DigestSummary = new(Summary("substr"), Summary("SUBSTRING"));

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

        var total = await Count(digest.SweepId, digest.UserId, ct);
        if (total == 0)
        {
            throw new InvalidOperationException($"Digest {mail.Id} has no notices for its recipient in sweep {digest.SweepId}.");
        }

        var now = clock.GetUtcNow();
        var role = Wire.Parse<Role>(digest.Role);
        if (role is Role.GridWorker or Role.UnitOfficer || total <= email.DigestMaxItems)
        {
            var all = await Page(digest.SweepId, digest.UserId, 0, total, ct);
            var listed = Compose(mail.ToName, digest.UserId, all, null, now);
            if (Size(listed) <= email.DigestMaxBytes)
            {
                return listed;
            }
        }

        // Summed up: counted per child unit and step, the most serious listed, one link to them all.
        var summary = await db.Query<SummaryRow>(DigestSummary, new { digest.SweepId, digest.UserId, ChildLength = ChildLength(role, digest.OrgCode) }, ct);
        var top = await Page(digest.SweepId, digest.UserId, 0, email.DigestMaxItems, ct);
        var link = links.Url(LinkKind.Digest, mail.Id, digest.UserId, now);
        var rendered = Compose(mail.ToName, digest.UserId, top, new DigestSummaryPart(total, summary, link), now);
        while (Size(rendered) > email.DigestMaxBytes && top.Count > 0)
        {
            top = top.Take(top.Count / 2).ToList();
            rendered = Compose(mail.ToName, digest.UserId, top, new DigestSummaryPart(total, summary, link), now);
        }

        return rendered;
    }

    /// <summary>One page of a recipient's items of a sweep, as the digest orders them.</summary>
    public Task<IReadOnlyList<NoticeRow>> Page(Guid sweepId, Guid userId, int skip, int take, CancellationToken ct) =>
        db.Query<NoticeRow>(DigestItems, new { SweepId = sweepId, UserId = userId, Skip = skip, Take = take }, ct);

    public Task<int> Count(Guid sweepId, Guid userId, CancellationToken ct) => db.Scalar<int>(DigestCount, new { SweepId = sweepId, UserId = userId }, ct);

    /// <summary>One page of the reader's items of a sweep that are in their scope now, as the digest orders them.</summary>
    public Task<IReadOnlyList<NoticeRow>> ReaderPage(Guid sweepId, Actor reader, int skip, int take, CancellationToken ct) =>
        db.Query<NoticeRow>(ReaderItems, NoticeScope.Args(reader, new { SweepId = sweepId, Skip = skip, Take = take }), ct);

    public Task<int> ReaderCountOf(Guid sweepId, Actor reader, CancellationToken ct) =>
        db.Scalar<int>(ReaderCount, NoticeScope.Args(reader, new { SweepId = sweepId }), ct);

    /// <summary>The digest a mail is, and whose: for the page that lists all its items.</summary>
    public Task<DigestRow?> DigestOf(Guid mailId, CancellationToken ct) => db.Single<DigestRow>(Digest, new { Id = mailId }, ct);

    /// <summary>The units one level below the recipient's: a city admin's districts, a district's townships, a township's villages, else the grids.</summary>
    private static int ChildLength(Role role, string orgCode) => role switch
    {
        Role.CityAdmin => 6,
        _ => Math.Min(orgCode.Length + 3, 15),
    };

    private static int Size(RenderedMail mail) => Encoding.UTF8.GetByteCount(mail.Subject) + Encoding.UTF8.GetByteCount(mail.HtmlBody)
        + Encoding.UTF8.GetByteCount(mail.TextBody);

    private RenderedMail Compose(string toName, Guid userId, IReadOnlyList<NoticeRow> items, DigestSummaryPart? summary, DateTimeOffset now)
    {
        var subject = Subject(items, summary?.Total);
        return new RenderedMail(subject, Html(subject, toName, userId, items, summary, now), Text(toName, userId, items, summary, now));
    }

    /// <summary>
    /// Like 【提示函】渝中区 2 起隐患整改逾期: the highest step, the area, how many; a summed-up digest says how many in
    /// all, and a digest with chased warnings leads with them.
    /// </summary>
    public static string Subject(IReadOnlyList<NoticeRow> notices, int? total = null)
    {
        var step = notices.Count == 0 ? 0 : notices.Max(n => n.Step);
        var districts = notices.Select(n => n.DistrictName).Distinct().ToList();
        var area = districts.Count == 1 && total is null ? districts[0] : "辖区";
        var chased = notices.Count(n => n.Chased);
        var lead = chased > 0 ? $"【未签收】{chased} 份督办文书逾时未签收，" : "";
        if (total is { } all)
        {
            return $"{lead}【{EscalationLadder.StepName(step)}】{area}共 {all} 项督办事项（按单位汇总）";
        }

        var cases = notices.Count(n => !n.Chased && n.CaseId is not null);
        var plans = notices.Count(n => !n.Chased && n.CaseId is null);
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

        return parts.Count == 0 ? lead.TrimEnd('，') : $"{lead}【{EscalationLadder.StepName(step)}】{area} {string.Join("，", parts)}";
    }

    private string Html(string subject, string toName, Guid userId, IReadOnlyList<NoticeRow> notices, DigestSummaryPart? summary, DateTimeOffset now)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(subject)).Append("</title></head><body style=\"font-family:sans-serif\">");
        html.Append("<p>").Append(Encode(toName)).Append("：</p><p>以下事项已按隐患排查治理“快警、快控、快处”机制发出，请于回复期限前处理并反馈；")
            .Append("警示函及以上须在签收期限前点开链接签收，逾时未签收的将通知上一级。</p>");
        if (summary is not null)
        {
            html.Append("<p>本期共 ").Append(summary.Total).Append(" 项，按下级单位和级别汇总如下；最严重的 ").Append(notices.Count)
                .Append(" 项列于其后。<a href=\"").Append(Encode(summary.Link)).Append("\">查看全部事项</a></p>");
            html.Append("<table border=\"1\" cellpadding=\"6\" cellspacing=\"0\" style=\"border-collapse:collapse\"><thead><tr>")
                .Append("<th>单位</th><th>级别</th><th>事项数</th></tr></thead><tbody>");
            foreach (var row in summary.Rows)
            {
                html.Append("<tr><td>").Append(Encode(row.ChildName ?? row.ChildCode)).Append("</td><td>").Append(Encode(StepLabel(row.Step, row.Chased)))
                    .Append("</td><td>").Append(row.Items).Append("</td></tr>");
            }

            html.Append("</tbody></table><p></p>");
        }

        html.Append("<table border=\"1\" cellpadding=\"6\" cellspacing=\"0\" style=\"border-collapse:collapse\"><thead><tr>")
            .Append("<th>文号</th><th>级别</th><th>隐患编号</th><th>单位</th><th>事项</th><th>期限</th><th>逾期</th><th>回复期限</th><th>签收期限</th><th>链接</th></tr></thead><tbody>");
        foreach (var n in notices)
        {
            html.Append("<tr><td>").Append(Encode(Letter(n))).Append("</td><td>").Append(Encode(StepLabel(n.Step, n.Chased)))
                .Append("</td><td>").Append(Encode(n.CaseCode ?? "—")).Append("</td><td>").Append(Encode(n.UnitName ?? "—"))
                .Append("</td><td>").Append(Encode(What(n))).Append("</td><td>").Append(Day(n.DueAt))
                .Append("</td><td>").Append(Encode(Overdue(n))).Append("</td><td>").Append(Day(n.RespondBy))
                .Append("</td><td>").Append(Minute(n.AcknowledgeBy))
                .Append("</td><td><a href=\"").Append(Encode(Link(n, userId, now))).Append("\">查看并签收</a></td></tr>");
        }

        html.Append("</tbody></table><p>链接仅供收件人本人使用，").Append(links.Lifetime.Days).Append(" 天内有效。本邮件由系统自动发送，请勿直接回复。</p></body></html>");
        return html.ToString();
    }

    private string Text(string toName, Guid userId, IReadOnlyList<NoticeRow> notices, DigestSummaryPart? summary, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.AppendLine($"{toName}：").AppendLine().AppendLine("以下事项已按隐患排查治理“快警、快控、快处”机制发出，请于回复期限前处理并反馈；警示函及以上须在签收期限前点开链接签收，逾时未签收的将通知上一级。").AppendLine();
        if (summary is not null)
        {
            text.AppendLine($"本期共 {summary.Total} 项，按下级单位和级别汇总：");
            foreach (var row in summary.Rows)
            {
                text.AppendLine($"  {row.ChildName ?? row.ChildCode}　{StepLabel(row.Step, row.Chased)}　{row.Items} 项");
            }

            text.AppendLine($"全部事项：{summary.Link}").AppendLine().AppendLine($"最严重的 {notices.Count} 项：");
        }

        foreach (var n in notices)
        {
            text.AppendLine($"{Letter(n)}【{StepLabel(n.Step, n.Chased)}】{n.CaseCode ?? ""} {n.UnitName ?? ""} {What(n)}")
                .AppendLine($"  期限：{Day(n.DueAt)}　逾期：{Overdue(n)}　回复期限：{Day(n.RespondBy)}　签收期限：{Minute(n.AcknowledgeBy)}")
                .AppendLine($"  {Link(n, userId, now)}");
        }

        text.AppendLine().AppendLine($"链接仅供收件人本人使用，{links.Lifetime.Days} 天内有效。");
        return text.ToString();
    }

    /// <summary>警示函, or 警示函（未签收） for a warning chased to the level above its addressees.</summary>
    public static string StepLabel(int step, bool chased) => chased ? $"{EscalationLadder.StepName(step)}（未签收）" : EscalationLadder.StepName(step);

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

    private string Link(NoticeRow n, Guid userId, DateTimeOffset now) => links.Url(LinkKind.Notice, n.Id, userId, now);

    private static string Minute(DateTimeOffset? instant) =>
        instant is { } at ? ChinaTime.Local(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    private static string Day(DateTimeOffset? instant) =>
        instant is { } at ? ChinaTime.LocalDate(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    public sealed class DigestRow
    {
        public Guid SweepId { get; set; }
        public Guid UserId { get; set; }
        public string Role { get; set; } = "";
        public string OrgCode { get; set; } = "";
    }

    public sealed class SummaryRow
    {
        public string ChildCode { get; set; } = "";
        public string? ChildName { get; set; }
        public int Step { get; set; }
        public bool Chased { get; set; }
        public int Items { get; set; }
    }

    /// <summary>The summed-up part of a digest too long to list: how many in all, the counts, and the link to the page of all.</summary>
    public sealed record DigestSummaryPart(int Total, IReadOnlyList<SummaryRow> Rows, string Link);

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
        public DateTimeOffset? AcknowledgeBy { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public string GridCode { get; set; } = "";
        public bool Chased { get; set; }
        public string? CaseCode { get; set; }
        public string? Title { get; set; }
        public string? UnitName { get; set; }
        public string? PlanName { get; set; }
    }
}
