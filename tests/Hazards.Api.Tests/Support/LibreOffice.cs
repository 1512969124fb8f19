using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using nietras.SeparatedValues;

namespace Hazards.Api.Tests.Support;

/// <summary>
/// A workbook read as a person's spreadsheet reads it: Debian's LibreOffice headless converts it. The CSV filter options
/// (LibreOffice help, "CSV Filter Options"): comma, double quote, UTF-8 (76), token 9 "save cell contents as shown" false,
/// token 12 -1 for every sheet, each written as <c>&lt;file&gt;-&lt;sheet&gt;.csv</c>. With token 9 false LibreOffice 7.4 still
/// writes a cell's input text (40% for a percentage cell holding 0.4), so whether a cell is a number is read from the flat
/// ODS instead. Each conversion has its own profile, so parallel tests do not share a lock.
/// </summary>
public static class LibreOffice
{
    private const string CsvFilter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";

    /// <summary>Every sheet as CSV rows. A cell gives its input text: 40% for a percentage cell, 2026-03-10 for a date cell.</summary>
    public static async Task<IReadOnlyDictionary<string, List<List<string>>>> SheetsAsCsv(byte[] workbook, IReadOnlyList<string> sheetNames)
    {
        var sheets = new Dictionary<string, List<List<string>>>();
        await Convert(workbook, CsvFilter, work =>
        {
            foreach (var name in sheetNames)
            {
                var path = Path.Combine(work.FullName, $"report-{name}.csv");
                Assert.That(File.Exists(path), Is.True, $"soffice wrote no {path}: {string.Join(", ", work.GetFiles().Select(f => f.Name))}");
                sheets[name] = Csv.Parse(File.ReadAllText(path, Encoding.UTF8));
            }
        });
        return sheets;
    }

    /// <summary>
    /// The workbook as LibreOffice's flat OpenDocument: each cell with the type LibreOffice gave it (<c>office:value-type</c>
    /// float, percentage, date or string) and its value, which no CSV can tell apart from text.
    /// </summary>
    public static async Task<FlatSpreadsheet> AsFlatOds(byte[] workbook)
    {
        XDocument? document = null;
        await Convert(workbook, "fods", work => document = XDocument.Load(Path.Combine(work.FullName, "report.fods")));
        return new FlatSpreadsheet(document!);
    }

    /// <summary>How many pages LibreOffice prints the workbook on (its PDF export, each sheet with its own page setup).</summary>
    public static async Task<int> PrintedPages(byte[] workbook)
    {
        var pages = 0;
        await Convert(workbook, "pdf", work =>
            pages = Regex.Matches(Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(work.FullName, "report.pdf"))), @"/Type\s*/Page[^s]").Count);
        return pages;
    }

    private static async Task Convert(byte[] workbook, string filter, Action<DirectoryInfo> read)
    {
        var work = Directory.CreateTempSubdirectory("hazards-lo-");
        try
        {
            var input = Path.Combine(work.FullName, "report.xlsx");
            await File.WriteAllBytesAsync(input, workbook);
            var start = new ProcessStartInfo("soffice")
            {
                ArgumentList =
                {
                    $"-env:UserInstallation=file://{work.FullName}/profile", "--headless", "--norestore", "--convert-to", filter,
                    "--outdir", work.FullName, input,
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.That(process.ExitCode, Is.Zero, $"soffice: {await output} {await error}");
            read(work);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}

/// <summary>A flat ODS document read by sheet, row and column (0-based), repeated rows and cells expanded.</summary>
public sealed class FlatSpreadsheet(XDocument document)
{
    private static readonly XNamespace Table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    private static readonly XNamespace Office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    private static readonly XNamespace Text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

    private static readonly XNamespace Style = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";

    public XDocument Document { get; } = document;

    /// <summary>The autofilter ranges (sheet.A2:sheet.E9) that show filter buttons.</summary>
    public IReadOnlyList<string> Filters =>
    [
        .. Document.Descendants(Table + "database-range")
            .Where(r => (string?)r.Attribute(Table + "display-filter-buttons") == "true")
            .Select(r => (string)r.Attribute(Table + "target-range-address")!),
    ];

    /// <summary>Each page layout's orientation and how many pages wide it is scaled to.</summary>
    public IReadOnlyList<(string? Orientation, string? PagesWide)> PageLayouts =>
    [
        .. Document.Descendants(Style + "page-layout-properties")
            .Select(p => ((string?)p.Attribute(Style + "print-orientation"), (string?)p.Attribute(Style + "scale-to-X"))),
    ];

    /// <summary>The rows a sheet repeats at the top of every printed page.</summary>
    public int HeaderRows(string sheet) => Sheet(sheet).Elements(Table + "table-header-rows").Elements(Table + "table-row").Count();

    private XElement Sheet(string name) => Document.Descendants(Table + "table").Single(t => (string?)t.Attribute(Table + "name") == name);

    /// <summary>The cell's type (float, percentage, date, string) and value (its number, its ISO date, or its text).</summary>
    public (string? Type, string? Value) Cell(string sheet, int row, int column)
    {
        var rows = Sheet(sheet).Descendants(Table + "table-row")
            .SelectMany(r => Enumerable.Repeat(r, (int?)r.Attribute(Table + "number-rows-repeated") ?? 1));
        var cells = rows.ElementAt(row).Elements()
            .Where(e => e.Name == Table + "table-cell" || e.Name == Table + "covered-table-cell")
            .SelectMany(c => Enumerable.Repeat(c, (int?)c.Attribute(Table + "number-columns-repeated") ?? 1));
        var cell = cells.ElementAt(column);
        var type = (string?)cell.Attribute(Office + "value-type");
        var value = type switch
        {
            "date" => (string?)cell.Attribute(Office + "date-value"),
            "string" => string.Concat(cell.Elements(Text + "p").Select(p => p.Value)),
            _ => (string?)cell.Attribute(Office + "value"),
        };
        return (type, value);
    }
}

/// <summary>RFC 4180 text into rows of fields, quoted line breaks included, read by Sep.</summary>
public static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromText(text);
        var rows = new List<List<string>>();
        foreach (var row in reader)
        {
            var fields = new List<string>(row.ColCount);
            for (var i = 0; i < row.ColCount; i++)
            {
                fields.Add(row[i].ToString());
            }

            rows.Add(fields);
        }

        return rows;
    }
}
