using System.Globalization;
using System.Net;
using System.Text;

namespace Hazards.Api.Features.Reports;

public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<int> Values);

/// <summary>
/// Small inline SVG charts drawn by hand, so that the printable page needs nothing from outside: no script,
/// no stylesheet, no font. Every text is HTML-encoded. Each bar is a <c>rect class="bar"</c> with its series and value
/// in <c>data-</c> attributes and each category a <c>text class="category"</c>, so a browser test can read the chart.
/// The SVG scales down with its box (<c>max-width:100%</c>, the viewBox keeps the drawing).
/// </summary>
public static class SvgCharts
{
    private const int Width = 720;
    private const int LabelWidth = 170;
    private const int BarHeight = 14;
    private const int Gap = 10;
    private const int Legend = 28;

    /// <summary>The most a Latin character of the 12-unit font takes; a CJK one takes about twice.</summary>
    private const double CharacterWidth = 7.5;

    /// <summary>One row per category with a bar per series, longest bar = the largest value.</summary>
    public static string HorizontalBars(string title, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series)
    {
        var rowHeight = (series.Count * BarHeight) + Gap;
        var height = Legend + Math.Max(1, categories.Count) * rowHeight + Gap;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var plot = Width - LabelWidth - 60;
        var svg = Open(title, height);
        LegendRow(svg, series, LabelWidth);
        for (var i = 0; i < categories.Count; i++)
        {
            var top = Legend + (i * rowHeight);
            Text(svg, LabelWidth - 8, top + (rowHeight / 2) + 2, categories[i], "end", "category");
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[i];
                var length = (int)Math.Round((double)value / max * plot);
                var y = top + (s * BarHeight);
                Bar(svg, series[s], value, LabelWidth, y, length, BarHeight - 2);
                Text(svg, LabelWidth + length + 4, y + BarHeight - 4, value.ToString(CultureInfo.InvariantCulture), "start");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Grouped vertical bars, one group per category (a week), for any number of categories: the groups share the width,
    /// and when they are too narrow for their labels only every n-th label is written.
    /// </summary>
    public static string VerticalBars(string title, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, int width = Width)
    {
        const int height = 240, left = 40, right = 10, top = Legend + 16, bottom = 36;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var group = plotWidth / (double)Math.Max(1, categories.Count);
        var bar = Math.Min(28, group * 0.8 / Math.Max(1, series.Count));
        var every = (int)Math.Ceiling(((categories.Select(c => c.Length).DefaultIfEmpty(0).Max() * CharacterWidth) + 8) / group);
        var svg = Open(title, height, width);
        LegendRow(svg, series, left);
        svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{left + plotWidth}\" y2=\"{top + plotHeight}\" stroke=\"#888\"/>"));
        Text(svg, left - 6, top + 4, max.ToString(CultureInfo.InvariantCulture), "end");
        Text(svg, left - 6, top + plotHeight, "0", "end");
        for (var i = 0; i < categories.Count; i++)
        {
            var middle = left + (group * i) + (group / 2);
            if (i % every == 0)
            {
                Text(svg, (int)middle, top + plotHeight + 16, categories[i], "middle", "category");
            }

            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[i];
                var length = (double)value / max * plotHeight;
                var x = middle - (bar * series.Count / 2) + (bar * s);
                Bar(svg, series[s], value, x, top + plotHeight - length, bar - 1, length);
                if (bar >= 12)
                {
                    Text(svg, (int)(x + (bar / 2)), (int)(top + plotHeight - length) - 3, value.ToString(CultureInfo.InvariantCulture), "middle");
                }
            }
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Bar(StringBuilder svg, ChartSeries series, int value, double x, double y, double width, double height) =>
        svg.Append(Invariant($"<rect class=\"bar\" data-series=\"")).Append(WebUtility.HtmlEncode(series.Name))
            .Append(Invariant($"\" data-value=\"{value}\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{Math.Max(0, width):0.#}\" height=\"{height:0.#}\" fill=\"{series.Colour}\"/>"));

    private static StringBuilder Open(string title, int height, int width = Width)
    {
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"12\">"));
        svg.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        return svg;
    }

    private static void LegendRow(StringBuilder svg, IReadOnlyList<ChartSeries> series, int x)
    {
        foreach (var s in series)
        {
            svg.Append(Invariant($"<rect x=\"{x}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{s.Colour}\"/>"));
            Text(svg, x + 16, 16, s.Name, "start");
            x += 40 + (s.Name.Length * 14);
        }
    }

    private static void Text(StringBuilder svg, int x, int y, string text, string anchor, string? cssClass = null) =>
        svg.Append(Invariant($"<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\""))
            .Append(cssClass is null ? "" : $" class=\"{cssClass}\"").Append('>').Append(WebUtility.HtmlEncode(text)).Append("</text>");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
