using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// The header row of an upload against its kind's template, before any work: a header the template does not have, a
/// required one missing, one given twice, or an empty one over a column that holds data (which no field would take)
/// is 400 <c>import.invalid_headers</c> naming them. The whole file is read once here, so a file past
/// <see cref="SpreadsheetLimits"/> is refused at the upload, never half-way through its job.
/// </summary>
public static class ImportHeaders
{
    /// <summary>Refuses headers that are not the kind's template's and answers the number of data rows (rows with a filled cell).</summary>
    public static int Check(string path, ImportFormat format, ImportKind kind, SpreadsheetLimits limits)
    {
        IReadOnlyList<string>? headers = null;
        var dataRows = 0;
        var filledUnderEmpty = new SortedSet<int>();
        foreach (var (_, row) in TabularFile.Table(path, format, limits))
        {
            if (headers is null)
            {
                headers = row.Select(h => h?.Trim() ?? "").ToList();
                continue;
            }

            if (row.Any(c => !string.IsNullOrWhiteSpace(c)))
            {
                dataRows++;
            }

            for (var i = 0; i < row.Count; i++)
            {
                if ((i >= headers.Count || headers[i].Length == 0) && !string.IsNullOrWhiteSpace(row[i]))
                {
                    filledUnderEmpty.Add(i);
                }
            }
        }

        var named = (headers ?? []).Where(h => h.Length > 0).ToList();
        var columns = ImportKinds.Columns(kind);
        var unknown = named.Where(h => columns.All(c => c.Header != h)).Distinct().ToList();
        var missing = columns.Where(c => c.Required && !named.Contains(c.Header)).Select(c => c.Header).ToList();
        var duplicated = named.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var empty = filledUnderEmpty.Select(TabularFile.ColumnName).ToList();
        if (unknown.Count > 0 || missing.Count > 0 || duplicated.Count > 0 || empty.Count > 0)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "import.invalid_headers",
                "The headers are not the template's (unknown, missing, given twice, or empty over a filled column): download it from /api/v1/imports/templates/"
                + Wire.Name(kind) + ".")
            {
                Extensions = new Dictionary<string, object?>
                {
                    ["unknownHeaders"] = unknown, ["missingHeaders"] = missing, ["duplicatedHeaders"] = duplicated, ["emptyHeaderColumns"] = empty,
                },
            };
        }

        return dataRows;
    }
}
