using System.Globalization;

namespace Hazards.Bench.Escalations;

/// <summary><c>generate</c>: one city with its people and cases, written into a SQLite file that is kept.</summary>
public static class GenerateCommand
{
    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        args.RejectUnknown("cases", "open", "db");
        var cases = args.Int("cases", 1_000_000);
        var open = args.Int("open", 200_000);
        var path = Path.GetFullPath(args.Text("db") ?? string.Create(CultureInfo.InvariantCulture, $"hazards-bench-{cases}.db"));
        output.WriteLine($"generate: {cases:N0} cases, {open:N0} open, into {path}");
        await CaseDataset.Generate(path, cases, open, output, ct);
        return 0;
    }
}
