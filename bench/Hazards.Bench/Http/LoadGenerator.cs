using System.Diagnostics;
using System.Net;

namespace Hazards.Bench.Http;

/// <summary>One request to send: built fresh for each send, since a request message is sent once.</summary>
public delegate HttpRequestMessage? NextRequest(int worker);

/// <summary>What a run of one scenario measured.</summary>
public sealed record LoadResult(
    string Scenario, long Requests, double Seconds, double P50Ms, double P99Ms, IReadOnlyDictionary<int, long> Statuses, long Failures, string? FirstError)
{
    public double Rps => Seconds > 0 ? Requests / Seconds : 0;

    public long Non2xx => Statuses.Where(s => s.Key is < 200 or > 299).Sum(s => s.Value) + Failures;

    public long ServerErrors => Statuses.Where(s => s.Key >= 500).Sum(s => s.Value);
}

/// <summary>
/// The built-in load generator: a fixed number of connections, each a loop that sends the next request as
/// soon as the previous answer's body has been read (closed loop, as wrk does), for a fixed time or until the
/// scenario runs out of requests. Each request's time runs from the send to the last byte of the answer.
/// </summary>
public sealed class LoadGenerator(Uri baseAddress, int connections) : IDisposable
{
    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        UseCookies = false,
    });

    public Uri BaseAddress => baseAddress;

    public async Task<LoadResult> Run(string scenario, NextRequest next, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new List<long>[connections];
        var statuses = new Dictionary<int, long>[connections];
        var failures = new long[connections];
        string? firstError = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);
        var started = Stopwatch.GetTimestamp();
        var ended = new long[connections];

        async Task Loop(int worker)
        {
            var mine = latencies[worker] = new List<long>(16_384);
            var codes = statuses[worker] = [];
            var buffer = new byte[64 * 1024];
            while (!stop.IsCancellationRequested)
            {
                using var request = next(worker);
                if (request is null)
                {
                    break;
                }

                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, ct);
                    if (response.IsSuccessStatusCode)
                    {
                        await using var body = await response.Content.ReadAsStreamAsync(ct);
                        while (await body.ReadAsync(buffer, ct) > 0)
                        {
                        }
                    }
                    else
                    {
                        var text = await response.Content.ReadAsStringAsync(ct);
                        Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {request.Method} {request.RequestUri}: {text}", null);
                    }

                    mine.Add(Stopwatch.GetTimestamp() - sent);
                    codes[(int)response.StatusCode] = codes.GetValueOrDefault((int)response.StatusCode) + 1;
                }
                catch (HttpRequestException ex)
                {
                    failures[worker]++;
                    Interlocked.CompareExchange(ref firstError, $"{request.Method} {request.RequestUri}: {ex.Message}", null);
                }
            }

            ended[worker] = Stopwatch.GetTimestamp();
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(w => Task.Run(() => Loop(w), CancellationToken.None)));
        var seconds = Stopwatch.GetElapsedTime(started, ended.Max()).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var merged = statuses.SelectMany(s => s).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        return new LoadResult(scenario, all.Length, seconds, Percentile(all, 0.50), Percentile(all, 0.99), merged, failures.Sum(), firstError);
    }

    public void Dispose() => client.Dispose();

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}
