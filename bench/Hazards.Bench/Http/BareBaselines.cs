using System.Diagnostics;
using Dapper;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Data;
using Hazards.Bench.Dataset;
using Hazards.Domain.Cases;
using Microsoft.Data.Sqlite;

namespace Hazards.Bench.Http;

/// <summary>
/// The SQL alone, in this process, over the file the service serves, with as many workers as the load has
/// connections: a case read by primary key with Dapper (the service's own statement, a new command per call as
/// Dapper makes it), and a durable single-row insert transaction, writers queued in the process as the
/// service queues them. What the database costs without HTTP, authentication, the pipeline or JSON.
/// </summary>
public static class BareBaselines
{
    private const string InsertRecord = """
        INSERT INTO idempotency_records (principal, idem_key, request_hash, status_code, content_type, location, etag, body, created_at)
        VALUES ('bench-bare', @Key, 'bare', 201, 'application/json', NULL, NULL, @Body, @CreatedAt)
        """;

    public static Task<LoadResult> Read(string path, IReadOnlyList<string> ids, int workers, TimeSpan duration, CancellationToken ct)
    {
        DapperTypes.Register(SqlDialect.Sqlite);
        return Run("bare: read by primary key", path, workers, duration, (connection, _) =>
        {
            var rows = connection.Query<HazardCaseState, CasePlace, HazardCaseState>(
                CaseStore.ById.Sqlite, (state, _) => state, new { Id = Guid.Parse(ids[Random.Shared.Next(ids.Count)]) }, splitOn: CaseColumns.PlaceStart);
            return rows.Any();
        }, ct);
    }

    public static Task<LoadResult> Insert(string path, int workers, TimeSpan duration, CancellationToken ct)
    {
        var gate = new SemaphoreSlim(1, 1);
        var body = new byte[1024];
        return Run("bare: insert a row", path, workers, duration, (connection, _) =>
        {
            gate.Wait(ct);
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                connection.Execute(InsertRecord, new { Key = Guid.NewGuid().ToString("N"), Body = body, CreatedAt = DapperTypes.FormatInstant(DateTimeOffset.UtcNow) }, transaction);
                transaction.Commit();
                return true;
            }
            finally
            {
                gate.Release();
            }
        }, ct);
    }

    private static async Task<LoadResult> Run(
        string name, string path, int workers, TimeSpan duration, Func<SqliteConnection, int, bool> work, CancellationToken ct)
    {
        var latencies = new List<long>[workers];
        var failures = new long[workers];
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var ended = new long[workers];
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Factory.StartNew(() =>
        {
            var mine = latencies[w] = new List<long>(16_384);
            using var connection = DatabaseFile.Open(path);
            while (Stopwatch.GetTimestamp() < until && !ct.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                if (work(connection, w))
                {
                    mine.Add(Stopwatch.GetTimestamp() - sent);
                }
                else
                {
                    failures[w]++;
                }
            }

            ended[w] = Stopwatch.GetTimestamp();
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        var seconds = Stopwatch.GetElapsedTime(started, ended.Max()).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(name, all.Length, seconds, Percentile(all, 0.50), Percentile(all, 0.99),
            new Dictionary<int, long> { [200] = all.Length }, failures.Sum(), null);
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}
