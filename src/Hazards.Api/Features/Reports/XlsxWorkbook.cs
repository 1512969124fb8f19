using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// Writes sheets with DocumentFormat.OpenXml as a person wants to print and sort them: numeric cells with
/// number formats, widths fitted to the Chinese text, the title and header rows frozen and repeated on every printed page
/// (<c>_xlnm.Print_Titles</c>), an autofilter over the header and the unit rows, landscape A4 fitted to one page wide.
/// </summary>
public static class XlsxWorkbook
{
    public const int HeaderRow = 2;

    /// <summary>The widest a header may make its column; a longer header wraps inside its cell.</summary>
    private const double HeaderWidthCap = 12;

    /// <summary>Excel's day 0 of the 1900 date system, counting its phantom 1900-02-29, so 1900-03-01 is day 61.</summary>
    private static readonly DateOnly DayZero = new(1899, 12, 30);

    public static byte[] Write(IReadOnlyList<XlsxSheet> sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = XlsxStyles.Stylesheet();
            var strings = new XlsxSharedStrings();
            var sheetList = new Sheets();
            var names = new DefinedNames();
            for (var i = 0; i < sheets.Count; i++)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                part.Worksheet = Worksheet(sheets[i], strings);
                sheetList.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = (uint)(i + 1), Name = sheets[i].Name });
                names.Append(new DefinedName($"'{sheets[i].Name}'!$1:${HeaderRow}") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)i });
                names.Append(new DefinedName($"'{sheets[i].Name}'!{FilterRange(sheets[i], absolute: true)}") { Name = "_xlnm._FilterDatabase", LocalSheetId = (uint)i, Hidden = true });
            }

            workbookPart.Workbook.Append(sheetList, names);
            workbookPart.AddNewPart<SharedStringTablePart>().SharedStringTable = strings.Table;
        }

        return stream.ToArray();
    }

    /// <summary>The width a spreadsheet gives a text: a CJK or full-width character takes about two digit widths.</summary>
    public static double DisplayWidth(string text) => text.Sum(c => c >= 0x2E80 ? 2.0 : 1.0);

    private static Worksheet Worksheet(XlsxSheet sheet, XlsxSharedStrings strings)
    {
        var columns = sheet.Headers.Count;
        var data = new SheetData();
        var widths = Widths(sheet);
        // The title spans the sheet's columns and wraps there, so a narrow sheet still prints all of it; 14 pt is 14/11 of a column's unit.
        var titleLines = Math.Ceiling(DisplayWidth(sheet.Title) * 14 / 11 / Math.Max(1, widths.Sum()));
        var title = new Row { RowIndex = 1, Height = 22 * titleLines + 4, CustomHeight = true };
        title.Append(new Cell { CellReference = "A1", DataType = CellValues.SharedString, StyleIndex = XlsxStyles.Title, CellValue = new CellValue(strings.Index(sheet.Title)) });
        data.Append(title);
        var lines = sheet.Headers.Select((h, c) => Math.Ceiling(DisplayWidth(h) / (widths[c] - 2))).DefaultIfEmpty(1).Max();
        var header = new Row { RowIndex = HeaderRow, Height = 15 * lines + 3, CustomHeight = true };
        for (var c = 0; c < columns; c++)
        {
            header.Append(new Cell
            {
                CellReference = Reference(c, HeaderRow), DataType = CellValues.SharedString, StyleIndex = XlsxStyles.Header,
                CellValue = new CellValue(strings.Index(sheet.Headers[c])),
            });
        }

        data.Append(header);
        for (var r = 0; r < sheet.Rows.Count; r++)
        {
            var index = (uint)(HeaderRow + 1 + r);
            var row = new Row { RowIndex = index };
            for (var c = 0; c < sheet.Rows[r].Cells.Count; c++)
            {
                row.Append(Cell(sheet.Rows[r].Cells[c], Reference(c, index), sheet.Rows[r].Total, strings));
            }

            data.Append(row);
        }

        var worksheet = new Worksheet();
        worksheet.Append(
            new SheetProperties(new PageSetupProperties { FitToPage = true }),
            new SheetViews(new SheetView { WorkbookViewId = 0 }.With(Frozen(sheet.FrozenColumns))),
            new SheetFormatProperties { DefaultRowHeight = 15 },
            Columns(widths),
            data,
            new AutoFilter { Reference = FilterRange(sheet) });
        if (columns > 1)
        {
            worksheet.Append(new MergeCells(new MergeCell { Reference = $"A1:{Reference(columns - 1, 1)}" }) { Count = 1 });
        }

        worksheet.Append(
            new PrintOptions { HorizontalCentered = true },
            new PageMargins { Left = 0.4, Right = 0.4, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 },
            new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 },
            new HeaderFooter(new OddFooter("&C第 &P 页 / 共 &N 页")));
        return worksheet;
    }

    private static SheetView With(this SheetView view, Pane pane)
    {
        view.Append(pane, new Selection { Pane = pane.ActivePane, ActiveCell = pane.TopLeftCell, SequenceOfReferences = new ListValue<StringValue>([pane.TopLeftCell!]) });
        return view;
    }

    /// <summary>Frozen below the header row and right of the first <paramref name="columns"/> columns.</summary>
    private static Pane Frozen(int columns)
    {
        var pane = new Pane { VerticalSplit = HeaderRow, TopLeftCell = Reference(columns, HeaderRow + 1), State = PaneStateValues.Frozen };
        if (columns > 0)
        {
            pane.HorizontalSplit = columns;
            pane.ActivePane = PaneValues.BottomRight;
        }
        else
        {
            pane.ActivePane = PaneValues.BottomLeft;
        }

        return pane;
    }

    /// <summary>Each column as wide as its widest value, and its header up to <see cref="HeaderWidthCap"/>, with a margin of 2.</summary>
    private static double[] Widths(XlsxSheet sheet) =>
    [
        .. sheet.Headers.Select((h, c) => Math.Max(
            sheet.Rows.Where(r => c < r.Cells.Count).Select(r => DisplayWidth(Shown(r.Cells[c]))).DefaultIfEmpty(0).Max(),
            Math.Min(DisplayWidth(h), HeaderWidthCap)) + 2),
    ];

    private static Columns Columns(double[] widths)
    {
        var columns = new Columns();
        for (var c = 0; c < widths.Length; c++)
        {
            columns.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = widths[c], CustomWidth = true });
        }

        return columns;
    }

    /// <summary>The text a cell shows, for its width: numbers as their format prints them.</summary>
    private static string Shown(XlsxCell cell) => cell.Value switch
    {
        string text => SpreadsheetText.Neutralise(text),
        DateOnly => "yyyy-mm-dd",
        double value when cell.Format == XlsxFormat.Percent => (value * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%",
        double value => value.ToString("0.00", CultureInfo.InvariantCulture),
        var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static Cell Cell(XlsxCell cell, string reference, bool bold, XlsxSharedStrings strings)
    {
        var format = cell.Value is string ? XlsxFormat.Text : cell.Format;
        var result = new Cell { CellReference = reference, StyleIndex = XlsxStyles.Data(format, bold) };
        switch (cell.Value)
        {
            case string text:
                result.DataType = CellValues.SharedString;
                result.CellValue = new CellValue(strings.Index(SpreadsheetText.Neutralise(text)));
                break;
            case DateOnly day:
                result.CellValue = new CellValue(day.DayNumber - DayZero.DayNumber);
                break;
            case int number:
                result.CellValue = new CellValue(number);
                break;
            case double number:
                result.CellValue = new CellValue(number);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cell), cell.Value?.GetType().Name, "A cell holds text, an int, a double or a date.");
        }

        return result;
    }

    /// <summary>Row 2 through the last row that is not a total row: the filter and sort range.</summary>
    private static string FilterRange(XlsxSheet sheet, bool absolute = false)
    {
        var last = (uint)(HeaderRow + sheet.Rows.Count(r => !r.Total));
        var column = Letters(Math.Max(sheet.Headers.Count - 1, 0));
        return absolute ? $"$A${HeaderRow}:${column}${last}" : $"A{HeaderRow}:{column}{last}";
    }

    private static string Reference(int column, uint row) => Letters(column) + row.ToString(CultureInfo.InvariantCulture);

    private static string Reference(int column, int row) => Reference(column, (uint)row);

    private static string Letters(int column)
    {
        var letters = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + (n - 1) % 26) + letters;
        }

        return letters;
    }
}
