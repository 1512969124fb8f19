namespace Hazards.Api.Features.Reports;

/// <summary>How a cell shows its value: text, a whole number, a percentage of 1, a number with two decimals, or a date.</summary>
public enum XlsxFormat
{
    Text,
    Integer,
    Percent,
    Decimal,
    Date,
}

/// <summary>One cell: text is neutralised (<see cref="SpreadsheetText"/>), numbers and dates are numeric cells with a number format.</summary>
public readonly record struct XlsxCell(object? Value, XlsxFormat Format)
{
    public const string Absent = "—";

    public static XlsxCell Text(string? text) => new(text ?? Absent, XlsxFormat.Text);

    public static XlsxCell Integer(int? value) => value is { } v ? new(v, XlsxFormat.Integer) : Text(null);

    public static XlsxCell Percent(double? value) => value is { } v ? new(v, XlsxFormat.Percent) : Text(null);

    public static XlsxCell Decimal(double? value) => value is { } v ? new(v, XlsxFormat.Decimal) : Text(null);

    public static XlsxCell Date(DateOnly? value) => value is { } v ? new(v, XlsxFormat.Date) : Text(null);
}

/// <summary>A row; a total row is bold and stays out of the autofilter, so sorting the units leaves it at the bottom.</summary>
public sealed record XlsxRow(IReadOnlyList<XlsxCell> Cells, bool Total = false);

/// <summary>A sheet: a title in row 1, the headers in row 2, the rows below; <paramref name="FrozenColumns"/> stay on screen when scrolling sideways.</summary>
public sealed record XlsxSheet(string Name, string Title, IReadOnlyList<string> Headers, IReadOnlyList<XlsxRow> Rows, int FrozenColumns = 0);
