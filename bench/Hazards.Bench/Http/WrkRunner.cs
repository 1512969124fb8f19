using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Hazards.Bench.Http;

/// <summary>What wrk sends for one route: a method, the paths to draw from at random, a token and a body.</summary>
public sealed record WrkRoute(string Method, IReadOnlyList<string> Paths, string? Token, string? Body = null, bool IdempotencyKey = false);

/// <summary>
/// Drives a route with wrk (Debian's package), when it is installed: one thread per core and the same
/// connections as the built-in generator, a Lua script drawing a random path from a list per request and
/// giving each POST its own Idempotency-Key. wrk tells non-2xx answers apart only as a count.
/// </summary>
public sealed partial class WrkRunner(Uri baseAddress, int connections, string folder)
{
    private const string Script = """
        local paths = {}
        for line in io.lines("{paths}") do paths[#paths + 1] = line end
        local headers = {}
        {headers}
        local body = {body}
        local counter = 0
        function setup(thread)
          thread:set("tid", (tid_seq or 0) + 1)
          tid_seq = (tid_seq or 0) + 1
        end
        function init(args)
          math.randomseed(os.time() * 100 + (tid or 0))
          prefix = string.format("wrk-%d-%d-%d", os.time(), tid or 0, math.random(1, 1000000000))
        end
        request = function()
          {key}
          return wrk.format("{method}", paths[math.random(#paths)], headers, body)
        end
        """;

    public static bool Installed() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "wrk")));

    public async Task<LoadResult> Run(string scenario, WrkRoute route, TimeSpan duration, CancellationToken ct)
    {
        var name = new string(scenario.Where(char.IsLetterOrDigit).ToArray());
        var paths = Path.Combine(folder, $"wrk-{name}.paths");
        await File.WriteAllLinesAsync(paths, route.Paths, ct);
        var headers = new StringBuilder();
        if (route.Token is not null)
        {
            headers.Append(CultureInfo.InvariantCulture, $"headers[\"Authorization\"] = \"Bearer {route.Token}\"\n");
        }

        if (route.Body is not null)
        {
            headers.Append("headers[\"Content-Type\"] = \"application/json\"\n");
        }

        var script = Path.Combine(folder, $"wrk-{name}.lua");
        await File.WriteAllTextAsync(script, Script
            .Replace("{paths}", paths, StringComparison.Ordinal)
            .Replace("{headers}", headers.ToString(), StringComparison.Ordinal)
            .Replace("{body}", route.Body is null ? "nil" : "[==[" + route.Body + "]==]", StringComparison.Ordinal)
            .Replace("{key}", route.IdempotencyKey
                ? "counter = counter + 1\n  headers[\"Idempotency-Key\"] = prefix .. \"-\" .. counter"
                : "", StringComparison.Ordinal)
            .Replace("{method}", route.Method, StringComparison.Ordinal), ct);

        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "-t", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "10s", "--latency", "-s", script, baseAddress.ToString().TrimEnd('/'),
                 })
        {
            info.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start.");
        var output = wrk.StandardOutput.ReadToEndAsync(ct);
        var error = wrk.StandardError.ReadToEndAsync(ct);
        await wrk.WaitForExitAsync(ct);
        var text = await output;
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {wrk.ExitCode}: {await error}{text}");
        }

        return Parse(scenario, text);
    }

    public static LoadResult Parse(string scenario, string text)
    {
        var requests = long.Parse(Requests().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = double.Parse(Seconds().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = Non2xx().Match(text) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(text) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        var statuses = new Dictionary<int, long> { [200] = requests - non2xx };
        if (non2xx > 0)
        {
            statuses[0] = non2xx;
        }

        return new LoadResult(scenario, requests, seconds, Percentile(text, "50"), Percentile(text, "99"), statuses, socket, null);
    }

    private static double Percentile(string text, string p)
    {
        var match = Regex.Match(text, $@"^\s+{p}(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"requests in ([\d.]+)s")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
