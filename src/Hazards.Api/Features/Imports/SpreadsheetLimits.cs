using System.ComponentModel.DataAnnotations;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// The bounds an uploaded spreadsheet is read within (settings under <c>Imports</c>, beside <c>Imports:MaxBytes</c>).
/// A file of a few hundred kilobytes can unpack to gigabytes: every bound is checked before or while the bytes are read,
/// so reading any file costs at most what these allow, and a file past one is refused (413 <c>import.content_too_large</c>).
/// </summary>
public sealed class SpreadsheetLimits
{
    /// <summary>Parts (zip entries) of an XLSX; Excel writes a dozen.</summary>
    [Range(8, 65_534)]
    public int MaxXlsxParts { get; set; } = 1000;

    /// <summary>The unpacked size of one part of an XLSX, as its zip directory declares it and as it is read.</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long MaxXlsxPartBytes { get; set; } = 1L << 30;

    /// <summary>Unpacked to packed size of a part over a megabyte; Excel's own sheets stay far below.</summary>
    [Range(2, 1032)]
    public int MaxXlsxCompressionRatio { get; set; } = 100;

    /// <summary>Shared strings (the distinct texts of a workbook), kept in memory while the sheet is read.</summary>
    [Range(1, 50_000_000)]
    public int MaxSharedStrings { get; set; } = 1_000_000;

    /// <summary>The shared strings' total size in UTF-8.</summary>
    [Range(1024 * 1024, 1L << 31)]
    public long MaxSharedStringBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Cells of the sheet, the empty ones Excel writes included.</summary>
    [Range(1, long.MaxValue)]
    public long MaxCells { get; set; } = 50_000_000;

    /// <summary>One cell's text: Excel's own limit.</summary>
    [Range(1, 32_767)]
    public int MaxCellChars { get; set; } = 32_767;

    /// <summary>One row's text, all its cells together (a CSV row: four bytes a character).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRowChars { get; set; } = 1024 * 1024;

    /// <summary>Columns of a row: Excel's own limit (XFD).</summary>
    [Range(1, 16_384)]
    public int MaxColumns { get; set; } = 16_384;

    /// <summary>The bytes of an XLSX part from one '&lt;' to the next: a tag with its attributes, or a text (a cell's is far shorter).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxXmlTagBytes { get; set; } = 256 * 1024;

    /// <summary>Nesting of elements in an XLSX part; a sheet's text sits six deep.</summary>
    [Range(8, 1024)]
    public int MaxXmlDepth { get; set; } = 32;

    /// <summary>413 <c>import.content_too_large</c>, naming the part and the setting it is past.</summary>
    public static ProblemException TooLarge(string part, string setting, string what) =>
        new(StatusCodes.Status413PayloadTooLarge, "import.content_too_large",
            $"{what} ({part}; Imports:{setting}): split the file, or save it again from Excel or WPS.")
        {
            Extensions = new Dictionary<string, object?> { ["part"] = part, ["limit"] = "Imports:" + setting },
        };

    /// <summary>400 <c>import.xlsx_malformed</c>: a part no spreadsheet program writes.</summary>
    public static ProblemException Malformed(string part, string what) =>
        new(StatusCodes.Status400BadRequest, "import.xlsx_malformed", $"{what} ({part}): save the file again from Excel or WPS.")
        {
            Extensions = new Dictionary<string, object?> { ["part"] = part },
        };
}
