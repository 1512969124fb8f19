using Hazards.Bench.Escalations;
using Hazards.Bench.Http;
using Hazards.Bench.Reports;
using Hazards.Bench.Sweeps;

namespace Hazards.Bench;

public static class Entry
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench/Hazards.Bench -- <command> [options]

          sweep   the missed-check sweep beside its bare SQL, at each scale
                  --plans 30000,300000   daily plans per scale (one unit each)
                  --repeats 3            runs per scale on fresh copies; the median is reported
                  --db <folder>          where the files go (kept); default a temp folder (removed)

          generate  a city with its people and cases into one SQLite file
                  --cases 1000000        cases over two years, in every state
                  --open 200000          of which open (reported, rectifying, fixSubmitted)
                  --db <file>            default hazards-bench-<cases>.db in the current folder

          escalate  the escalation sweep beside its bare SQL, and its second run, at each scale
                  --cases 1000000 --open 200000   the full scale
                  --scales 1             factors of the full scale, e.g. 0.1,1
                  --sweep-up-to <cases>  above this many cases, leave out the service's first sweep
                                         and time its nothing-new run on the bare copy instead
                  --repeats 3            runs per scale on fresh copies; the median is reported
                  --db <folder>          where the files go (kept); default a temp folder (removed)

          reports   the clearance report of the city and a district beside its main GROUP BY alone
                  --cases 1000000 --open 200000   the generated city (generated once, then reused)
                  --units 500000,500103  the org units to report on
                  --repeats 3            runs per unit; the median is reported
                  --db <file>            the generated file, reused when it exists;
                                         default <temp>/hazards-bench/reports-<cases>-<open>.db
                  --sql <file>           also write each unit's bare statement as a sqlite3 script
                  --bare <file>          what-if: time this statement instead of ReportSql.Cases

          http      the built service as its own process, driven over HTTP: each route beside /health/live
                  --scale 0.1            of the full city (1,000,000 cases, 200,000 open)
                  --db <file>            the generated file, reused when it exists (the one `reports` makes);
                                         default <temp>/hazards-bench/reports-<cases>-<open>.db
                  --district 500103      whose regulator, township officer and grid worker send the requests
                  --connections 32       concurrent connections
                  --duration 10          seconds measured per route, after --warmup 3 seconds
                  --service <dll>        default: the Hazards.Api.dll built beside the bench
                  --client both          builtin, wrk or both (default both when wrk is installed)
                  --routes ceiling,read,list,tasks,report,verify   the routes to drive, the ceiling first;
                                         reportAt (a report by position) writes the grids' boundaries into the served copy
                  --service-env K=V,…    extra environment for the service (e.g. DOTNET_gcServer=0)
                  --keep true            keep the served copy and the service's log

          import    the bulk import of the bench city's grids, units and people from generated CSV files,
                    each as a dry run and then applied, into a fresh file holding the 38 districts
                  --scale 1              of the full city (60,000 grids, 300,000 units, 360,000 people)
                  --db <folder>          where the file and the CSV files go; default a temp folder (kept)
                  --only merge           skip the dry runs: apply the three files, then time the township merge

          recalculate  the deadline recalculation when a notice is loaded, each run rolled back
                  --cases 1000000 --open 200000   the generated city (the file `reports` makes, reused)
                  --repeats 3            runs; the median is reported
                  --db <file>            default <temp>/hazards-bench/reports-<cases>-<open>.db

          locate    a position's grid among the bench city's grids, in-process: index build, memory, lookups per second
                  --grids 60000          grid boundaries (a lattice of 0.005° squares)
                  --vertices 32          vertices per boundary
                  --lookups 200000       random positions looked up

          search    finding cases: each filter of GET /api/v1/cases for a district, beside its plain first page
                  --cases 1000000 --open 200000   the generated city (the file `reports` makes, reused)
                  --repeats 15           runs per search; the median and p90 are reported
                  --db <file>            default <temp>/hazards-bench/reports-<cases>-<open>.db

          sweeps    sweep, escalate and reports one after the other, each at the same scales of the city
                  --scales 0.1,1         factors of the full city (300,000 plans; 1,000,000 cases, 200,000 open)
                  --repeats 1            runs per scale of each
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
                "generate" => await GenerateCommand.Run(parsed, Console.Out, cancel.Token),
                "escalate" => await EscalateCommand.Run(parsed, Console.Out, cancel.Token),
                "reports" => await ReportsCommand.Run(parsed, Console.Out, cancel.Token),
                "http" => await HttpCommand.Run(parsed, Console.Out, cancel.Token),
                "sweeps" => await SweepsCommand.Run(parsed, Console.Out, cancel.Token),
                "import" => await Imports.ImportBenchCommand.Run(parsed, Console.Out, cancel.Token),
                "recalculate" => await Calendar.RecalculateCommand.Run(parsed, Console.Out, cancel.Token),
                "search" => await Search.SearchCommand.Run(parsed, Console.Out, cancel.Token),
                "locate" => Places.LocateCommand.Run(parsed, Console.Out),
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
