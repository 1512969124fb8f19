using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Hazards.Api.Features.Reports;

/// <summary>The workbook's shared string table: each distinct text stored once, cells refer to it by index.</summary>
internal sealed class XlsxSharedStrings
{
    private readonly Dictionary<string, int> indexes = new(StringComparer.Ordinal);

    public SharedStringTable Table { get; } = new();

    public string Index(string text)
    {
        if (!indexes.TryGetValue(text, out var index))
        {
            index = indexes.Count;
            indexes[text] = index;
            Table.Append(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        }

        return index.ToString(CultureInfo.InvariantCulture);
    }
}
