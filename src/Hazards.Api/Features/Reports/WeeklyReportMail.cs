using System.Net;
using System.Text;
using Hazards.Api.Infrastructure.Mail;

namespace Hazards.Api.Features.Reports;

/// <summary>A district's place among the city's districts by the report's score.</summary>
public sealed record Standing(int Rank, int Of);

/// <summary>
/// The weekly report mail of one district to one regulator: the headline figures in Chinese, the XLSX attached. The HTML body
/// is one column, each figure's label above its value, so it reads on a phone without scrolling sideways.
/// </summary>
public static class WeeklyReportMail
{
    public const string Kind = "report";

    /// <summary>CJK fonts a mail client may have, before the generic family (single quotes: the stack sits in a style attribute).</summary>
    public const string FontStack = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";

    public static OutgoingMail Compose(ClearanceReport report, string weekKey, Standing? standing, string toEmail, string toName, MailAttachment xlsx)
    {
        var subject = $"【清零周报】{report.OrgUnit.Name} {weekKey}（{ReportLabels.Day(report.From)} 至 {ReportLabels.Day(report.To)}）隐患排查治理情况";
        var lines = Headlines(report, standing);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(E(subject))
            .Append("</title></head><body style=\"margin:0;padding:12px;font-family:").Append(FontStack).Append(";color:#222\"><p>")
            .Append(E(toName)).Append("：</p><p>")
            .Append(E(report.OrgUnit.Name)).Append("上周（").Append(ReportLabels.Day(report.From)).Append(" 至 ").Append(ReportLabels.Day(report.To))
            .Append("）隐患排查治理动态清零情况如下，详表见附件。</p>")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;max-width:480px;border-collapse:collapse\">");
        foreach (var (label, value) in lines)
        {
            html.Append("<tr><td style=\"padding:8px 4px;border-bottom:1px solid #ddd\"><div style=\"font-size:13px;color:#666\">").Append(E(label))
                .Append("</div><div style=\"font-size:17px;font-weight:bold;word-break:keep-all;overflow-wrap:anywhere\">").Append(E(value)).Append("</div></td></tr>");
        }

        html.Append("</table><p style=\"font-size:12px;color:#666\">本邮件由系统自动发送，请勿直接回复。</p></body></html>");
        var text = new StringBuilder().AppendLine($"{toName}：").AppendLine()
            .AppendLine($"{report.OrgUnit.Name}上周（{ReportLabels.Day(report.From)} 至 {ReportLabels.Day(report.To)}）隐患排查治理动态清零情况如下，详表见附件。").AppendLine();
        foreach (var (label, value) in lines)
        {
            text.AppendLine($"{label}：{value}");
        }

        return new OutgoingMail(Kind, toEmail, toName, subject, html.ToString(), text.ToString(), xlsx);
    }

    public static IReadOnlyList<(string Label, string Value)> Headlines(ClearanceReport report, Standing? standing)
    {
        var s = report.Summary;
        return
        [
            ("新增隐患", $"{s.Cases.New.Total} 起（重大 {s.Cases.New.ByLevel["major"]} 起）"),
            ("上期结转", $"{s.Cases.CarriedOver.Total} 起"),
            ("本期销号", $"{s.Cases.Closed.Total} 起（按期整改 {s.Cases.FixedOnTime} 起）"),
            ("未销号", $"{s.Cases.Open.Total} 起，其中逾期 {s.Cases.Overdue.Total} 起"),
            ("重大隐患未销号（清零目标 0）", $"{s.Cases.OpenMajor} 起，其中逾期 {s.Cases.OpenOverdueMajor} 起"),
            ("整改按期率", ReportLabels.Rate(s.Rates.OnTimeRectification)),
            ("销号率", ReportLabels.Rate(s.Rates.CloseOut)),
            ("自查自报率", ReportLabels.Rate(s.Rates.SelfReport)),
            ("排查完成率", ReportLabels.Rate(s.Rates.Cadence)),
            ("签收率（警示函及以上）", s.Acknowledgements.MedianHours is { } hours
                ? $"{ReportLabels.Rate(s.Acknowledgements.Rate)}，签收用时中位数 {ReportLabels.Number(hours)} 小时"
                : ReportLabels.Rate(s.Acknowledgements.Rate)),
            ("升级督办（预警/提示函/警示函/通报/曝光）", string.Join(" / ", s.NoticesByStep.Select(n => n.Count))),
            ("挂牌督办", $"{s.Listed.Total} 起"),
            ("综合得分", ReportLabels.Number(s.Score)),
            ("全市排名", standing is null ? "—" : $"第 {standing.Rank} 位 / 共 {standing.Of} 个区县"),
        ];
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
