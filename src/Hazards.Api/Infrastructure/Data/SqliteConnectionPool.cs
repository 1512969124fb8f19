using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Infrastructure.Data;

/// <summary>
/// Open SQLite connections kept between requests together with their prepared statements. SQLite has no
/// statement cache of its own and Microsoft.Data.Sqlite finalizes a command's statements when the command or
/// the connection closes, so every request paid for parsing and planning each statement again: 150 µs for the
/// case row's 55 columns, more than its B-tree search (<c>bench/README.md</c>). The pragmas run once
/// per physical connection instead of once per open.
/// </summary>
public sealed class SqliteConnectionPool(DatabaseOptions options) : IDisposable
{
    private readonly ConcurrentBag<PooledSqliteConnection> idle = [];
    private bool disposed;

    public async Task<DbConnection> Rent(CancellationToken ct)
    {
        while (idle.TryTake(out var pooled))
        {
            if (pooled.IsUsable)
            {
                pooled.Rented();
                return pooled;
            }

            pooled.Destroy();
        }

        var connection = new SqliteConnection(options.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText =
                $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {options.SqliteBusyTimeoutMs}; PRAGMA synchronous = {options.SqliteSynchronous}; " +
                $"PRAGMA cache_size = -{options.SqliteCacheKiB};";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return new PooledSqliteConnection(connection, this);
    }

    internal void Return(PooledSqliteConnection connection)
    {
        if (disposed || !connection.IsUsable || idle.Count >= options.SqlitePoolSize)
        {
            connection.Destroy();
            return;
        }

        idle.Add(connection);
    }

    public void Dispose()
    {
        disposed = true;
        while (idle.TryTake(out var pooled))
        {
            pooled.Destroy();
        }
    }
}

/// <summary>
/// A pooled connection as its users see it: disposing it hands it back to the pool; commands created on it
/// run through a prepared statement kept per SQL text.
/// </summary>
public sealed class PooledSqliteConnection : DbConnection
{
    private const int MaxStatements = 128;

    private readonly SqliteConnection inner;
    private readonly SqliteConnectionPool pool;
    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);
    private bool returned;

    internal PooledSqliteConnection(SqliteConnection inner, SqliteConnectionPool pool)
    {
        this.inner = inner;
        this.pool = pool;
    }

    /// <summary>Open, and not left inside a transaction by its last user.</summary>
    internal bool IsUsable => inner.State == ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(inner.Handle) != 0;

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => throw new NotSupportedException("A pooled connection keeps its connection string.");
    }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => returned ? ConnectionState.Closed : inner.State;

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

    public override void Open()
    {
    }

    public override Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Close() => Return();

    public override ValueTask DisposeAsync()
    {
        Return();
        return ValueTask.CompletedTask;
    }

    internal void Rented() => returned = false;

    internal SqliteCommand Statement(string text)
    {
        if (!statements.TryGetValue(text, out var command))
        {
            if (statements.Count >= MaxStatements)
            {
                ClearStatements();
            }

            command = inner.CreateCommand();
            command.CommandText = text;
            statements[text] = command;
        }

        return command;
    }

    internal void Destroy()
    {
        ClearStatements();
        inner.Dispose();
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new PooledSqliteCommand(this);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Return();
        }

        base.Dispose(disposing);
    }

    private void Return()
    {
        if (returned)
        {
            return;
        }

        returned = true;
        pool.Return(this);
    }

    private void ClearStatements()
    {
        foreach (var command in statements.Values)
        {
            command.Dispose();
        }

        statements.Clear();
    }
}

/// <summary>
/// A command on a pooled connection: it collects its text and parameters as any command does, and runs them
/// through the connection's prepared statement for that text.
/// </summary>
public sealed class PooledSqliteCommand(PooledSqliteConnection owner) : DbCommand
{
    private readonly SqliteParameterCollection parameters = new ParameterList();
    private SqliteCommand? running;

    [AllowNull]
    public override string CommandText { get; set; } = "";

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType { get; set; } = CommandType.Text;

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => owner;
        set => throw new NotSupportedException("A pooled command stays on its connection.");
    }

    protected override DbParameterCollection DbParameterCollection => parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel() => running?.Cancel();

    public override int ExecuteNonQuery() => Bound().ExecuteNonQuery();

    public override object? ExecuteScalar() => Bound().ExecuteScalar();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Bound().ExecuteNonQueryAsync(cancellationToken);

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Bound().ExecuteScalarAsync(cancellationToken);

    public override void Prepare()
    {
    }

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Bound().ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await Bound().ExecuteReaderAsync(behavior, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && running is not null)
        {
            // The prepared statement outlives this command; the values bound to it do not.
            running.Parameters.Clear();
            running = null;
        }

        base.Dispose(disposing);
    }

    private SqliteCommand Bound()
    {
        if (CommandType != CommandType.Text)
        {
            throw new NotSupportedException("SQLite runs text commands only.");
        }

        var command = owner.Statement(CommandText);
        command.Transaction = (SqliteTransaction?)DbTransaction;
        command.CommandTimeout = CommandTimeout;
        command.Parameters.Clear();
        foreach (SqliteParameter parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        running = command;
        return command;
    }

    private sealed class ParameterList : SqliteParameterCollection;
}
