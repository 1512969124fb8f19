using System.Globalization;
using System.Net;
using System.Text;
using Hazards.Api.Features.Places;
using Hazards.Api.Infrastructure.Data;
using NetTopologySuite.Geometries;

namespace Hazards.Api.Features.Reports;

/// <summary>The boundaries of a report's children, for its map; a child without one is not drawn.</summary>
public sealed class ChildBoundaries(DbSession db)
{
    internal static readonly Sql OfChildren = Sql.Portable("""
        SELECT b.org_code AS Code, b.geojson AS GeoJson
        FROM org_unit_boundaries b JOIN org_units o ON o.code = b.org_code
        WHERE o.parent_code = @Parent AND o.retired_at IS NULL
        """);

    public async Task<IReadOnlyDictionary<string, Geometry>> Of(ClearanceReport report, CancellationToken ct)
    {
        var rows = await db.Query<Row>(OfChildren, new { Parent = report.OrgUnit.Code }, ct);
        return rows.ToDictionary(r => r.Code, r => BoundaryShape.Read(r.GeoJson), StringComparer.Ordinal);
    }

    private sealed record Row(string Code, string GeoJson);
}

/// <summary>
/// The report page's map: the children that have boundaries, filled by their score, drawn as SVG paths in
/// an equirectangular projection (longitude scaled by the cosine of the mean latitude), so nothing is fetched; no tiles.
/// When no child has a boundary there is no map.
/// </summary>
public static class ReportMap
{
    public const string NoScore = "#cccccc";

    /// <summary>The legend's bins, best first: a score at or above <c>From</c> (and below the bin before) takes its fill.</summary>
    public static readonly IReadOnlyList<(double From, string Label, string Fill)> Bins =
    [
        (90, "90 分及以上", "#1a9850"),
        (80, "80–90 分", "#91cf60"),
        (70, "70–80 分", "#fee08b"),
        (60, "60–70 分", "#fc8d59"),
        (double.NegativeInfinity, "60 分以下", "#d73027"),
    ];

    private const double Width = 640;
    private const double MaxHeight = 640;
    private const double Pad = 8;

    public static string Fill(double? score) => score is { } s ? Bins.First(b => s >= b.From).Fill : NoScore;

    public static void Render(StringBuilder html, ClearanceReport report, IReadOnlyDictionary<string, Geometry> shapes)
    {
        var drawn = report.Children.Where(c => shapes.ContainsKey(c.Code)).ToList();
        if (drawn.Count == 0)
        {
            return;
        }

        var box = new Envelope();
        foreach (var child in drawn)
        {
            box.ExpandToInclude(shapes[child.Code].EnvelopeInternal);
        }

        var k = Math.Cos((box.MinY + box.MaxY) / 2 * Math.PI / 180);
        var spanX = Math.Max(box.Width * k, 1e-9);
        var spanY = Math.Max(box.Height, 1e-9);
        var scale = Math.Min(Width / spanX, MaxHeight / spanY);
        var (w, h) = (spanX * scale + 2 * Pad, spanY * scale + 2 * Pad);
        string X(double lng) => N(Pad + (lng - box.MinX) * k * scale);
        string Y(double lat) => N(Pad + (box.MaxY - lat) * scale);

        html.Append("<figure id=\"chart-map\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"各单位综合得分分布图\" viewBox=\"0 0 ")
            .Append(N(w)).Append(' ').Append(N(h)).Append("\" width=\"").Append(N(w)).Append("\" height=\"").Append(N(h)).Append("\">");
        foreach (var child in drawn)
        {
            html.Append("<path class=\"area\" data-code=\"").Append(E(child.Code)).Append("\" data-score=\"").Append(ReportLabels.Number(child.Score))
                .Append("\" fill=\"").Append(Fill(child.Score)).Append("\" fill-rule=\"evenodd\" stroke=\"#ffffff\" stroke-width=\"1\" d=\"");
            foreach (var ring in Rings(shapes[child.Code]))
            {
                var points = ring.Coordinates;
                html.Append('M').Append(X(points[0].X)).Append(' ').Append(Y(points[0].Y));
                foreach (var p in points.Skip(1).Take(points.Length - 2))
                {
                    html.Append('L').Append(X(p.X)).Append(' ').Append(Y(p.Y));
                }

                html.Append('Z');
            }

            html.Append("\"><title>").Append(E(child.Name)).Append("：综合得分 ").Append(ReportLabels.Number(child.Score)).Append("</title></path>");
        }

        html.Append("</svg><ul class=\"legend\">");
        foreach (var (_, label, fill) in Bins.Append((double.NaN, "无得分", NoScore)))
        {
            html.Append("<li data-fill=\"").Append(fill).Append("\"><i style=\"background:").Append(fill).Append("\"></i>").Append(E(label)).Append("</li>");
        }

        html.Append("</ul><figcaption>图4 各单位综合得分分布（边界为各单位登记的范围")
            .Append(drawn.Count < report.Children.Count ? $"，{report.Children.Count - drawn.Count} 个单位未登记边界，未绘出" : "")
            .Append("）</figcaption></figure>");
    }

    private static IEnumerable<LineString> Rings(Geometry shape)
    {
        for (var i = 0; i < shape.NumGeometries; i++)
        {
            if (shape.GetGeometryN(i) is Polygon polygon)
            {
                yield return polygon.Shell;
                foreach (var hole in polygon.Holes)
                {
                    yield return hole;
                }
            }
        }
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
