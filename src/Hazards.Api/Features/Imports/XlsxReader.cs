using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// The first sheet of an XLSX as a stream of rows (the texts of its cells by column), read with <see cref="ZipArchive"/>
/// and <see cref="XmlReader"/> within <see cref="SpreadsheetLimits"/>: the zip directory's entry count is checked before
/// the directory is read, each part through <see cref="XlsxPart"/>, the shared strings kept packed in UTF-8 and counted,
/// every cell's text read in chunks and cut off at its bound. A number is written as Excel shows it (<c>0.##########</c>).
/// </summary>
public sealed class XlsxReader(string path, SpreadsheetLimits limits)
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    private readonly char[] chunk = new char[4096];
    private readonly StringBuilder text = new();

    public IEnumerable<(int RowNo, IReadOnlyList<string?> Cells)> Rows()
    {
        CheckEntryCount();
        using var file = File.OpenRead(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        var workbook = Target(zip, "_rels/.rels", "", r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)) ?? "xl/workbook.xml";
        var folder = workbook.Contains('/') ? workbook[..(workbook.LastIndexOf('/') + 1)] : "";
        var relsPath = folder + "_rels/" + workbook[folder.Length..] + ".rels";
        var sheetId = FirstSheetId(zip, workbook);
        var sheet = Target(zip, relsPath, folder, r => r.Id == sheetId) ?? throw SpreadsheetLimits.Malformed(workbook, "The workbook names no sheet");
        var stringsPart = Target(zip, relsPath, folder, r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal));
        var strings = stringsPart is null || Entry(zip, stringsPart) is not { } stringsEntry ? new SharedStrings(limits) : ReadStrings(stringsEntry);
        var sheetEntry = Entry(zip, sheet) ?? throw SpreadsheetLimits.Malformed(sheet, "The workbook's first sheet is missing");
        using var reader = XlsxPart.Open(sheetEntry, limits);
        var cells = 0L;
        var rowNo = 0;
        while (reader.Next(sheet, limits))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "row" || reader.NamespaceURI != Main)
            {
                continue;
            }

            rowNo = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > rowNo ? r : rowNo + 1;
            var row = new List<string?>();
            if (!reader.IsEmptyElement)
            {
                ReadRow(reader, sheet, strings, row, ref cells);
            }

            yield return (rowNo, row);
        }
    }

    private void ReadRow(XmlReader reader, string part, SharedStrings strings, List<string?> row, ref long cells)
    {
        var depth = reader.Depth;
        var chars = 0;
        while (reader.Next(part, limits) && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "c")
            {
                continue;
            }

            if (++cells > limits.MaxCells)
            {
                throw SpreadsheetLimits.TooLarge(part, nameof(SpreadsheetLimits.MaxCells), "The sheet has more cells than allowed");
            }

            var column = reader.GetAttribute("r") is { } reference ? Column(reference, part) : row.Count;
            var type = reader.GetAttribute("t");
            var value = reader.IsEmptyElement ? null : ReadCell(reader, part, type, strings);
            chars += value?.Length ?? 0;
            if (chars > limits.MaxRowChars)
            {
                throw SpreadsheetLimits.TooLarge(part, nameof(SpreadsheetLimits.MaxRowChars), "A row holds more text than allowed");
            }

            while (row.Count <= column)
            {
                row.Add(null);
            }

            row[column] = value;
        }
    }

    private string? ReadCell(XmlReader reader, string part, string? type, SharedStrings strings)
    {
        var depth = reader.Depth;
        string? raw = null;
        var inline = new StringBuilder();
        while (reader.Next(part, limits) && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.LocalName == "v")
            {
                raw = Text(reader, part);
            }
            else if (reader.LocalName == "rPh")
            {
                Skip(reader, part);
            }
            else if (reader.LocalName == "t")
            {
                inline.Append(Text(reader, part));
            }
        }

        return type switch
        {
            "inlineStr" => inline.ToString(),
            "s" => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count ? strings[index]
                : throw SpreadsheetLimits.Malformed(part, "A cell names a shared string that does not exist"),
            "b" => raw == "1" ? "True" : "False",
            "str" or "e" or "d" => raw,
            _ => raw is not null && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number.ToString("0.##########", CultureInfo.InvariantCulture) : raw,
        };
    }

    private SharedStrings ReadStrings(ZipArchiveEntry entry)
    {
        var strings = new SharedStrings(limits);
        using var reader = XlsxPart.Open(entry, limits);
        var si = new StringBuilder();
        var depth = -1;
        while (reader.Next(entry.FullName, limits))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sst")
            {
                strings.Declare(reader.GetAttribute("uniqueCount"), entry.FullName);
            }

            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
            {
                si.Clear();
                depth = reader.Depth;
                if (reader.IsEmptyElement)
                {
                    strings.Add("", entry.FullName);
                }
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "rPh")
            {
                Skip(reader, entry.FullName);
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t" && depth >= 0)
            {
                si.Append(Text(reader, entry.FullName));
                if (si.Length > limits.MaxCellChars)
                {
                    throw SpreadsheetLimits.TooLarge(entry.FullName, nameof(SpreadsheetLimits.MaxCellChars), "A text is longer than a cell holds");
                }
            }
            else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "si")
            {
                strings.Add(si.ToString(), entry.FullName);
                depth = -1;
            }
        }

        return strings;
    }

    /// <summary>The text of the element the reader is on, in chunks, refused past <see cref="SpreadsheetLimits.MaxCellChars"/>.</summary>
    private string Text(XmlReader reader, string part)
    {
        if (reader.IsEmptyElement)
        {
            return "";
        }

        var depth = reader.Depth;
        text.Clear();
        while (reader.Next(part, limits) && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is not (XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
            {
                continue;
            }

            int n;
            while ((n = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
            {
                text.Append(chunk, 0, n);
                if (text.Length > limits.MaxCellChars)
                {
                    throw SpreadsheetLimits.TooLarge(part, nameof(SpreadsheetLimits.MaxCellChars), "A text is longer than a cell holds");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Past the element the reader is on (a phonetic reading), node by node so that its depth is bounded too.</summary>
    private void Skip(XmlReader reader, string part)
    {
        var depth = reader.Depth;
        var inside = !reader.IsEmptyElement;
        while (inside && reader.Next(part, limits))
        {
            inside = !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth);
        }
    }

    private int Column(string reference, string part)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z')
            {
                break;
            }

            column = (column * 26) + (c - 'A' + 1);
            if (column > limits.MaxColumns)
            {
                throw SpreadsheetLimits.TooLarge(part, nameof(SpreadsheetLimits.MaxColumns), "A row has more columns than allowed");
            }
        }

        return column > 0 ? column - 1 : throw SpreadsheetLimits.Malformed(part, "A cell's reference has no column");
    }

    private string? FirstSheetId(ZipArchive zip, string workbook)
    {
        var entry = Entry(zip, workbook) ?? throw SpreadsheetLimits.Malformed(workbook, "The file is a zip but not a workbook");
        using var reader = XlsxPart.Open(entry, limits);
        while (reader.Next(workbook, limits))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet" && reader.NamespaceURI == Main)
            {
                return reader.GetAttribute("id", Relationships);
            }
        }

        return null;
    }

    /// <summary>The part a relationship of <paramref name="relsPath"/> points to, as a path inside the zip.</summary>
    private string? Target(ZipArchive zip, string relsPath, string folder, Func<(string? Id, string Type), bool> match)
    {
        if (Entry(zip, relsPath) is not { } entry)
        {
            return null;
        }

        using var reader = XlsxPart.Open(entry, limits);
        while (reader.Next(relsPath, limits))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.NamespaceURI == PackageRelationships
                && match((reader.GetAttribute("Id"), reader.GetAttribute("Type") ?? "")) && reader.GetAttribute("Target") is { } target)
            {
                var segments = new List<string>();
                foreach (var segment in (target.StartsWith('/') ? target[1..] : folder + target).Split('/'))
                {
                    if (segment == ".." && segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }
                    else if (segment is not ("" or "." or ".."))
                    {
                        segments.Add(segment);
                    }
                }

                return string.Join('/', segments);
            }
        }

        return null;
    }

    private static ZipArchiveEntry? Entry(ZipArchive zip, string name) =>
        zip.GetEntry(name) ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The entry count from the zip's end record, read before <see cref="ZipArchive"/> reads the whole directory into
    /// memory; a zip64 directory (over 65,535 entries or 4 GB) is never an import's.
    /// </summary>
    private void CheckEntryCount()
    {
        using var file = File.OpenRead(path);
        var tail = new byte[(int)Math.Min(file.Length, 22 + 65_535)];
        file.Seek(-tail.Length, SeekOrigin.End);
        file.ReadExactly(tail);
        for (var i = tail.Length - 22; i >= 0; i--)
        {
            if (tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 0x05 && tail[i + 3] == 0x06)
            {
                var entries = BitConverter.ToUInt16(tail, i + 10);
                if (entries > limits.MaxXlsxParts || entries == ushort.MaxValue)
                {
                    throw SpreadsheetLimits.TooLarge("zip directory", nameof(SpreadsheetLimits.MaxXlsxParts), "The file has more parts than a workbook has");
                }

                return;
            }
        }
    }

    /// <summary>The shared strings packed in UTF-8 in blocks of a megabyte; a string is decoded when a cell names it.</summary>
    private sealed class SharedStrings(SpreadsheetLimits limits)
    {
        private const int BlockBytes = 1 << 20;
        private readonly List<byte[]> blocks = [];
        private readonly List<(int Block, int Start, int Length)> index = [];
        private int used = BlockBytes;
        private long total;
        private int? declared;

        public int Count => index.Count;

        public string this[int i] => Encoding.UTF8.GetString(blocks[index[i].Block], index[i].Start, index[i].Length);

        /// <summary>
        /// The count the part declares (Excel, WPS and LibreOffice write it): past the limit it is refused before a string
        /// is read, and a part holding more than it declares is refused at the first string too many.
        /// </summary>
        public void Declare(string? uniqueCount, string part)
        {
            if (int.TryParse(uniqueCount, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                declared = count <= limits.MaxSharedStrings ? count
                    : throw SpreadsheetLimits.TooLarge(part, nameof(SpreadsheetLimits.MaxSharedStrings), "The workbook has more distinct texts than allowed");
            }
        }

        public void Add(string text, string part)
        {
            if (index.Count >= declared)
            {
                throw SpreadsheetLimits.Malformed(part, "The workbook holds more distinct texts than it declares");
            }

            var length = Encoding.UTF8.GetByteCount(text);
            total += length;
            if (index.Count >= limits.MaxSharedStrings)
            {
                throw SpreadsheetLimits.TooLarge(part, nameof(SpreadsheetLimits.MaxSharedStrings), "The workbook has more distinct texts than allowed");
            }

            if (total > limits.MaxSharedStringBytes)
            {
                throw SpreadsheetLimits.TooLarge(part, nameof(SpreadsheetLimits.MaxSharedStringBytes), "The workbook's distinct texts are larger than allowed");
            }

            if (used + length > BlockBytes)
            {
                blocks.Add(new byte[Math.Max(BlockBytes, length)]);
                used = 0;
            }

            Encoding.UTF8.GetBytes(text, blocks[^1].AsSpan(used));
            index.Add((blocks.Count - 1, used, length));
            used += length;
        }
    }
}
