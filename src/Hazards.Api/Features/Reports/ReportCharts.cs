using System.Globalization;
using System.Net;
using System.Text;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The report page's charts, each saying something or replaced by a sentence: the child units sorted by
/// open then closed cases, the units with neither folded into one line; the overdue cases by escalation step, or 本期无逾期隐患;
/// the weekly trend as bars for any number of weeks, beside the previous period of as many days (环比).
/// </summary>
public static class ReportCharts
{
    public const string NoOverdue = "本期无逾期隐患";
    public const string NoUnitCases = "本期各单位无未销号和销号隐患";
    public const string NoTrend = "本期及上期均无新增和销号隐患";

    public static void Render(StringBuilder html, ClearanceReport report)
    {
        Units(html, ReportTable.Rows(report));
        Overdue(html, report.Summary);
        Trend(html, report);
    }

    private static void Units(StringBuilder html, IReadOnlyList<UnitMetrics> rows)
    {
        html.Append("<figure id=\"chart-units\">");
        var shown = rows.Where(r => r.Cases.Open.Total > 0 || r.Cases.Closed.Total > 0)
            .OrderByDescending(r => r.Cases.Open.Total).ThenByDescending(r => r.Cases.Closed.Total).ToList();
        if (shown.Count == 0)
        {
            Empty(html, NoUnitCases);
        }
        else
        {
            html.Append(SvgCharts.HorizontalBars("各单位未销号与本期销号", shown.Select(r => r.Name).ToList(),
            [
                new ChartSeries("未销号", "#c0392b", shown.Select(r => r.Cases.Open.Total).ToList()),
                new ChartSeries("本期销号", "#27ae60", shown.Select(r => r.Cases.Closed.Total).ToList()),
            ]));
            if (rows.Count > shown.Count)
            {
                html.Append("<p class=\"rest\">其余 ").Append(rows.Count - shown.Count).Append(" 个单位未销号、本期销号均为 0</p>");
            }
        }

        html.Append("<figcaption>图1 各单位未销号与本期销号（按未销号从多到少）</figcaption></figure>");
    }

    private static void Overdue(StringBuilder html, UnitMetrics summary)
    {
        html.Append("<figure id=\"chart-overdue\">");
        if (summary.OverdueByStep.All(o => o.Count == 0))
        {
            Empty(html, NoOverdue);
        }
        else
        {
            html.Append(SvgCharts.HorizontalBars("逾期隐患按升级步骤", summary.OverdueByStep.Select(o => o.Name).ToList(),
                [new ChartSeries("逾期未销号", "#e67e22", summary.OverdueByStep.Select(o => o.Count).ToList())]));
        }

        html.Append("<figcaption>图2 逾期未销号隐患按升级步骤（快警、快控、快处）</figcaption></figure>");
    }

    private static void Trend(StringBuilder html, ClearanceReport report)
    {
        var weeks = report.Trend;
        var previous = report.Previous;
        html.Append("<figure id=\"chart-trend\">");
        if (weeks.All(w => w.New == 0 && w.Closes == 0) && (previous is null || previous is { New: 0, Closes: 0 }))
        {
            Empty(html, NoTrend);
        }
        else
        {
            html.Append("<div class=\"trend\"><div>").Append(SvgCharts.VerticalBars("按周新增与销号", weeks.Select(w => w.Week).ToList(),
            [
                new ChartSeries("新增", "#2980b9", weeks.Select(w => w.New).ToList()),
                new ChartSeries("销号", "#27ae60", weeks.Select(w => w.Closes).ToList()),
            ])).Append("</div>");
            if (previous is not null)
            {
                var now = (New: weeks.Sum(w => w.New), Closes: weeks.Sum(w => w.Closes));
                html.Append("<div id=\"chart-previous\">").Append(SvgCharts.VerticalBars("环比", ["新增", "销号"],
                [
                    new ChartSeries("上期", "#95a5a6", [previous.New, previous.Closes]),
                    new ChartSeries("本期", "#2980b9", [now.New, now.Closes]),
                ], width: 320)).Append("<p class=\"rest\">环比（上期 ").Append(ReportLabels.Day(previous.From)).Append(" 至 ")
                    .Append(ReportLabels.Day(previous.To)).Append("）：新增 ").Append(Change(now.New, previous.New)).Append("；销号 ")
                    .Append(Change(now.Closes, previous.Closes)).Append("</p></div>");
            }

            html.Append("</div>");
        }

        html.Append("<figcaption>图3 按周新增与销号，及与上期对比（环比）</figcaption></figure>");
    }

    /// <summary>本期 5 起，上期 3 起（+2，+66.7%）; the percentage only where the previous figure is not zero.</summary>
    public static string Change(int current, int previous)
    {
        var delta = current - previous;
        var sign = delta > 0 ? "+" : "";
        var percent = previous == 0 || delta == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"，{sign}{(double)delta / previous * 100:0.#}%");
        var change = delta == 0 ? "持平" : string.Create(CultureInfo.InvariantCulture, $"{sign}{delta}{percent}");
        return $"本期 {current} 起，上期 {previous} 起（{change}）";
    }

    private static void Empty(StringBuilder html, string sentence) =>
        html.Append("<p class=\"empty\">").Append(WebUtility.HtmlEncode(sentence)).Append("</p>");
}
