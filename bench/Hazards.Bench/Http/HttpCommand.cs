using System.Globalization;
using Hazards.Bench.Dataset;
using Hazards.Bench.Escalations;
using Hazards.Bench.Reporting;

namespace Hazards.Bench.Http;

/// <summary>
/// <c>http</c>: the built service as its own process on a copy of a generated city, driven over HTTP by the
/// built-in load generator with a fixed number of connections; each route's throughput and latency beside the
/// machine's ceiling (<c>/health/live</c>, which touches no database), its errors, and the service's memory.
/// </summary>
public static class HttpCommand
{
    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        args.RejectUnknown("scale", "db", "district", "connections", "duration", "warmup", "service", "keep", "client", "routes", "service-env");
        var scale = double.Parse(args.Text("scale") ?? "0.1", NumberStyles.Float, CultureInfo.InvariantCulture);
        var connections = args.Int("connections", 32);
        var duration = TimeSpan.FromSeconds(args.Int("duration", 10));
        var warmup = TimeSpan.FromSeconds(args.Int("warmup", 3));
        var district = args.Text("district") ?? "500103";
        var routes = (args.Text("routes") ?? "ceiling,read,list,tasks,report,verify").Split(',', StringSplitOptions.TrimEntries);
        var serviceEnvironment = (args.Text("service-env") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : throw new ArgumentException("--service-env takes KEY=VALUE[,KEY=VALUE…]."));
        var client = args.Text("client") ?? (WrkRunner.Installed() ? "both" : "builtin");
        if (client is not ("builtin" or "wrk" or "both") || (client != "builtin" && !WrkRunner.Installed()))
        {
            throw new ArgumentException("--client is builtin, wrk or both; wrk needs the wrk program on the PATH (apt-get install wrk).");
        }

        if (scale is <= 0 or > 1 || connections < 1 || duration <= TimeSpan.Zero || warmup < TimeSpan.Zero)
        {
            throw new ArgumentException("--scale must be in (0, 1], --connections and --duration positive, --warmup not negative.");
        }

        var (cases, open) = ((int)Math.Round(1_000_000 * scale), (int)Math.Round(200_000 * scale));
        var pristine = Path.GetFullPath(args.Text("db") ?? Path.Combine(Path.GetTempPath(), "hazards-bench", F($"reports-{cases}-{open}.db")));
        var dll = Path.GetFullPath(args.Text("service") ?? Path.Combine(AppContext.BaseDirectory, "Hazards.Api.dll"));
        await EnsureDataset(pristine, cases, open, output, ct);

        var folder = Path.Combine(Path.GetTempPath(), "hazards-bench", "http-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "hazards.db");
        try
        {
            var data = HttpDataset.Read(pristine, district);
            DatabaseFile.Copy(pristine, database);

            // A report by position needs the grids' boundaries: the lattice of `locate`, written into the served copy.
            // Both reports then stand at the centre of the grid worker's grid, so the one with a grid code agrees with it.
            Hazards.Domain.Places.LatLng? at = null;
            if (routes.Contains("reportAt"))
            {
                var centres = Places.BenchGrids.Write(database);
                at = centres[data.Grid];
                output.WriteLine(F($"boundaries: {centres.Count:N0} grids of the lattice written into the served copy; the reports stand at {at.Value.Latitude:F5}, {at.Value.Longitude:F5}"));
            }

            output.WriteLine(F($"http: {cases:N0} cases ({open:N0} open) from {pristine}, served from a copy in {folder}"));
            output.WriteLine(F($"service: {dll}; {connections} connections, {warmup.TotalSeconds:F0} s warm-up and {duration.TotalSeconds:F0} s measured per route and client ({client})"));
            output.WriteLine(F($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; the load generator runs on the same cores"));
            output.WriteLine(F($"district {district}: {data.DistrictCaseIds.Count:N0} cases; township {data.Township}; grid {data.Grid}; {data.Pending.Count:N0} cases awaiting verification in the city"));

            await using var service = new ServiceProcess(dll, folder, database, serviceEnvironment);
            var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var login in new[] { data.RegulatorLogin, data.OfficerLogin, data.GridWorkerLogin, HttpDataset.VerifierLogin })
            {
                tokens[login] = await service.Run(ct, "token", "--user", login, "--hours", "4");
            }

            await service.Start(ct);
            output.WriteLine(F($"service pid {service.Pid} ready on {service.BaseAddress}; memory at start {service.MemoryMb("VmRSS"):F0} MB"));
            using var load = new LoadGenerator(service.BaseAddress, connections);
            var wrk = new WrkRunner(service.BaseAddress, connections, folder);
            var scenarios = new Scenarios(service.BaseAddress, data, tokens, at);
            var results = new List<Measured>();
            var all = new Dictionary<string, Scenario>
            {
                ["ceiling"] = scenarios.Ceiling(), ["read"] = scenarios.ReadCase(), ["list"] = scenarios.ListPage(),
                ["tasks"] = scenarios.MyTasks(), ["report"] = scenarios.Report(), ["reportAt"] = scenarios.ReportAt(), ["verify"] = scenarios.Verify(),
            };
            if (routes.FirstOrDefault() != "ceiling" || routes.Any(r => !all.ContainsKey(r)))
            {
                throw new ArgumentException($"--routes starts with ceiling and names some of {string.Join(',', all.Keys)}.");
            }

            foreach (var scenario in routes.Select(r => all[r]))
            {
                if (client is "builtin" or "both" || scenario.Wrk is null)
                {
                    // A warm-up spends a finite pool too: it may take a tenth of the verification pool.
                    if (warmup > TimeSpan.Zero)
                    {
                        await load.Run(scenario.Name, scenario.Finite ? Limited(scenario.Next, scenarios.PendingLeft / 10) : scenario.Next, warmup, ct);
                    }

                    var (result, peak) = await Sampled(service, () => load.Run(scenario.Name, scenario.Next, duration, ct));
                    results.Add(Report(output, new Measured(scenario, "built-in", result, peak)));
                }

                if (client is "wrk" or "both" && scenario.Wrk is { } route)
                {
                    if (warmup > TimeSpan.Zero)
                    {
                        await wrk.Run(scenario.Name, route, warmup, ct);
                    }

                    var (result, peak) = await Sampled(service, () => wrk.Run(scenario.Name, route, duration, ct));
                    results.Add(Report(output, new Measured(scenario, "wrk", result, peak)));
                }
            }

            // The SQL alone over the same file, with the service idle: what HTTP and the pipeline add to it.
            var bare = new List<LoadResult>
            {
                await BareBaselines.Read(database, data.DistrictCaseIds, connections, duration, ct),
                await BareBaselines.Insert(database, connections, duration, ct),
            };
            foreach (var result in bare)
            {
                output.WriteLine(F($"  {result.Scenario,-26} {result.Requests,8:N0} in {result.Seconds:F1} s   {result.Rps,8:F0}/s   p50 {result.P50Ms,6:F2} ms   p99 {result.P99Ms,7:F2} ms   failed {result.Failures}"));
            }

            var hwm = service.MemoryMb("VmHWM");
            var busy = service.LogLines("SQLITE_BUSY") + service.LogLines("database is locked");
            var unhandled = service.LogLines("Unhandled error");
            output.WriteLine();
            output.Write(Table(results, bare));
            output.WriteLine();
            output.WriteLine(F($"service memory: peak resident (VmHWM) {hwm:F0} MB; target ≤ 300 MB: {(hwm <= 300 ? "met" : "MISSED")}"));
            output.WriteLine(F($"service log: {busy} SQLITE_BUSY / 'database is locked' lines, {unhandled} unhandled errors ({service.LogPath})"));
            output.WriteLine(F($"verification pool: {data.Pending.Count - scenarios.PendingLeft:N0} of {data.Pending.Count:N0} used"));
            return 0;
        }
        finally
        {
            if (args.Text("keep") is not "true")
            {
                DatabaseFile.Delete(database);
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task EnsureDataset(string path, int cases, int open, TextWriter output, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            return;
        }

        // The same file `reports` generates (lifecycle history included), so either command reuses the other's.
        output.WriteLine(F($"http: generating {cases:N0} cases, {open:N0} open, into {path}"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        await CaseDataset.Generate(partial, cases, open, output, ct, lifecycle: true);
        File.Move(partial, path);
    }

    private static Measured Report(TextWriter output, Measured m)
    {
        var r = m.Result;
        output.WriteLine(F($"  {m.Scenario.Name,-18} {m.Client,-8} {r.Requests,8:N0} requests in {r.Seconds:F1} s   {r.Rps,8:F0}/s   p50 {r.P50Ms,6:F2} ms   p99 {r.P99Ms,7:F2} ms   non-2xx {r.Non2xx}   peak RSS {m.PeakMb:F0} MB"));
        if (r.FirstError is { } error)
        {
            output.WriteLine($"    first error: {Shorten(error)}");
        }

        return m;
    }

    private static NextRequest Limited(NextRequest next, int requests)
    {
        var left = requests;
        return worker => Interlocked.Decrement(ref left) >= 0 ? next(worker) : null;
    }

    /// <summary>Runs <paramref name="work"/> while polling the service's resident memory every 100 ms; answers its peak.</summary>
    private static async Task<(LoadResult Result, double PeakMb)> Sampled(ServiceProcess service, Func<Task<LoadResult>> work)
    {
        var peak = service.MemoryMb("VmRSS");
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, service.MemoryMb("VmRSS"));
                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);
        var result = await work();
        await done.CancelAsync();
        await sampler;
        return (result, Math.Max(peak, service.MemoryMb("VmRSS")));
    }

    private static MarkdownTable Table(IReadOnlyList<Measured> results, IReadOnlyList<LoadResult> bare)
    {
        var ceilings = results.Where(m => m.Scenario.Name == "ceiling").ToDictionary(m => m.Client, m => m.Result.Rps);
        var table = new MarkdownTable("route", "client", "requests", "req/s", "× ceiling", "p50 ms", "p99 ms", "non-2xx", "5xx", "peak RSS MB", "target", "met");
        foreach (var (scenario, client, result, peak) in results)
        {
            var share = result.Rps / ceilings[client];
            var wrk = client == "wrk";
            var target = string.Join(", ", new[]
            {
                scenario.MinShare is { } s ? F($"≥ {s:0.00}×") : null,
                scenario.MaxP99Ms is { } p ? F($"p99 < {p:0} ms") : null,
                scenario.NoServerErrors ? (wrk ? "no non-2xx" : "no 5xx") : null,
            }.Where(t => t is not null));
            var errorsOk = !scenario.NoServerErrors || (wrk ? result.Non2xx == 0 : result.ServerErrors == 0);
            var met = target.Length == 0 ? ""
                : (scenario.MinShare is null || share >= scenario.MinShare) && (scenario.MaxP99Ms is null || result.P99Ms < scenario.MaxP99Ms) && errorsOk
                    ? "met" : "MISSED";
            table.Add(scenario.Name, client, F($"{result.Requests:N0}"), F($"{result.Rps:F0}"), F($"{share:F2}"), F($"{result.P50Ms:F2}"), F($"{result.P99Ms:F2}"),
                F($"{result.Non2xx}"), wrk ? "–" : F($"{result.ServerErrors}"), F($"{peak:F0}"), target, met);
        }

        var builtIn = ceilings.GetValueOrDefault("built-in", double.NaN);
        foreach (var result in bare)
        {
            table.Add(result.Scenario, "in-process", F($"{result.Requests:N0}"), F($"{result.Rps:F0}"), F($"{result.Rps / builtIn:F2}"), F($"{result.P50Ms:F2}"),
                F($"{result.P99Ms:F2}"), F($"{result.Failures}"), "", "", "", "");
        }

        return table;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Measured(Scenario Scenario, string Client, LoadResult Result, double PeakMb);
}
