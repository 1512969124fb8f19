using System.Globalization;
using System.Net;
using System.Text;
using NetTopologySuite.Geometries;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The report as a Chinese page for the screen and for print: its own stylesheet inline, with a CJK
/// font stack; the SVG charts (<see cref="ReportCharts"/>); the tables, each in a box that scrolls sideways so the page
/// itself never does, names that never wrap; printed landscape, the wide unit table in column groups that fit the page.
/// Nothing is loaded from elsewhere and every value is HTML-encoded.
/// </summary>
public static class ClearanceHtml
{
    public const string ContentType = "text/html; charset=utf-8";

    private const string Style = """
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222}
        h1{font-size:22px;text-align:center;margin:0 0 4px} .meta{text-align:center;color:#555;margin-bottom:16px}
        h2{font-size:16px;border-left:4px solid #c0392b;padding-left:8px;margin-top:24px}
        table{border-collapse:separate;border-spacing:0;font-size:12px;margin:8px 0;border-left:1px solid #999;border-top:1px solid #999}
        th,td{border-right:1px solid #999;border-bottom:1px solid #999;padding:3px 6px;text-align:center;word-break:keep-all}
        th{background:#f2f2f2} .unit,.name{white-space:nowrap} td.unit{text-align:left} tr.total td{font-weight:bold}
        .box{overflow:auto;max-width:100%;max-height:80vh;margin:8px 0} .box table{margin:0;min-width:100%} .box th,.box td{white-space:nowrap}
        .box thead th{position:sticky;top:0;z-index:2} .box .unit{position:sticky;left:0;z-index:1;background:#fff}
        .box thead .unit{z-index:3;background:#f2f2f2}
        .cards{display:flex;flex-wrap:wrap;gap:8px} .card{border:1px solid #ccc;padding:6px 12px;min-width:110px}
        .card b{display:block;font-size:20px} .warn{color:#c0392b} figure{margin:8px 0;page-break-inside:avoid} .note{font-size:11px;color:#555}
        figure svg{max-width:100%;height:auto} .empty,.rest{color:#555;margin:8px 0} .trend{display:flex;flex-wrap:wrap;gap:12px}
        .trend>div{flex:1 1 300px;min-width:0}
        .legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 12px;font-size:12px}
        .legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px;border:1px solid #999} .print-only{display:none} h3.group{font-size:13px;margin:12px 0 4px}
        @media (max-width:600px){body{margin:8px}}
        @media print{body{margin:0} .box{overflow:visible;max-height:none} .screen-only{display:none} .print-only{display:block}
        h2{page-break-after:avoid} table,figure{page-break-inside:avoid} thead{display:table-header-group} @page{size:A4 landscape;margin:12mm}}
        """;

    /// <summary>The page; <paramref name="shapes"/> are the children's boundaries by code, drawn as a map when there are any.</summary>
    public static string Render(ClearanceReport report, IReadOnlyDictionary<string, Geometry>? shapes = null)
    {
        var s = report.Summary;
        var title = $"{report.OrgUnit.Name}隐患排查治理动态清零情况通报";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append(Style).Append("</style></head><body>");
        html.Append("<h1>").Append(E(title)).Append("</h1><p class=\"meta\">统计期间：").Append(ReportLabels.Day(report.From)).Append(" 至 ")
            .Append(ReportLabels.Day(report.To)).Append("　数据截至：").Append(E(ReportLabels.Instant(report.AsOf))).Append(report.Live ? "（实时）" : "").Append("</p>");

        html.Append("<h2>一、总体情况</h2><div class=\"cards\">");
        Card(html, "新增隐患", s.Cases.New.Total);
        Card(html, "上期结转", s.Cases.CarriedOver.Total);
        Card(html, "本期销号", s.Cases.Closed.Total);
        Card(html, "按期整改销号", s.Cases.FixedOnTime);
        Card(html, "未销号", s.Cases.Open.Total);
        Card(html, "逾期未销号", s.Cases.Overdue.Total, s.Cases.Overdue.Total > 0);
        Card(html, "重大隐患未销号（目标0）", s.Cases.OpenMajor, s.Cases.OpenMajor > 0);
        Card(html, "挂牌督办", s.Listed.Total);
        Card(html, "真查发现假整改", s.SpotChecks.FakeFixes, s.SpotChecks.FakeFixes > 0);
        Card(html, "公示牌不全单位", s.IncompleteBoards, s.IncompleteBoards > 0);
        html.Append("</div><div class=\"box\"><table><tr><th>整改按期率</th><th>销号率</th><th>自查自报率</th><th>返工率</th><th>延期率</th><th>假整改重开率</th><th>排查完成率</th><th>签收率</th></tr><tr>");
        foreach (var rate in new[] { s.Rates.OnTimeRectification, s.Rates.CloseOut, s.Rates.SelfReport, s.Rates.Rework, s.Rates.Extension, s.Rates.Reopen, s.Rates.Cadence,
                     s.Acknowledgements.Rate })
        {
            html.Append("<td>").Append(E(ReportLabels.Rate(rate))).Append("</td>");
        }

        html.Append("</tr></table></div>");
        html.Append("<h2>二、图表</h2>");
        ReportCharts.Render(html, report);
        ReportMap.Render(html, report, shapes ?? new Dictionary<string, Geometry>());
        html.Append("<h2>三、各单位情况</h2>");
        UnitTableHtml.Render(html, report);
        Majors(html, report);
        Cadence(html, s);
        Supervision(html, report);

        html.Append("<p class=\"note\">口径说明：新增为本期上报且未被不予立案的隐患；上期结转为期初未销号隐患；逾期按隐患当前环节期限（交办、整改、核查）在期末判定；")
            .Append("比率均注明分子/分母，分母为0时不计算（—）。综合得分 = 100 × 各比率加权平均（缺项权重不计）− 重大隐患逾期扣分；权重：按期 ")
            .Append(E(ReportLabels.Number(report.Weights.OnTime))).Append("、销号 ").Append(E(ReportLabels.Number(report.Weights.CloseOut)))
            .Append("、自查自报 ").Append(E(ReportLabels.Number(report.Weights.SelfReport))).Append("、排查 ").Append(E(ReportLabels.Number(report.Weights.Cadence)))
            .Append("，每起逾期重大隐患扣 ").Append(E(ReportLabels.Number(report.Weights.OpenOverdueMajorPenalty))).Append(" 分。</p></body></html>");
        return html.ToString();
    }

    private static void Majors(StringBuilder html, ClearanceReport report)
    {
        html.Append("<h2>四、重大隐患动态清零清单（").Append(report.OpenMajorHazards.Count).Append(" 项未销号）</h2>");
        if (report.OpenMajorHazards.Count == 0)
        {
            html.Append("<p>重大隐患已全部清零。</p>");
            return;
        }

        html.Append("<div class=\"box\"><table><tr><th>隐患编号</th><th class=\"name\">隐患名称</th><th>所属单位</th><th>责任单位</th><th>状态</th><th>整改方案</th><th>整改期限</th><th>剩余/逾期工作日</th><th>督办</th></tr>");
        foreach (var m in report.OpenMajorHazards)
        {
            var days = m.WorkingDaysOverdue is { } late ? $"逾期 {late} 个工作日" : m.WorkingDaysLeft is { } left ? $"剩余 {left} 个工作日" : "—";
            html.Append("<tr").Append(m.Overdue ? " class=\"warn\"" : "").Append("><td>").Append(E(m.Code)).Append("</td><td class=\"name\">").Append(E(m.Title))
                .Append("</td><td>").Append(E(m.ChildName ?? "—")).Append("</td><td>").Append(E(m.UnitName ?? "—")).Append("</td><td>")
                .Append(E(ReportLabels.Of(m.Status))).Append("</td><td>").Append(E(ReportLabels.Of(m.PlanState))).Append("</td><td>")
                .Append(m.DeadlineDay is { } day ? ReportLabels.Day(day) : "—").Append("</td><td>").Append(E(days)).Append("</td><td>")
                .Append(E(m.Listed ? ReportLabels.Of(m.ListedLevel ?? "district") : "—")).Append("</td></tr>");
        }

        html.Append("</table></div>");
    }

    private static void Cadence(StringBuilder html, UnitMetrics s)
    {
        html.Append("<h2>五、日周月排查与升级督办</h2><div class=\"box\"><table><tr><th>排查频次</th><th>应查</th><th>已查</th><th>漏查</th><th>完成率</th></tr>");
        foreach (var c in s.Cadence)
        {
            html.Append("<tr><td>").Append(E(ReportLabels.Of(c.Cadence))).Append("</td><td>").Append(c.Owed).Append("</td><td>").Append(c.Filled)
                .Append("</td><td>").Append(c.Missed).Append("</td><td>").Append(E(ReportLabels.Rate(c.Rate))).Append("</td></tr>");
        }

        html.Append("</table></div><div class=\"box\"><table><tr>");
        foreach (var step in s.NoticesByStep)
        {
            html.Append("<th>").Append(E(step.Name)).Append("</th>");
        }

        html.Append("</tr><tr>");
        foreach (var step in s.NoticesByStep)
        {
            html.Append("<td>").Append(step.Count).Append("</td>");
        }

        html.Append("</tr></table></div>");
    }

    private static void Supervision(StringBuilder html, ClearanceReport report)
    {
        var s = report.Summary;
        html.Append("<h2>六、真查与包保责任公示牌</h2><p>本期真查 ").Append(s.SpotChecks.Checked).Append(" 起，发现假整改 ").Append(s.SpotChecks.FakeFixes)
            .Append(" 起（已重新交办整改）；四方责任人不全的公示牌 ").Append(s.IncompleteBoards).Append(" 个。</p>");
        if (report.FakeFixes.ByUnit.Count == 0)
        {
            return;
        }

        html.Append("<table><tr><th>责任单位</th><th>所属下级单位</th><th>假整改</th></tr>");
        foreach (var u in report.FakeFixes.ByUnit)
        {
            html.Append("<tr><td>").Append(E(u.UnitName ?? "—")).Append("</td><td>").Append(E(u.ChildName ?? "—")).Append("</td><td>")
                .Append(u.Count).Append("</td></tr>");
        }

        html.Append("</table><table><tr><th>核查销号人</th><th>账号</th><th>假整改</th></tr>");
        foreach (var v in report.FakeFixes.ByVerifier)
        {
            html.Append("<tr><td>").Append(E(v.Name ?? "—")).Append("</td><td>").Append(E(v.Login ?? "—")).Append("</td><td>")
                .Append(v.Count).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Card(StringBuilder html, string label, int value, bool warn = false) =>
        html.Append("<div class=\"card\">").Append(E(label)).Append("<b").Append(warn ? " class=\"warn\"" : "").Append('>').Append(value).Append("</b></div>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
