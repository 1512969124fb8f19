using System.Globalization;
using System.Net;
using System.Text;
using Hazards.Api.Features.Cases;
using Hazards.Api.Features.Reports;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;
using Hazards.Domain.Escalation;

namespace Hazards.Api.Features.Escalations;

/// <summary>
/// The notice's page as a supervisor reads it on a phone or prints it: the notice and its deadlines, the case with its
/// photos and history (or the missed plan), who else was told and who acknowledged, and the one 签收 button. Its own
/// inline style only: no script, font, stylesheet or image from anywhere else.
/// </summary>
public static class NoticePageHtml
{
    private const string Style = """
        body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:60rem;padding:1rem;line-height:1.5;color:#222}
        h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.1rem;border-bottom:1px solid #ccc;margin-top:1.5rem}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#f3f3f3;white-space:nowrap}.letter{color:#555}.step{display:inline-block;padding:0 .5rem;border-radius:.3rem;color:#fff;background:#c0392b}
        .ack{background:#eef7ee;border:1px solid #9c9;padding:.7rem;margin:1rem 0}.due{background:#fff4e5;border:1px solid #f0b36b;padding:.7rem;margin:1rem 0}
        button{font-size:1.1rem;padding:.6rem 2rem;background:#c0392b;color:#fff;border:0;border-radius:.3rem}
        .photos img{max-width:100%;height:auto;margin:.3rem 0;border:1px solid #ccc}.scroll{overflow-x:auto}
        @media print{form,.noprint{display:none}body{max-width:none}}
        """;

    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["report"] = "上报",
        ["reportFixedOnSpot"] = "上报（现场整改）",
        ["assign"] = "交办",
        ["reject"] = "不予立案",
        ["submitPlan"] = "提交整改方案",
        ["approvePlan"] = "批准整改方案",
        ["requestExtension"] = "申请延期",
        ["decideExtension"] = "审批延期",
        ["submitFix"] = "提交整改",
        ["verifyPass"] = "核查通过，销号",
        ["verifyFail"] = "核查不通过",
        ["reopen"] = "重新整改",
        ["reportTip"] = "群众举报",
        ["list"] = "挂牌督办",
        ["delist"] = "摘牌",
        ["spotCheckGenuine"] = "抽查属实",
        ["reward"] = "举报奖励决定",
        ["escalate"] = "督办升级",
        ["deadlineRecalculated"] = "期限重算",
        ["acknowledgeNotice"] = "签收督办文书",
    };

    private static readonly Dictionary<string, string> Roles = new(StringComparer.Ordinal)
    {
        ["gridWorker"] = "网格员",
        ["unitOfficer"] = "单位安全负责人",
        ["townshipOfficer"] = "乡镇（街道）",
        ["districtRegulator"] = "区县监管部门",
        ["cityAdmin"] = "市安委办",
        ["public"] = "群众",
        ["system"] = "系统",
    };

    public static string Notice(NoticePageModel page, string formToken, DeadlineCalculator deadlines)
    {
        var n = page.Notice;
        var letter = EscalationLadder.LetterNumber(n.DistrictName, n.Step, n.LetterYear, n.LetterSeq);
        var title = $"{letter} {EscalationLadder.StepName(n.Step)}";
        var html = Start(title);
        html.Append("<p class=\"letter\">").Append(E(letter)).Append("</p><h1><span class=\"step\">").Append(E(EscalationLadder.StepName(n.Step)))
            .Append("</span> ").Append(E(Subject(page))).Append("</h1>");
        html.Append("<p>").Append(E(page.Reader.Name)).Append("（").Append(E(Role(Wire.Name(page.Reader.Role)))).Append("）：以下事项已按隐患排查治理“快警、快控、快处”机制发出。</p>");

        Acknowledgement(html, page, formToken);

        html.Append("<h2>督办事项</h2><table>");
        Row(html, "文号", letter);
        Row(html, "级别", EscalationLadder.StepName(n.Step));
        Row(html, "事项", What(n));
        Row(html, "所在区域", n.PlaceName is null ? n.DistrictName : n.PlaceName.StartsWith(n.DistrictName, StringComparison.Ordinal) ? n.PlaceName : $"{n.DistrictName} {n.PlaceName}");
        Row(html, "发出时间", Minute(n.CreatedAt));
        if (n.DueAt is { } due)
        {
            Row(html, "办理期限", $"{Minute(due)}（{Left(deadlines, due, page.Now)}）");
        }

        Row(html, "回复期限", $"{Minute(n.RespondBy)}（{Left(deadlines, n.RespondBy, page.Now)}）");
        if (n.AcknowledgeBy is { } by)
        {
            Row(html, "签收期限", Minute(by));
        }

        if (page.ChasedAt is { } chased)
        {
            Row(html, "叫应", $"{Minute(chased)} 因逾时未签收，已通知上一级");
        }

        html.Append("</table>");

        if (page.Case is { } c)
        {
            Case(html, page, c, deadlines);
        }
        else
        {
            html.Append("<h2>检查计划</h2><table>");
            Row(html, "计划", n.PlanName ?? "—");
            Row(html, "频次", ReportLabels.Of(n.Cadence));
            Row(html, "单位", n.UnitName ?? n.PlaceName ?? "—");
            Row(html, "连续未检查", n.Misses is { } misses ? $"{misses} 次" : "—");
            html.Append("</table>");
        }

        html.Append("<h2>通知对象</h2><div class=\"scroll\"><table><thead><tr><th>姓名</th><th>身份</th><th>方式</th><th>签收</th></tr></thead><tbody>");
        foreach (var r in page.Recipients)
        {
            html.Append("<tr><td>").Append(E(r.Name)).Append("</td><td>").Append(E(Role(r.Role))).Append("</td><td>")
                .Append(r.Chased ? "叫应（未签收通知）" : r.Addressee ? "责任对象" : "抄送").Append("</td><td>")
                .Append(r.AcknowledgedAt is { } at ? $"已签收 {E(Minute(at))}" : "未签收").Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
        return End(html);
    }

    private static void Acknowledgement(StringBuilder html, NoticePageModel page, string formToken)
    {
        var mine = page.Recipients.FirstOrDefault(r => r.UserId == page.Reader.UserId);
        if (mine?.AcknowledgedAt is { } at)
        {
            html.Append("<div class=\"ack\" id=\"acknowledged\">您已于 ").Append(E(Minute(at))).Append(" 签收。</div>");
            return;
        }

        html.Append("<div class=\"due\"><p>请确认已收到本督办文书并着手处理。");
        if (page.Notice.AcknowledgeBy is { } by)
        {
            html.Append("请于 ").Append(E(Minute(by))).Append(" 前签收，逾时未签收的将通知上一级（叫应）。");
        }

        html.Append("</p><form method=\"post\" action=\"").Append(E($"{NoticePages.NoticePrefix}/{page.Token}/acknowledge"))
            .Append("\"><input type=\"hidden\" name=\"").Append(NoticePages.FormField).Append("\" value=\"").Append(E(formToken))
            .Append("\"><button type=\"submit\" id=\"acknowledge\">签收</button></form></div>");
    }

    private static void Case(StringBuilder html, NoticePageModel page, CaseView c, DeadlineCalculator deadlines)
    {
        html.Append("<h2>隐患</h2><table>");
        Row(html, "隐患编号", c.Code);
        Row(html, "名称", c.Title);
        Row(html, "描述", c.Description);
        Row(html, "状态", ReportLabels.Of(Wire.Name(c.Status)));
        Row(html, "等级", ReportLabels.Of(Wire.Name(c.Level)));
        Row(html, "行业领域", ReportLabels.Of(Wire.Name(c.Sector)));
        Row(html, "来源", ReportLabels.Of(Wire.Name(c.Origin)));
        Row(html, "责任单位", page.Notice.UnitName ?? "—");
        Row(html, "地点", c.Location.Address ?? (c.Location.Latitude is { } lat ? $"{lat:0.00000}, {c.Location.Longitude:0.00000}" : "—"));
        Row(html, "上报", $"{c.ReportedBy} {Minute(c.ReportedAt)}");
        if (c.Deadline is { } deadline)
        {
            Row(html, "整改期限", $"{Minute(deadline)}（{Left(deadlines, deadline, page.Now)}）");
        }

        if (c.Listed)
        {
            Row(html, "挂牌督办", ReportLabels.Of(c.ListedLevel is { } level ? Wire.Name(level) : null));
        }

        html.Append("</table>");

        var files = c.Attachments ?? [];
        if (files.Count > 0)
        {
            html.Append("<h2>照片和材料</h2><div class=\"photos\">");
            foreach (var f in files)
            {
                var src = $"{NoticePages.NoticePrefix}/{page.Token}/files/{f.Id:D}";
                if (f.MediaType.StartsWith("image/", StringComparison.Ordinal))
                {
                    html.Append("<figure><img src=\"").Append(E(src)).Append("\" alt=\"").Append(E(f.FileName)).Append("\"><figcaption>")
                        .Append(E(f.FileName)).Append("</figcaption></figure>");
                }
                else
                {
                    html.Append("<p><a href=\"").Append(E(src)).Append("\">").Append(E(f.FileName)).Append("</a></p>");
                }
            }

            html.Append("</div>");
        }

        html.Append("<h2>办理记录</h2><div class=\"scroll\"><table><thead><tr><th>时间</th><th>办理</th><th>办理人</th><th>状态</th><th>说明</th></tr></thead><tbody>");
        foreach (var h in c.History ?? [])
        {
            html.Append("<tr><td>").Append(E(Minute(h.At))).Append("</td><td>").Append(E(Actions.GetValueOrDefault(h.Action, h.Action)))
                .Append("</td><td>").Append(E($"{h.Actor}（{Role(h.Role)}）")).Append("</td><td>").Append(E(ReportLabels.Of(Wire.Name(h.To))))
                .Append("</td><td>").Append(E(Note(h))).Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
    }

    public static string Digest(DigestPageModel page, string token)
    {
        var html = Start("督办事项汇总");
        html.Append("<h1>督办事项汇总</h1><p>").Append(E(page.ReaderName)).Append("：本期共 ").Append(page.Total).Append(" 项，第 ")
            .Append(page.Page).Append(" / ").Append(page.Pages).Append(" 页。</p>");
        html.Append("<div class=\"scroll\"><table><thead><tr><th>文号</th><th>级别</th><th>隐患编号</th><th>单位</th><th>期限</th><th>签收期限</th><th></th></tr></thead><tbody>");
        foreach (var (item, link) in page.Items)
        {
            html.Append("<tr><td>").Append(E(NoticeMailer.Letter(item))).Append("</td><td>").Append(E(NoticeMailer.StepLabel(item.Step, item.Chased)))
                .Append("</td><td>").Append(E(item.CaseCode ?? "—")).Append("</td><td>").Append(E(item.UnitName ?? "—"))
                .Append("</td><td>").Append(item.DueAt is { } due ? E(Minute(due)) : "—").Append("</td><td>")
                .Append(item.AcknowledgeBy is { } by ? E(Minute(by)) : "—").Append("</td><td><a href=\"").Append(E(link)).Append("\">查看并签收</a></td></tr>");
        }

        html.Append("</tbody></table></div><p class=\"noprint\">");
        if (page.Page > 1)
        {
            html.Append("<a href=\"").Append(E($"{NoticePages.DigestPrefix}/{token}?page={page.Page - 1}")).Append("\">上一页</a> ");
        }

        if (page.Page < page.Pages)
        {
            html.Append("<a href=\"").Append(E($"{NoticePages.DigestPrefix}/{token}?page={page.Page + 1}")).Append("\" id=\"next\">下一页</a>");
        }

        html.Append("</p>");
        return End(html);
    }

    /// <summary>What a person who opened a link that no longer opens reads, and how to get a new one.</summary>
    public static string Refusal(int status, string code, string detail)
    {
        var (title, text) = status switch
        {
            StatusCodes.Status410Gone when code == "notice_link.recipient_inactive" =>
                ("链接已失效", "此链接的收件人账号已停用，不能再查看。如仍负责此事项，请联系本级管理员。"),
            StatusCodes.Status410Gone => ("链接已过期", "邮件中的链接有效期已过。请登录系统在“督办通知”中查看，或等待下一封督办邮件中的新链接。"),
            StatusCodes.Status404NotFound => ("找不到此页面", "链接不完整或已被改动，或您已不再负责此事项。请从邮件中完整复制链接，或登录系统查看。"),
            _ => ("无法办理", "请求未能办理，请返回上一页重试。"),
        };
        var html = Start(title);
        html.Append("<h1>").Append(E(title)).Append("</h1><p>").Append(E(text)).Append("</p><p class=\"letter\">").Append(status)
            .Append(' ').Append(E(code)).Append("：").Append(E(detail)).Append("</p>");
        return End(html);
    }

    private static string Subject(NoticePageModel page) => page.Case is { } c ? $"{c.Code} {c.Title}" : What(page.Notice);

    private static string What(NoticePageReader.NoticeDetail n) => n.SubjectKind switch
    {
        "triage" => "隐患超期未交办",
        "verification" => "整改超期未核查销号",
        "inspection" => $"检查计划“{n.PlanName}”连续 {n.Misses} 次未检查",
        _ => "隐患整改",
    };

    private static string Note(HistoryEntry h) =>
        h.Details.TryGetValue("letterNumber", out var letter) ? $"{letter} {h.Reason}".Trim() : h.Reason ?? "";

    private static string Left(DeadlineCalculator deadlines, DateTimeOffset due, DateTimeOffset now) =>
        now <= due ? $"剩余 {deadlines.WorkingDaysUntil(due, now)} 个工作日" : $"已逾期 {deadlines.WorkingDaysOverdue(due, now)} 个工作日";

    private static string Role(string role) => Roles.GetValueOrDefault(role, role);

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static StringBuilder Start(string title) => new StringBuilder()
        .Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .Append("<meta name=\"robots\" content=\"noindex\"><title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");

    private static string End(StringBuilder html) =>
        html.Append("<p class=\"letter\">重庆市安全隐患排查治理系统 · 链接仅供收件人本人使用</p></body></html>").ToString();

    private static string Minute(DateTimeOffset instant) => ChinaTime.Local(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
