using System.Globalization;
using System.Net;
using System.Text;

namespace Hazards.Api.Features.Reports;

/// <summary>The report page's table of child units (<see cref="ReportTable"/>), for the screen and for print.</summary>
public static class UnitTableHtml
{
    /// <summary>
    /// On screen one table in a box that scrolls both ways, its header row and unit column sticky; in print the same
    /// columns in groups (<see cref="PrintGroups"/>), each a table that fits an A4 landscape page with the unit column first.
    /// </summary>
    public static void Render(StringBuilder html, ClearanceReport report)
    {
        var rows = ReportTable.RowsWithTotal(report);
        var total = ReportTable.Total(report) is not null;
        html.Append("<div class=\"box screen-only\" role=\"region\" aria-label=\"各单位情况\" tabindex=\"0\">");
        UnitTable(html, "units", rows, total, [.. ReportTable.Columns.Skip(2)], withCode: true);
        html.Append("</div><div class=\"print-only\">");
        foreach (var (name, group) in PrintGroups())
        {
            html.Append("<h3 class=\"group\">").Append(E(name)).Append("</h3>");
            UnitTable(html, "print-group", rows, total, group, withCode: name == PrintGroupNames[0]);
        }

        html.Append("</div>");
    }

    private static void UnitTable(StringBuilder html, string cssClass, IReadOnlyList<UnitMetrics> rows, bool total, IReadOnlyList<ReportTable.Column> columns, bool withCode)
    {
        html.Append("<table class=\"").Append(cssClass).Append("\"><thead><tr><th class=\"unit\">单位名称</th>");
        if (withCode)
        {
            html.Append("<th>单位代码</th>");
        }

        foreach (var column in columns)
        {
            html.Append("<th>").Append(E(column.Header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        for (var i = 0; i < rows.Count; i++)
        {
            html.Append(total && i == rows.Count - 1 ? "<tr class=\"total\">" : "<tr>").Append("<td class=\"unit\">").Append(E(rows[i].Name)).Append("</td>");
            if (withCode)
            {
                html.Append("<td>").Append(E(rows[i].Code)).Append("</td>");
            }

            foreach (var column in columns)
            {
                html.Append("<td>").Append(E(Convert.ToString(column.Value(rows[i]), CultureInfo.InvariantCulture) ?? "")).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    /// <summary>The printed groups of the unit table; each starts at the column named here and runs to the next.</summary>
    private static readonly string[] PrintGroupNames = ["隐患数量", "整改与销号比率", "日周月排查", "督办、处罚与得分"];

    private static readonly string[] PrintGroupStarts = ["新增隐患", "整改按期率", "日检完成率", "预警"];

    private static IEnumerable<(string Name, List<ReportTable.Column> Columns)> PrintGroups()
    {
        var columns = ReportTable.Columns.Skip(2).ToList();
        var starts = PrintGroupStarts.Select(h => columns.FindIndex(c => c.Header == h)).Append(columns.Count).ToList();
        return PrintGroupNames.Select((name, g) => (name, columns.GetRange(starts[g], starts[g + 1] - starts[g])));
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
