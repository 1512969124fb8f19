using System.Data.Common;
using Dapper;

namespace Hazards.Api.Infrastructure.Data;

/// <summary>
/// The request's one connection and, for a command, its one transaction. The outermost
/// <see cref="Begin"/> owns the transaction; inner callers take part in it. Work registered with
/// <see cref="AfterCommit"/> runs once the outermost commit succeeded.
/// </summary>
public sealed class DbSession(ConnectionFactory factory, SqliteWriteGate gate) : IAsyncDisposable
{
    private readonly List<Func<Task>> afterCommit = [];
    private DbConnection? connection;
    private DbTransaction? transaction;
    private bool holdsGate;
    private long? cacheBefore;

    public SqlDialect Dialect => factory.Dialect;

    public bool InTransaction => transaction is not null;

    public async Task<DbConnection> Connection(CancellationToken ct) => connection ??= await factory.Open(ct);

    public async Task Begin(CancellationToken ct)
    {
        if (transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already open in this session.");
        }

        if (Dialect == SqlDialect.Sqlite)
        {
            await gate.Enter(ct);
            holdsGate = true;
        }

        try
        {
            var open = await Connection(ct);
            transaction = await open.BeginTransactionAsync(ct);
        }
        catch
        {
            ReleaseGate();
            throw;
        }
    }

    public async Task Commit(CancellationToken ct)
    {
        var committing = transaction ?? throw new InvalidOperationException("No transaction to commit.");
        try
        {
            await committing.CommitAsync(ct);
        }
        finally
        {
            await committing.DisposeAsync();
            transaction = null;
            ReleaseGate();
        }

        var work = afterCommit.ToArray();
        afterCommit.Clear();
        foreach (var step in work)
        {
            await step();
        }
    }

    public async Task Rollback()
    {
        if (transaction is null)
        {
            return;
        }

        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        finally
        {
            await transaction.DisposeAsync();
            transaction = null;
            afterCommit.Clear();
            ReleaseGate();
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of its own: committed when it returns, rolled back when it throws.</summary>
    public async Task<T> RunInTransaction<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await Begin(ct);
        try
        {
            var result = await work();
            await Commit(ct);
            return result;
        }
        catch
        {
            await Rollback();
            throw;
        }
    }

    public Task RunInTransaction(Func<Task> work, CancellationToken ct) => RunInTransaction(async () =>
    {
        await work();
        return true;
    }, ct);

    public void AfterCommit(Func<Task> work) => afterCommit.Add(work);

    public async Task<IReadOnlyList<T>> Query<T>(Sql sql, object? args, CancellationToken ct) =>
        (await (await Connection(ct)).QueryAsync<T>(Command(sql, args, ct))).AsList();

    /// <summary>Rows read as two or three objects each, split at the columns named in <paramref name="splitOn"/> (a record and its parts).</summary>
    public async Task<IReadOnlyList<TResult>> Query<TFirst, TSecond, TResult>(
        Sql sql, object? args, string splitOn, Func<TFirst, TSecond, TResult> map, CancellationToken ct) =>
        (await (await Connection(ct)).QueryAsync(Command(sql, args, ct), map, splitOn)).AsList();

    public async Task<IReadOnlyList<TResult>> Query<TFirst, TSecond, TThird, TResult>(
        Sql sql, object? args, string splitOn, Func<TFirst, TSecond, TThird, TResult> map, CancellationToken ct) =>
        (await (await Connection(ct)).QueryAsync(Command(sql, args, ct), map, splitOn)).AsList();

    public async Task<T?> Single<T>(Sql sql, object? args, CancellationToken ct) =>
        await (await Connection(ct)).QuerySingleOrDefaultAsync<T>(Command(sql, args, ct));

    public async Task<T> Scalar<T>(Sql sql, object? args, CancellationToken ct) =>
        (await (await Connection(ct)).ExecuteScalarAsync<T>(Command(sql, args, ct)))!;

    public async Task<int> Execute(Sql sql, object? args, CancellationToken ct) =>
        await (await Connection(ct)).ExecuteAsync(Command(sql, args, ct));

    /// <summary>
    /// Widens SQLite's page cache to <see cref="DatabaseOptions.SqliteBulkCacheKiB"/> for the rest of this session, for
    /// set-based work over many pages; the pooled connection gets its former size back when the session ends.
    /// Nothing on SQL Server, which manages its own buffer pool.
    /// </summary>
    public async Task WidenCache(CancellationToken ct)
    {
        if (Dialect != SqlDialect.Sqlite || cacheBefore is not null)
        {
            return;
        }

        var open = await Connection(ct);
        cacheBefore = await open.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA cache_size", transaction: transaction, cancellationToken: ct));
        await open.ExecuteAsync(new CommandDefinition(
            $"PRAGMA cache_size = -{factory.Options.SqliteBulkCacheKiB}", transaction: transaction, cancellationToken: ct));
    }

    public async ValueTask DisposeAsync()
    {
        await Rollback();
        if (connection is not null)
        {
            try
            {
                if (cacheBefore is { } size)
                {
                    await connection.ExecuteAsync($"PRAGMA cache_size = {size}");
                }
            }
            finally
            {
                await connection.DisposeAsync();
                connection = null;
            }
        }
    }

    private CommandDefinition Command(Sql sql, object? args, CancellationToken ct) =>
        new(sql.For(Dialect), args, transaction, factory.Options.CommandTimeoutSeconds, cancellationToken: ct);

    private void ReleaseGate()
    {
        if (holdsGate)
        {
            holdsGate = false;
            gate.Exit();
        }
    }
}

/// <summary>
/// SQLite allows one writer at a time; queuing writers here in the process is cheaper and fairer than
/// letting them spin on SQLITE_BUSY.
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim semaphore = new(1, 1);

    public Task Enter(CancellationToken ct) => semaphore.WaitAsync(ct);

    public void Exit() => semaphore.Release();
}
