using Microsoft.Data.Sqlite;

namespace Hazards.Bench.Dataset;

/// <summary>One prepared INSERT, executed once per row inside the caller's transaction.</summary>
public sealed class BulkInsert : IDisposable
{
    private readonly SqliteCommand command;
    private readonly SqliteParameter[] parameters;

    public BulkInsert(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
    {
        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})";
        parameters = columns.Select(c => command.Parameters.Add(new SqliteParameter("@" + c, null))).ToArray();
        command.Prepare();
    }

    public int Rows { get; private set; }

    public void Row(params ReadOnlySpan<object?> values)
    {
        if (values.Length != parameters.Length)
        {
            throw new ArgumentException($"Expected {parameters.Length} values, got {values.Length}.", nameof(values));
        }

        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
        Rows++;
    }

    public void Dispose() => command.Dispose();
}
