using System.Globalization;
using System.Net;
using System.Text;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;
using Hazards.Domain.Escalation;

namespace Hazards.Api.Features.Escalations;

/// <summary>Writes one digest per recipient of a sweep's new notices, in Chinese, into the outbox.</summary>
public sealed class NoticeMailer(DbSession db, MailOutbox outbox, EmailOptions email, DeadlineCalculator deadlines, TimeProvider clock)
{
    internal static readonly Sql SweepNotices = Sql.Portable("""
        SELECT n.id AS Id, n.subject_kind AS SubjectKind, n.step AS Step, n.case_id AS CaseId, n.plan_id AS PlanId,
               n.district_code AS DistrictCode, d.name AS DistrictName, n.letter_year AS LetterYear, n.letter_seq AS LetterSeq,
               n.due_at AS DueAt, n.misses AS Misses, n.respond_by AS RespondBy,
               c.code AS CaseCode, c.title AS Title, un.name AS UnitName, p.name AS PlanName,
               u.id AS UserId, u.email AS Email, u.name AS UserName
        FROM escalation_notices n
        JOIN notice_recipients r ON r.notice_id = n.id
        JOIN users u ON u.id = r.user_id
        JOIN org_units d ON d.code = n.district_code
        LEFT JOIN cases c ON c.id = n.case_id
        LEFT JOIN units un ON un.id = n.unit_id
        LEFT JOIN inspection_plans p ON p.id = n.plan_id
        WHERE n.sweep_id = @SweepId
        ORDER BY u.id, n.step DESC, n.district_code, n.letter_seq
        """);

    public async Task<int> WriteDigests(Guid sweepId, CancellationToken ct)
    {
        var rows = await db.Query<NoticeRow>(SweepNotices, new { SweepId = sweepId }, ct);
        var mails = 0;
        foreach (var digest in rows.GroupBy(r => r.UserId))
        {
            var notices = digest.ToList();
            var first = notices[0];
            await outbox.Enqueue(new OutgoingMail("escalation", first.Email, first.UserName, Subject(notices), Html(notices), Text(notices)), ct);
            mails++;
        }

        return mails;
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

    private string Html(IReadOnlyList<NoticeRow> notices)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(Subject(notices))).Append("</title></head><body style=\"font-family:sans-serif\">");
        html.Append("<p>").Append(Encode(notices[0].UserName)).Append("：</p><p>以下事项已按隐患排查治理“快警、快控、快处”机制发出，请于回复期限前处理并反馈。</p>");
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

    private string Text(IReadOnlyList<NoticeRow> notices)
    {
        var text = new StringBuilder();
        text.AppendLine($"{notices[0].UserName}：").AppendLine().AppendLine("以下事项已按隐患排查治理“快警、快控、快处”机制发出，请于回复期限前处理并反馈。").AppendLine();
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

        var days = deadlines.WorkingDaysOverdue(due, clock.GetUtcNow());
        return days > 0 ? $"{days} 个工作日" : "未逾期";
    }

    private string? Link(NoticeRow n) => n.CaseId is { } id ? $"{email.BaseUrl.TrimEnd('/')}/api/v1/cases/{id}" : null;

    private static string Day(DateTimeOffset? instant) =>
        instant is { } at ? ChinaTime.LocalDate(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

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
        public string? CaseCode { get; set; }
        public string? Title { get; set; }
        public string? UnitName { get; set; }
        public string? PlanName { get; set; }
        public Guid UserId { get; set; }
        public string Email { get; set; } = "";
        public string UserName { get; set; } = "";
    }
}
