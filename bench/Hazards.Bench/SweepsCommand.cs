using System.Diagnostics;
using System.Globalization;
using Hazards.Bench.Escalations;
using Hazards.Bench.Reports;
using Hazards.Bench.Sweeps;

namespace Hazards.Bench;

/// <summary>
/// <c>sweeps</c>: the measurements of the background work in one go, each at the same two scales of the
/// city: the missed-check sweep (<c>sweep</c>), the escalation sweep (<c>escalate</c>) and the clearance
/// report (<c>reports</c>). Each runs through its own command, unchanged, with the arguments it would be given by hand.
/// </summary>
public static class SweepsCommand
{
    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        args.RejectUnknown("scales", "repeats");
        var scales = (args.Text("scales") ?? "0.1,1")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))
            .Order()
            .ToArray();
        var repeats = args.Int("repeats", 1);
        if (scales.Length == 0 || scales.Any(s => s is <= 0 or > 1) || repeats < 1)
        {
            throw new ArgumentException("--scales needs factors in (0, 1] of the full city and --repeats at least 1.");
        }

        var list = string.Join(',', scales.Select(s => F($"{s:0.####}")));
        var plans = string.Join(',', scales.Select(s => F($"{(int)Math.Round(300_000 * s)}")));
        var runs = new List<(string Name, string[] Args, Func<BenchArgs, TextWriter, CancellationToken, Task<int>> Command)>
        {
            ("sweep", ["sweep", "--plans", plans, "--repeats", F($"{repeats}")], SweepCommand.Run),
            ("escalate", ["escalate", "--scales", list, "--repeats", F($"{repeats}")], EscalateCommand.Run),
        };
        foreach (var scale in scales)
        {
            runs.Add(("reports", ["reports", "--cases", F($"{(int)Math.Round(1_000_000 * scale)}"), "--open", F($"{(int)Math.Round(200_000 * scale)}"),
                "--repeats", F($"{repeats}")], ReportsCommand.Run));
        }

        output.WriteLine($"sweeps: scales {list} of the full city (300,000 units, 1,000,000 cases), {repeats} run(s) each");
        var summary = new List<string>();
        var failed = 0;
        foreach (var (name, commandArgs, command) in runs)
        {
            output.WriteLine();
            output.WriteLine($"=== {string.Join(' ', commandArgs)}");
            var started = Stopwatch.GetTimestamp();
            var exit = await command(BenchArgs.Parse(commandArgs), output, ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            summary.Add(F($"  {string.Join(' ', commandArgs),-60} exit {exit}, {seconds:F0} s"));
            failed += exit == 0 ? 0 : 1;
        }

        output.WriteLine();
        output.WriteLine("sweeps: done");
        foreach (var line in summary)
        {
            output.WriteLine(line);
        }

        return failed == 0 ? 0 : 1;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
