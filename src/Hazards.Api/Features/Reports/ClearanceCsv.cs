using System.Globalization;
using System.Text;
using CsvHelper;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The report as CSV, written by CsvHelper: UTF-8 with a byte order mark so that Excel reads the Chinese, one row
/// per child unit and the total row (the XLSX summary's), RFC 4180 quoting, CRLF line ends. Text that a spreadsheet would run as a formula is escaped with a
/// leading <c>'</c> (<see cref="SpreadsheetText"/>); counts and scores are written as bare numbers.
/// </summary>
public static class ClearanceCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly CsvWriterOptions Options = new()
    {
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        InjectionCharacters = SpreadsheetText.InjectionCharacters,
        InjectionEscape = SpreadsheetText.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public static byte[] Render(ClearanceReport report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, false))
        {
            csv.WriteHeader(ReportTable.Columns.Select(c => c.Header).ToArray());
            foreach (var unit in ReportTable.RowsWithTotal(report))
            {
                foreach (var column in ReportTable.Columns)
                {
                    Write(csv, column.Value(unit));
                }

                csv.EndRecord();
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static void Write(CsvWriter csv, object? value)
    {
        switch (value)
        {
            case int number:
                csv.WriteField(number, default);
                break;
            case double number:
                csv.WriteField(number, default, CultureInfo.InvariantCulture);
                break;
            default:
                csv.WriteField(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }
}
