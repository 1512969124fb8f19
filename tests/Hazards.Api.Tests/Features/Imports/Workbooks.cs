using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Hazards.Api.Tests.Features.Imports;

/// <summary>
/// XLSX files written part by part, as Excel lays them out (a workbook, its relationships, one sheet, shared strings),
/// so that a test can give a sheet any rows — duplicated or empty headers — or any hostile part a real upload could hold.
/// </summary>
public static class Workbooks
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>A workbook whose first sheet holds these rows, every text a shared string; a null cell is left out.</summary>
    public static byte[] Sheet(params string?[][] rows)
    {
        var strings = rows.SelectMany(r => r).OfType<string>().Distinct().ToList();
        var sheet = new StringBuilder($"<worksheet xmlns=\"{Main}\"><sheetData>");
        for (var r = 0; r < rows.Length; r++)
        {
            sheet.Append($"<row r=\"{r + 1}\">");
            for (var c = 0; c < rows[r].Length; c++)
            {
                if (rows[r][c] is { } text)
                {
                    sheet.Append($"<c r=\"{Column(c)}{r + 1}\" t=\"s\"><v>{strings.IndexOf(text)}</v></c>");
                }
            }

            sheet.Append("</row>");
        }

        sheet.Append("</sheetData></worksheet>");
        var shared = new StringBuilder($"<sst xmlns=\"{Main}\" count=\"{strings.Count}\" uniqueCount=\"{strings.Count}\">");
        foreach (var text in strings)
        {
            shared.Append($"<si><t xml:space=\"preserve\">{SecurityElement.Escape(text)}</t></si>");
        }

        shared.Append("</sst>");
        return Zip(s => Write(s, sheet.ToString()), s => Write(s, shared.ToString()));
    }

    /// <summary>One shared string of <paramref name="chars"/> characters, named by the header cell.</summary>
    public static byte[] OneHugeString(long chars) => Zip(
        s => Write(s, $"<worksheet xmlns=\"{Main}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>"),
        s =>
        {
            Write(s, $"<sst xmlns=\"{Main}\"><si><t>");
            Repeat(s, "x", chars);
            Write(s, "</t></si></sst>");
        });

    /// <summary>
    /// <paramref name="count"/> distinct shared strings of at least <paramref name="width"/> digits, declaring
    /// <paramref name="declared"/> of them (or leaving the count out).
    /// </summary>
    public static byte[] ManyTinyStrings(int count, int? declared, int width = 1) => Zip(
        s => Write(s, $"<worksheet xmlns=\"{Main}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>"),
        s =>
        {
            Write(s, declared is null ? $"<sst xmlns=\"{Main}\">" : $"<sst xmlns=\"{Main}\" count=\"{declared}\" uniqueCount=\"{declared}\">");
            var chunk = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                chunk.Append("<si><t>").Append(i.ToString(new string('0', width), CultureInfo.InvariantCulture)).Append("</t></si>");
                if (chunk.Length > 1 << 16)
                {
                    Write(s, chunk.ToString());
                    chunk.Clear();
                }
            }

            Write(s, chunk + "</sst>");
        });

    /// <summary>A sheet of <paramref name="rows"/> identical rows after a valid org-units header.</summary>
    public static byte[] HugeSheet(long rows) => Zip(
        s =>
        {
            Write(s, $"<worksheet xmlns=\"{Main}\"><sheetData>{InlineRow(1, "编码", "名称", "上级编码")}");
            Repeat(s, "<row><c t=\"inlineStr\"><is><t>500103001009</t></is></c><c t=\"inlineStr\"><is><t>社区</t></is></c></row>", rows);
            Write(s, "</sheetData></worksheet>");
        },
        null);

    /// <summary>A small sheet whose header row holds elements nested <paramref name="depth"/> deep.</summary>
    public static byte[] DeepNesting(int depth) => Zip(
        s =>
        {
            Write(s, $"<worksheet xmlns=\"{Main}\"><sheetData><row r=\"1\">");
            Repeat(s, "<x>", depth);
            Repeat(s, "</x>", depth);
            Write(s, "</row></sheetData></worksheet>");
        },
        null);

    /// <summary>A header cell with one attribute of <paramref name="bytes"/> characters that do not compress.</summary>
    public static byte[] HugeAttribute(int bytes) => Zip(
        s =>
        {
            Write(s, $"<worksheet xmlns=\"{Main}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\" x=\"");
            var random = new Random(7);
            var buffer = new byte[3 << 16];
            for (var written = 0; written < bytes; written += 4 << 16)
            {
                random.NextBytes(buffer);
                Write(s, Convert.ToBase64String(buffer));
            }

            Write(s, "\"><is><t>编码</t></is></c></row></sheetData></worksheet>");
        },
        null);

    /// <summary>A zip holding one text file and nothing a workbook has.</summary>
    public static byte[] NotAWorkbook()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "readme.txt", s => Write(s, "not a workbook"));
        }

        return buffer.ToArray();
    }

    private static string InlineRow(int r, params string[] cells) =>
        $"<row r=\"{r}\">" + string.Concat(cells.Select((c, i) => $"<c r=\"{Column(i)}{r}\" t=\"inlineStr\"><is><t>{c}</t></is></c>")) + "</row>";

    private static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : Column((index / 26) - 1) + (char)('A' + (index % 26));

    private static byte[] Zip(Action<Stream> sheet, Action<Stream>? sharedStrings)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "[Content_Types].xml", s => Write(s,
                "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
                + "</Types>"));
            Part(zip, "_rels/.rels", s => Write(s,
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                + "</Relationships>"));
            Part(zip, "xl/workbook.xml", s => Write(s,
                $"<workbook xmlns=\"{Main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                + "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
            Part(zip, "xl/_rels/workbook.xml.rels", s => Write(s,
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + (sharedStrings is null ? "" : "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>")
                + "</Relationships>"));
            Part(zip, "xl/worksheets/sheet1.xml", sheet);
            if (sharedStrings is not null)
            {
                Part(zip, "xl/sharedStrings.xml", sharedStrings);
            }
        }

        return buffer.ToArray();
    }

    private static void Part(ZipArchive zip, string name, Action<Stream> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
        write(stream);
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));

    private static void Repeat(Stream stream, string text, long times)
    {
        var unit = Encoding.UTF8.GetBytes(text);
        var perChunk = Math.Max(1, (1 << 20) / unit.Length);
        var chunk = new byte[unit.Length * perChunk];
        for (var i = 0; i < perChunk; i++)
        {
            unit.CopyTo(chunk, i * unit.Length);
        }

        for (var done = 0L; done < times; done += perChunk)
        {
            stream.Write(chunk, 0, (int)(Math.Min(perChunk, times - done) * unit.Length));
        }
    }
}
