using System.Globalization;
using System.Net;
using System.Text;

namespace Hazards.Api.Features.Reports;

public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<int> Values);

/// <summary>
/// Small inline SVG charts drawn by hand, so that the printable page needs nothing from outside: no script,
/// no stylesheet, no font. Every text is HTML-encoded.
/// </summary>
public static class SvgCharts
{
    private const int Width = 720;
    private const int LabelWidth = 170;
    private const int BarHeight = 14;
    private const int Gap = 10;
    private const int Legend = 28;

    /// <summary>One row per category with a bar per series, longest bar = the largest value.</summary>
    public static string HorizontalBars(string title, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series)
    {
        var rowHeight = (series.Count * BarHeight) + Gap;
        var height = Legend + Math.Max(1, categories.Count) * rowHeight + Gap;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var plot = Width - LabelWidth - 60;
        var svg = Open(title, height);
        LegendRow(svg, series);
        for (var i = 0; i < categories.Count; i++)
        {
            var top = Legend + (i * rowHeight);
            Text(svg, LabelWidth - 8, top + (rowHeight / 2) + 2, categories[i], "end");
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[i];
                var length = (int)Math.Round((double)value / max * plot);
                var y = top + (s * BarHeight);
                svg.Append(Invariant($"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{length}\" height=\"{BarHeight - 2}\" fill=\"{series[s].Colour}\"/>"));
                Text(svg, LabelWidth + length + 4, y + BarHeight - 4, value.ToString(CultureInfo.InvariantCulture), "start");
            }
        }

        if (categories.Count == 0)
        {
            Text(svg, Width / 2, Legend + 14, "（无数据）", "middle");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>A line per series over the labels (weeks), with each point's value written above it.</summary>
    public static string Lines(string title, IReadOnlyList<string> labels, IReadOnlyList<ChartSeries> series)
    {
        const int height = 240;
        const int left = 50, right = 20, top = Legend + 10, bottom = 40;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        var svg = Open(title, height);
        LegendRow(svg, series);
        svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{left + plotWidth}\" y2=\"{top + plotHeight}\" stroke=\"#888\"/>"));
        svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotHeight}\" stroke=\"#888\"/>"));
        Text(svg, left - 6, top + 4, max.ToString(CultureInfo.InvariantCulture), "end");
        Text(svg, left - 6, top + plotHeight, "0", "end");
        double X(int i) => labels.Count <= 1 ? left + (plotWidth / 2.0) : left + (i * plotWidth / (double)(labels.Count - 1));
        double Y(int value) => top + plotHeight - ((double)value / max * plotHeight);
        for (var i = 0; i < labels.Count; i++)
        {
            Text(svg, (int)X(i), top + plotHeight + 18, labels[i], "middle");
        }

        foreach (var line in series)
        {
            var points = string.Join(' ', line.Values.Select((v, i) => Invariant($"{X(i):0.#},{Y(v):0.#}")));
            svg.Append(Invariant($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{line.Colour}\" stroke-width=\"2\"/>"));
            for (var i = 0; i < line.Values.Count; i++)
            {
                svg.Append(Invariant($"<circle cx=\"{X(i):0.#}\" cy=\"{Y(line.Values[i]):0.#}\" r=\"3\" fill=\"{line.Colour}\"/>"));
                Text(svg, (int)X(i), (int)Y(line.Values[i]) - 6, line.Values[i].ToString(CultureInfo.InvariantCulture), "middle");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string title, int height)
    {
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg role=\"img\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-size=\"12\">"));
        svg.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        return svg;
    }

    private static void LegendRow(StringBuilder svg, IReadOnlyList<ChartSeries> series)
    {
        var x = LabelWidth;
        foreach (var s in series)
        {
            svg.Append(Invariant($"<rect x=\"{x}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{s.Colour}\"/>"));
            Text(svg, x + 16, 16, s.Name, "start");
            x += 40 + (s.Name.Length * 14);
        }
    }

    private static void Text(StringBuilder svg, int x, int y, string text, string anchor) =>
        svg.Append(Invariant($"<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\">")).Append(WebUtility.HtmlEncode(text)).Append("</text>");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
