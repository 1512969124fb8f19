using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Features.Places;
using Hazards.Api.Features.Units;
using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// Runs one import: streams the file into the staging tables in chunks (each row first through its C# rules), checks
/// the staged rows set-based, records every refused row, and — for an apply without a single refusal — applies all rows
/// in one transaction through the same writer the administrative routes use. A dry run writes nothing but its report.
/// Boundaries are checked feature by feature in C# (NetTopologySuite), as their route checks them: <see cref="BoundaryImport"/>.
/// </summary>
public sealed class ImportProcessor(DbSession db, ImportStore store, OrgUnitWriter orgUnits, UnitWriter units, UserWriter users,
    BoundaryImport boundaries, ImportOptions options, SpreadsheetLimits limits, TimeProvider clock, ILogger<ImportProcessor> logger)
{
    private const int Chunk = 5000;

    public static string FilePath(ImportOptions options, Guid id) => Path.Combine(options.Root, id.ToString("N"));

    public async Task Run(Guid id, Actor actor, CancellationToken ct)
    {
        var row = await store.Find(id, ct) ?? throw new InvalidOperationException($"No import {id}.");
        await Write(ct, () => db.Execute(ImportStore.Claim, new { Id = id, At = clock.GetUtcNow() }, ct));
        var counts = new Counts();
        try
        {
            var kind = Wire.Parse<ImportKind>(row.Kind);
            var format = Wire.Parse<ImportFormat>(row.FileFormat);
            var path = FilePath(options, id);
            var applied = kind switch
            {
                ImportKind.Boundaries => await Boundaries(id, row.DryRun, actor, path, counts, ct),
                ImportKind.OrgUnits => await Process(id, row.DryRun, actor, path, format, kind, orgUnits, ImportKinds.OrgUnit, OrgCodes.Check, counts, ct),
                ImportKind.Units => await Process(id, row.DryRun, actor, path, format, kind, units, ImportKinds.Unit, UnitRules.Check, counts, ct),
                _ => await Process(id, row.DryRun, actor, path, format, kind, users, ImportKinds.User, UserRules.Check, counts, ct),
            };
            var tally = (await db.Single<ImportStore.ErrorTally>(ImportStore.ErrorCounts, new { Id = id }, ct))!;
            var (errors, badRows) = (tally.Errors, tally.Rows);
            var failure = !row.DryRun && errors > 0 ? $"{badRows} rows were refused: nothing was applied." : null;
            await Finish(id, failure is null ? "succeeded" : "failed", counts.Read, counts.Read - (int)badRows, applied, (int)errors, failure, ct);
            TryDelete(path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Import {Id} failed", id);
            await Finish(id, "failed", counts.Read, 0, 0, 0, "The import could not be run; see the service's log.", CancellationToken.None);
            await Write(CancellationToken.None, () => DiscardAll(id, CancellationToken.None));
        }
    }

    /// <summary>An import that cannot run (its process stopped mid-way, its importer left): failed, its staging discarded.</summary>
    public async Task Abandon(Guid id, CancellationToken ct)
    {
        await Write(ct, () => DiscardAll(id, ct));
        await Finish(id, "failed", 0, 0, 0, 0, "The import was interrupted or its importer is no longer active; start it again.", ct);
        TryDelete(FilePath(options, id));
    }

    private async Task<int> Process<TInput>(
        Guid id, bool dryRun, Actor actor, string path, ImportFormat format, ImportKind kind, IRowWriter<TInput> writer,
        Func<int, IReadOnlyDictionary<string, string?>, TInput> parse, Func<TInput, IEnumerable<RowError>> check, Counts counts, CancellationToken ct)
    {
        var fieldOfHeader = ImportKinds.Columns(kind).ToDictionary(c => c.Header, c => c.Field);
        var valid = new List<TInput>(Chunk);
        var refused = new List<RowError>();
        var examples = new List<RowError>();
        foreach (var (rowNo, cells) in TabularFile.Rows(path, format, fieldOfHeader, limits))
        {
            if (ImportKinds.Example(kind, rowNo, cells) is { } example)
            {
                if (examples.Count < ImportKinds.MaxExampleWarnings)
                {
                    examples.Add(example);
                }

                continue;
            }

            counts.Read++;
            var input = parse(rowNo, cells);
            var errors = ImportKinds.TextErrors(rowNo, cells).Concat(check(input)).ToList();
            if (errors.Count > 0)
            {
                refused.AddRange(errors);
            }
            else
            {
                valid.Add(input);
            }

            if (valid.Count + refused.Count >= Chunk)
            {
                await Flush(id, writer, valid, refused, counts, ct);
            }
        }

        await Flush(id, writer, valid, refused, counts, ct);
        await Write(ct, () => store.AddWarnings(id, examples, ct));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var staged = counts.Elapsed.Elapsed;
        await Write(ct, () => writer.Resolve(id, ct));
        var resolved = watch.Elapsed;
        var found = await writer.Verify(id, actor, ct);
        await Write(ct, () => store.AddErrors(id, found, ct));
        var verified = watch.Elapsed;
        var applied = 0;
        if (!dryRun && counts.Refused == 0 && found.Count == 0)
        {
            await Write(ct, async () => applied = await writer.Apply(id, actor, id, clock.GetUtcNow(), ct));
        }

        var done = watch.Elapsed;
        await Write(ct, () => writer.Discard(id, ct));
        logger.LogInformation(
            "Import {Id}: {Rows} rows read and staged in {Staged} ms, resolved in {Resolved} ms, checked in {Checked} ms, applied in {Applied} ms, staging discarded in {Discarded} ms",
            id, counts.Read, (long)staged.TotalMilliseconds, (long)resolved.TotalMilliseconds, (long)(verified - resolved).TotalMilliseconds,
            (long)(done - verified).TotalMilliseconds, (long)(watch.Elapsed - done).TotalMilliseconds);
        return applied;
    }

    private async Task<int> Boundaries(Guid id, bool dryRun, Actor actor, string path, Counts counts, CancellationToken ct)
    {
        var (read, applied) = await boundaries.Run(id, dryRun, actor, path, ct);
        counts.Read = read;
        return applied;
    }

    private async Task Flush<TInput>(Guid id, IRowWriter<TInput> writer, List<TInput> valid, List<RowError> refused, Counts counts, CancellationToken ct)
    {
        counts.Refused += refused.Count;
        await Write(ct, async () =>
        {
            await writer.StageRows(id, valid, ct);
            await store.AddErrors(id, refused, ct);
            await db.Execute(ImportStore.Progress, new { Id = id, RowsRead = counts.Read }, ct);
        });
        valid.Clear();
        refused.Clear();
    }

    private async Task Finish(Guid id, string state, int read, int valid, int applied, int errors, string? failure, CancellationToken ct) =>
        await Write(ct, () => db.Execute(ImportStore.Finish, new
        {
            Id = id, State = state, RowsRead = read, RowsValid = Math.Max(0, valid), RowsApplied = applied, ErrorCount = errors, Failure = failure,
            At = clock.GetUtcNow(),
        }, ct));

    private async Task DiscardAll(Guid id, CancellationToken ct)
    {
        await orgUnits.Discard(id, ct);
        await units.Discard(id, ct);
        await users.Discard(id, ct);
    }

    private Task Write(CancellationToken ct, Func<Task> work) => db.RunInTransaction(work, ct);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The file is only a copy of the upload; a leftover does no harm.
        }
    }

    private sealed class Counts
    {
        public int Read { get; set; }

        public int Refused { get; set; }

        public System.Diagnostics.Stopwatch Elapsed { get; } = System.Diagnostics.Stopwatch.StartNew();
    }
}
