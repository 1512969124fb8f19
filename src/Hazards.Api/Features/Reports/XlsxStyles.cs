using DocumentFormat.OpenXml.Spreadsheet;

namespace Hazards.Api.Features.Reports;

/// <summary>The workbook's fonts, fills, borders and number formats, and which cell format each kind of cell uses.</summary>
public static class XlsxStyles
{
    public const uint Title = 1;
    public const uint Header = 2;

    private const uint DateFormatId = 164;

    /// <summary>Cell formats: 0 plain, 1 title, 2 header, then each <see cref="XlsxFormat"/> plain and bold.</summary>
    public static uint Data(XlsxFormat format, bool bold) => 3 + (uint)format * 2 + (bold ? 1u : 0u);

    /// <summary>By <see cref="XlsxFormat"/>: built-in 49 text (@), 1 integer (0), 10 percent (0.00%), 2 decimal (0.00), and yyyy-mm-dd.</summary>
    private static readonly uint[] NumberFormats = [49, 1, 10, 2, DateFormatId];

    public static Stylesheet Stylesheet()
    {
        static Font Font(bool bold, double size)
        {
            var font = new Font();
            if (bold)
            {
                font.Append(new Bold());
            }

            font.Append(new FontSize { Val = size }, new FontName { Val = "等线" }, new FontFamilyNumbering { Val = 2 }, new FontCharSet { Val = 134 });
            return font;
        }

        static Border Thin() => new(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());

        var formats = new CellFormats(
            new CellFormat(),
            new CellFormat(new Alignment { Vertical = VerticalAlignmentValues.Center, WrapText = true }) { FontId = 2, ApplyFont = true, ApplyAlignment = true },
            new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
            {
                FontId = 1, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true,
            });
        foreach (var numberFormat in NumberFormats)
        {
            foreach (var bold in new[] { false, true })
            {
                formats.Append(new CellFormat
                {
                    NumberFormatId = numberFormat, FontId = bold ? 1u : 0u, BorderId = 1, ApplyNumberFormat = true, ApplyFont = true, ApplyBorder = true,
                });
            }
        }

        return new DocumentFormat.OpenXml.Spreadsheet.Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = DateFormatId, FormatCode = "yyyy-mm-dd" }),
            new Fonts(Font(false, 11), Font(true, 11), Font(true, 14)),
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFF2F2F2" }) { PatternType = PatternValues.Solid })),
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), Thin()),
            new CellStyleFormats(new CellFormat()),
            formats,
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }));
    }
}
