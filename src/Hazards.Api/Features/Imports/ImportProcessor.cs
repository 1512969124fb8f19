using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Features.Places;
using Hazards.Api.Features.Units;
using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Imports;

/// <summary>Runs an import's apply (answering how many rows it changed) in the transaction that also writes the import's final state.</summary>
public delegate Task<int> ImportApply(int rowsRead, Func<Task<int>> apply);

/// <summary>
/// Runs one import as its starter, while they are still active over its part of the hierarchy (else it is cancelled):
/// streams the file into the staging tables in chunks (each row first through its C# rules), checks the staged rows
/// set-based, counts every refused row and keeps the first <see cref="ImportOptions.MaxStoredErrors"/>, and — for an
/// apply without a single refusal — applies all rows in one transaction, with the import's final state, through the
/// same writer the administrative routes use. A dry run writes nothing but its report.
/// Boundaries are checked feature by feature in C# (NetTopologySuite), as their route checks them: <see cref="BoundaryImport"/>.
/// </summary>
public sealed class ImportProcessor(DbSession db, ImportStore store, OrgUnitWriter orgUnits, UnitWriter units, UserWriter users,
    BoundaryImport boundaries, ImportOptions options, SpreadsheetLimits limits, TimeProvider clock, ILogger<ImportProcessor> logger)
{
    private const int Chunk = 5000;

    public static string FilePath(ImportOptions options, Guid id) => Path.Combine(options.Root, id.ToString("N"));

    /// <summary>
    /// A queued import, as its starter as the runner found them in the directory (null: no longer active); they are
    /// checked as it starts and again in its apply's transaction.
    /// </summary>
    public async Task RunQueued(Guid id, Actor? starter, CancellationToken ct)
    {
        if (await db.RunInTransaction(() => db.Execute(ImportStore.Claim, new { Id = id, At = clock.GetUtcNow() }, ct), ct) > 0)
        {
            await Run(id, starter, checkStarter: true, ct);
        }
    }

    /// <summary>
    /// An import run in this process as the person the command names (the command binary, the demo seed), claimed by
    /// the command as it was queued so that no runner takes it.
    /// </summary>
    public Task Run(Guid id, Actor actor, CancellationToken ct) => Run(id, actor, checkStarter: false, ct);

    private async Task Run(Guid id, Actor? actor, bool checkStarter, CancellationToken ct)
    {
        var row = await store.Find(id, ct) ?? throw new InvalidOperationException($"No import {id}.");

        var counts = new Counts();
        try
        {
            if ((actor is null ? ImportStarter.NoLongerActive(row) : checkStarter ? await ImportStarter.Unable(db, row, actor, ct) : null) is { } reason)
            {
                throw new ImportCancelled(reason);
            }

            var kind = Wire.Parse<ImportKind>(row.Kind);
            var format = Wire.Parse<ImportFormat>(row.FileFormat);
            var path = FilePath(options, id);
            var applying = Applying(row, actor!, checkStarter, counts, ct);
            var applied = kind switch
            {
                ImportKind.Boundaries => await Boundaries(id, row.DryRun, actor!, path, counts, applying, ct),
                ImportKind.OrgUnits => await Process(id, row.DryRun, actor!, path, format, kind, orgUnits, ImportKinds.OrgUnit, OrgCodes.Check, counts, applying, ct),
                ImportKind.Units => await Process(id, row.DryRun, actor!, path, format, kind, units, ImportKinds.Unit, UnitRules.Check, counts, applying, ct),
                _ => await Process(id, row.DryRun, actor!, path, format, kind, users, ImportKinds.User, UserRules.Check, counts, applying, ct),
            };
            if (!counts.Finished)
            {
                var stored = (await db.Single<ImportStore.ErrorTally>(ImportStore.ErrorCounts, new { Id = id }, ct))!.Errors;
                var failure = !row.DryRun && counts.Errors > 0 ? $"{counts.BadRows} rows were refused: nothing was applied." : null;
                await Finish(id, failure is null ? "succeeded" : "failed", counts.Read, counts.Read - counts.BadRows, applied, counts.Errors, (int)stored, failure, ct);
            }

            TryDelete(path);
        }
        catch (ImportCancelled cancelled)
        {
            logger.LogWarning("Import {Id} cancelled: {Reason}", id, cancelled.Message);
            await Write(CancellationToken.None, () => DiscardAll(id, CancellationToken.None));
            await Finish(id, "cancelled", counts.Read, 0, 0, 0, 0, cancelled.Message, CancellationToken.None);
            TryDelete(FilePath(options, id));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Import {Id} failed", id);
            await Finish(id, "failed", counts.Read, 0, 0, 0, 0, "The import could not be run; see the service's log.", CancellationToken.None);
            await Write(CancellationToken.None, () => DiscardAll(id, CancellationToken.None));
        }
    }

    /// <summary>An import that cannot run (its process stopped mid-way): failed, its staging discarded.</summary>
    public async Task Abandon(Guid id, CancellationToken ct)
    {
        await Write(ct, () => DiscardAll(id, ct));
        await Finish(id, "failed", 0, 0, 0, 0, 0, "The import was interrupted; start it again.", ct);
        TryDelete(FilePath(options, id));
    }

    /// <summary>
    /// The apply of an import, in one transaction with its final state: the starter is checked again first (gone or
    /// moved: cancelled, nothing written), and a crash leaves either the rows applied and the import succeeded, or neither.
    /// </summary>
    private ImportApply Applying(ImportStore.ImportRow row, Actor actor, bool checkStarter, Counts counts, CancellationToken ct) => (read, apply) =>
        db.RunInTransaction(async () =>
        {
            if (checkStarter && await ImportStarter.Unable(db, row, actor, ct) is { } reason)
            {
                throw new ImportCancelled(reason);
            }

            var applied = await apply();
            await db.Execute(ImportStore.Finish, Final(row.Id, "succeeded", read, read, applied, 0, 0, null), ct);
            counts.Finished = true;
            return applied;
        }, ct);

    private async Task<int> Process<TInput>(
        Guid id, bool dryRun, Actor actor, string path, ImportFormat format, ImportKind kind, IRowWriter<TInput> writer,
        Func<int, IReadOnlyDictionary<string, string?>, TInput> parse, Func<TInput, IEnumerable<RowError>> check, Counts counts, ImportApply applying,
        CancellationToken ct)
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
        await Write(ct, () => store.AddErrors(id, Keep(found, counts), ct));
        var verified = watch.Elapsed;
        var applied = 0;
        if (!dryRun && counts.Errors == 0)
        {
            applied = await applying(counts.Read, () => writer.Apply(id, actor, id, clock.GetUtcNow(), ct));
        }

        var done = watch.Elapsed;
        await Write(ct, () => writer.Discard(id, ct));
        logger.LogInformation(
            "Import {Id}: {Rows} rows read and staged in {Staged} ms, resolved in {Resolved} ms, checked in {Checked} ms, applied in {Applied} ms, staging discarded in {Discarded} ms",
            id, counts.Read, (long)staged.TotalMilliseconds, (long)resolved.TotalMilliseconds, (long)(verified - resolved).TotalMilliseconds,
            (long)(done - verified).TotalMilliseconds, (long)(watch.Elapsed - done).TotalMilliseconds);
        return applied;
    }

    private async Task<int> Boundaries(Guid id, bool dryRun, Actor actor, string path, Counts counts, ImportApply applying, CancellationToken ct)
    {
        var (read, applied) = await boundaries.Run(id, dryRun, actor, path, applying, ct);
        var tally = (await db.Single<ImportStore.ErrorTally>(ImportStore.ErrorCounts, new { Id = id }, ct))!;
        (counts.Read, counts.Errors, counts.BadRows) = (read, (int)tally.Errors, (int)tally.Rows);
        return applied;
    }

    private async Task Flush<TInput>(Guid id, IRowWriter<TInput> writer, List<TInput> valid, List<RowError> refused, Counts counts, CancellationToken ct)
    {
        var kept = Keep(refused, counts);
        await Write(ct, async () =>
        {
            await writer.StageRows(id, valid, ct);
            await store.AddErrors(id, kept, ct);
            await db.Execute(ImportStore.Progress, new { Id = id, RowsRead = counts.Read }, ct);
        });
        valid.Clear();
        refused.Clear();
    }

    /// <summary>
    /// Counts the refusals (each once, as the report would hold it) and answers those to store: the first
    /// <see cref="ImportOptions.MaxStoredErrors"/> of the import, so that a file of a million bad rows costs a count, not a million rows.
    /// </summary>
    private List<RowError> Keep(IEnumerable<RowError> errors, Counts counts)
    {
        var distinct = errors.DistinctBy(e => (e.RowNo, e.ColumnName, e.Code)).ToList();
        counts.Errors += distinct.Count;
        counts.BadRows += distinct.Select(e => e.RowNo).Distinct().Count();
        var kept = distinct.Take(Math.Max(0, options.MaxStoredErrors - counts.Stored)).ToList();
        counts.Stored += kept.Count;
        return kept;
    }

    private async Task Finish(Guid id, string state, int read, int valid, int applied, int errors, int stored, string? failure, CancellationToken ct) =>
        await Write(ct, () => db.Execute(ImportStore.Finish, Final(id, state, read, valid, applied, errors, stored, failure), ct));

    private object Final(Guid id, string state, int read, int valid, int applied, int errors, int stored, string? failure) => new
    {
        Id = id, State = state, RowsRead = read, RowsValid = Math.Max(0, valid), RowsApplied = applied, ErrorCount = errors, ErrorsStored = stored,
        Failure = failure, At = clock.GetUtcNow(),
    };

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

    private sealed class ImportCancelled(string reason) : Exception(reason);

    private sealed class Counts
    {
        public int Read { get; set; }

        public int Errors { get; set; }

        public int BadRows { get; set; }

        public int Stored { get; set; }

        /// <summary>Whether the final state was written with the apply, in its transaction.</summary>
        public bool Finished { get; set; }

        public System.Diagnostics.Stopwatch Elapsed { get; } = System.Diagnostics.Stopwatch.StartNew();
    }
}
