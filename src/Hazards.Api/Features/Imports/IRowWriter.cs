using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// The shape every administrative writer has, so an import drives all three the same way: stage rows in chunks,
/// resolve them against the database, check them set-based, apply them set-based, discard the staging.
/// </summary>
public interface IRowWriter<in TInput>
{
    Task StageRows(Guid batch, IEnumerable<TInput> rows, CancellationToken ct);

    Task Resolve(Guid batch, CancellationToken ct);

    Task<IReadOnlyList<RowError>> Verify(Guid batch, Actor actor, CancellationToken ct);

    Task<int> Apply(Guid batch, Actor actor, Guid? importId, DateTimeOffset at, CancellationToken ct);

    Task Discard(Guid batch, CancellationToken ct);
}

/// <summary>The statements of a writer's apply, in the order every writer runs them.</summary>
public sealed record ApplyStatements(Sql PruneUnchanged, Sql CountStaged, Sql WriteHistory, Sql Write)
{
    /// <summary>Rows that change nothing leave the staging; the rest write their history, then themselves. Answers how many changed.</summary>
    public async Task<int> Run(DbSession db, Guid batch, Actor actor, Guid? importId, DateTimeOffset at, CancellationToken ct)
    {
        var args = new { Batch = batch, ActorLogin = actor.Login, ActorRole = Wire.Name(actor.Role), At = at, ImportId = importId };
        await db.Execute(PruneUnchanged, args, ct);
        var changed = await db.Scalar<int>(CountStaged, args, ct);
        await db.Execute(WriteHistory, args, ct);
        await db.Execute(Write, args, ct);
        return changed;
    }
}

/// <summary>How every writer stages its rows: a chunk at a time, each staging table with its one prepared insert.</summary>
public static class Staging
{
    /// <summary>The rows of the main staging table a writer gathers before it writes them.</summary>
    public const int Chunk = 5000;

    /// <summary>Writes each table's gathered rows with its insert, in the order given, and empties the lists.</summary>
    public static async Task Flush(this DbSession db, CancellationToken ct, params (Sql Insert, List<object> Rows)[] tables)
    {
        foreach (var (insert, rows) in tables)
        {
            if (rows.Count > 0)
            {
                await db.Execute(insert, rows, ct);
            }

            rows.Clear();
        }
    }
}

public static class RowWriters
{
    /// <summary>Stages rows and resolves them against the database, ready for <see cref="IRowWriter{TInput}.Verify"/>.</summary>
    public static async Task Stage<TInput>(this IRowWriter<TInput> writer, Guid batch, IEnumerable<TInput> rows, CancellationToken ct)
    {
        await writer.StageRows(batch, rows, ct);
        await writer.Resolve(batch, ct);
    }

    /// <summary>
    /// One row of an administrative request through the writer, in the request's transaction: its first refusal is
    /// the answer (a role above the caller's named before where it would sit), else it is applied.
    /// </summary>
    public static async Task SaveOne<TInput>(this IRowWriter<TInput> writer, TInput row, Actor actor, DateTimeOffset at, CancellationToken ct)
    {
        var batch = Guid.NewGuid();
        await writer.Stage(batch, [row], ct);
        var errors = await writer.Verify(batch, actor, ct);
        if (errors.Count > 0)
        {
            throw (errors.FirstOrDefault(e => e.Code is "user.role_not_grantable" or "user.subject_link_forbidden") ?? errors[0]).Problem();
        }

        await writer.Apply(batch, actor, importId: null, at, ct);
        await writer.Discard(batch, ct);
    }
}
