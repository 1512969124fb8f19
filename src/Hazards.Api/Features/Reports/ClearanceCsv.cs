using System.Globalization;
using System.Text;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The report as CSV: UTF-8 with a byte order mark so that Excel reads the Chinese, one row per child unit,
/// fields quoted as RFC 4180 says (comma, quote, CR or LF inside → quoted, quotes doubled), CRLF line ends.
/// </summary>
public static class ClearanceCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static byte[] Render(ClearanceReport report)
    {
        var csv = new StringBuilder();
        Line(csv, ReportTable.Columns.Select(c => c.Header));
        foreach (var unit in ReportTable.Rows(report))
        {
            Line(csv, ReportTable.Columns.Select(c => Convert.ToString(c.Value(unit), CultureInfo.InvariantCulture) ?? ""));
        }

        var preamble = Encoding.UTF8.GetPreamble();
        var body = Encoding.UTF8.GetBytes(csv.ToString());
        return [.. preamble, .. body];
    }

    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static void Line(StringBuilder csv, IEnumerable<string> fields) =>
        csv.Append(string.Join(',', fields.Select(Field))).Append("\r\n");
}
