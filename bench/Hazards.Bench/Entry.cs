using Hazards.Bench.Sweeps;

namespace Hazards.Bench;

public static class Entry
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench/Hazards.Bench -- <command> [options]

          sweep   the missed-check sweep (issue 4) beside its bare SQL, at each scale
                  --plans 30000,300000   daily plans per scale (one unit each)
                  --repeats 3            runs per scale on fresh copies; the median is reported
                  --db <folder>          where the files go (kept); default a temp folder (removed)
        """;

    public static async Task<int> Main(string[] args)
    {
        BenchArgs parsed;
        try
        {
            parsed = BenchArgs.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + "\n\n" + Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return parsed.Command switch
            {
                "sweep" => await SweepCommand.Run(parsed, Console.Out, cancel.Token),
                _ => Help(parsed.Command),
            };
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + "\n\n" + Usage);
            return 2;
        }
    }

    private static int Help(string? command)
    {
        if (command is not null and not "help")
        {
            Console.Error.WriteLine($"Unknown command '{command}'.\n");
        }

        Console.Error.WriteLine(Usage);
        return command is null or "help" ? 0 : 2;
    }
}
