using System.Text;
using nietras.SeparatedValues;

namespace Hazards.Api.Features.Imports;

public enum ImportFormat
{
    Csv,
    Xlsx,
    GeoJson,
}

/// <summary>
/// Reads an import file row by row, never whole: CSV with Sep (UTF-8, or GB18030 when the file as a whole is not UTF-8),
/// XLSX with <see cref="XlsxReader"/>. The first row holds the headers; each later row becomes the cells by header.
/// </summary>
public static class TabularFile
{
    /// <summary>XLSX is a zip (PK\x03\x04); CSV is text without NUL bytes (its encoding is decided on the whole file). Anything else is neither.</summary>
    public static ImportFormat? Sniff(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4096];
        var read = stream.Read(head);
        head = head[..read];
        if (read >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04)
        {
            return ImportFormat.Xlsx;
        }

        return read == 0 || head.Contains((byte)0) ? null : ImportFormat.Csv;
    }

    /// <summary>Every row, the header row first, with its row number (the header is row 1 of a CSV).</summary>
    public static IEnumerable<(int RowNo, IReadOnlyList<string?> Cells)> Table(string path, ImportFormat format, SpreadsheetLimits limits) =>
        format == ImportFormat.Xlsx ? new XlsxReader(path, limits).Rows() : CsvRows(path, limits);

    /// <summary>The data rows with their spreadsheet row numbers, each cell by the field its header names.</summary>
    public static IEnumerable<(int RowNo, IReadOnlyDictionary<string, string?> Cells)> Rows(
        string path, ImportFormat format, IReadOnlyDictionary<string, string> fieldOfHeader, SpreadsheetLimits limits)
    {
        List<(string Field, int Index)>? columns = null;
        foreach (var (rowNo, row) in Table(path, format, limits))
        {
            if (columns is null)
            {
                columns = row.Select((h, i) => (Field: fieldOfHeader.GetValueOrDefault(h?.Trim() ?? ""), Index: i))
                    .Where(c => c.Field is not null).Select(c => (c.Field!, c.Index)).ToList();
                continue;
            }

            var cells = new Dictionary<string, string?>(columns.Count);
            foreach (var (field, index) in columns)
            {
                cells[field] = index < row.Count ? row[index] : null;
            }

            if (cells.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
            {
                yield return (rowNo, cells);
            }
        }
    }

    /// <summary>A column's name as a spreadsheet shows it (0 → A, 26 → AA).</summary>
    public static string ColumnName(int index) => index < 26 ? ((char)('A' + index)).ToString() : ColumnName((index / 26) - 1) + (char)('A' + (index % 26));

    private static IEnumerable<(int RowNo, IReadOnlyList<string?> Cells)> CsvRows(string path, SpreadsheetLimits limits)
    {
        var encoding = CsvText.Check(path, limits);
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = false })
            .From(new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true));
        var rowNo = 0;
        foreach (var row in reader)
        {
            rowNo++;
            var cells = new string?[row.ColCount];
            for (var i = 0; i < row.ColCount; i++)
            {
                cells[i] = row[i].ToString();
            }

            yield return (rowNo, cells);
        }
    }
}
