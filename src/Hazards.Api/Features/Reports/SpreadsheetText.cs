namespace Hazards.Api.Features.Reports;

/// <summary>
/// OWASP's CSV injection guidance for every export and attachment: a text cell that starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR is one a spreadsheet may run as a formula, so it gets a leading
/// <c>'</c>. Numbers are written as numbers and never touched. The CSV hands the same characters to CsvHelper's own
/// escaping; the XLSX applies <see cref="Neutralise"/> to its text cells.
/// </summary>
public static class SpreadsheetText
{
    public const string InjectionCharacters = "=+-@\t\r";

    public const char Escape = '\'';

    public static string Neutralise(string text) =>
        text.Length > 0 && InjectionCharacters.Contains(text[0], StringComparison.Ordinal) ? Escape + text : text;

    /// <summary>A cell value as a spreadsheet should get it: text neutralised, anything else as it is.</summary>
    public static object? Cell(object? value) => value is string text ? Neutralise(text) : value;
}
