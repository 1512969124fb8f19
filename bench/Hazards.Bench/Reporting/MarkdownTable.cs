using System.Text;

namespace Hazards.Bench.Reporting;

/// <summary>A table printed as Markdown, so a run's output can be pasted into the README as it is.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"Expected {headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        Line(headers);
        text.Append('|').AppendJoin('|', widths.Select(w => new string('-', w + 1) + ":")).Append("|\n");
        foreach (var row in rows)
        {
            Line(row);
        }

        return text.ToString();

        void Line(string[] cells) =>
            text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => c.PadLeft(widths[i]))).Append(" |\n");
    }
}
