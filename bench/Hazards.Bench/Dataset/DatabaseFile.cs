using Microsoft.Data.Sqlite;

namespace Hazards.Bench.Dataset;

public static class DatabaseFile
{
    /// <summary>Opens a connection with the pragmas the service's <c>ConnectionFactory</c> sets.</summary>
    public static SqliteConnection Open(string path, string synchronous = "FULL")
    {
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = {synchronous};";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Moves the WAL into the main file and closes every pooled connection, so the file alone is the database.</summary>
    public static void Settle(string path)
    {
        using (var connection = Open(path))
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Copies the file and forces the copy to disk, so the kernel is not still writing it back while a
    /// timed run waits for its own fsync.
    /// </summary>
    public static void Copy(string from, string to)
    {
        Delete(to);
        File.Copy(from, to);
        using var copy = new FileStream(to, FileMode.Open, FileAccess.ReadWrite);
        copy.Flush(flushToDisk: true);
    }

    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
