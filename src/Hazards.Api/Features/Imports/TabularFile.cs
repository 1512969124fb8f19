using System.Globalization;
using System.Text;
using MiniExcelLibs;
using nietras.SeparatedValues;

namespace Hazards.Api.Features.Imports;

public enum ImportFormat
{
    Csv,
    Xlsx,
    GeoJson,
}

/// <summary>
/// Reads an import file row by row, never whole: CSV (UTF-8) with Sep, XLSX with MiniExcel's streaming query. The
/// first row holds the headers; each later row becomes the cells by header.
/// </summary>
public static class TabularFile
{
    /// <summary>XLSX is a zip (PK\x03\x04); CSV is UTF-8 text without NUL bytes. Anything else is neither.</summary>
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

        if (read == 0 || head.Contains((byte)0))
        {
            return null;
        }

        // A multi-byte character may be cut at the end of the sample: the decoder leaves an unfinished one alone.
        try
        {
            _ = new UTF8Encoding(false, true).GetDecoder().GetCharCount(head, flush: read < 4096);
            return ImportFormat.Csv;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public static IReadOnlyList<string> Headers(string path, ImportFormat format)
    {
        if (format == ImportFormat.Xlsx)
        {
            using var stream = File.OpenRead(path);
            return MiniExcel.GetColumns(stream, useHeaderRow: true, excelType: ExcelType.XLSX).Select(h => h.Trim()).ToList();
        }

        using var reader = Csv(path);
        return reader.Header.ColNames.Select(h => h.Trim()).ToList();
    }

    /// <summary>The data rows with their spreadsheet row numbers (the header is row 1).</summary>
    public static IEnumerable<(int RowNo, IReadOnlyDictionary<string, string?> Cells)> Rows(string path, ImportFormat format, IReadOnlyDictionary<string, string> fieldOfHeader)
    {
        var rowNo = 1;
        if (format == ImportFormat.Xlsx)
        {
            using var stream = File.OpenRead(path);
            foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: true, excelType: ExcelType.XLSX))
            {
                rowNo++;
                var cells = new Dictionary<string, string?>(fieldOfHeader.Count);
                foreach (var (header, value) in row)
                {
                    if (fieldOfHeader.TryGetValue(header.Trim(), out var field))
                    {
                        cells[field] = value switch
                        {
                            null => null,
                            double d => d.ToString("0.##########", CultureInfo.InvariantCulture),
                            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                        };
                    }
                }

                if (cells.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
                {
                    yield return (rowNo, cells);
                }
            }

            yield break;
        }

        using var reader = Csv(path);
        var columns = reader.Header.ColNames.Select((h, i) => (Field: fieldOfHeader.GetValueOrDefault(h.Trim()), Index: i)).Where(c => c.Field is not null).ToList();
        foreach (var row in reader)
        {
            rowNo++;
            var cells = new Dictionary<string, string?>(columns.Count);
            foreach (var (field, index) in columns)
            {
                cells[field!] = index < row.ColCount ? row[index].ToString() : null;
            }

            if (cells.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
            {
                yield return (rowNo, cells);
            }
        }
    }

    private static SepReader Csv(string path) =>
        Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = true })
            .From(new StreamReader(path, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true));
}
