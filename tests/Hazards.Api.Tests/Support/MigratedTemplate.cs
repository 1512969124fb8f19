using Hazards.Api.Infrastructure.Data;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Support;

/// <summary>
/// One SQLite file per test run, migrated once by the service's own <see cref="Migrator"/> (the same scripts, the same
/// pragmas), from which every <see cref="HazardsApp"/> on the default store starts: a copy takes milliseconds where
/// applying every migration to each app's new file took most of its start.
/// </summary>
internal static class MigratedTemplate
{
    private static readonly Lazy<string> Path = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void CopyTo(string target)
    {
        using var source = new SqliteConnection($"Data Source={Path.Value};Mode=ReadOnly;Pooling=False");
        using var copy = new SqliteConnection($"Data Source={target};Pooling=False");
        source.Open();
        copy.Open();
        source.BackupDatabase(copy);
    }

    private static string Build()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hazards-tests", $"template-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var file = System.IO.Path.Combine(folder, "hazards.db");
        using (var app = new HazardsApp(new Dictionary<string, string?> { ["ConnectionStrings:Hazards"] = $"Data Source={file}" }))
        {
            // The service migrates its file as it starts.
            _ = app.Services;
        }

        SqliteConnection.ClearAllPools();

        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder's own clean-up takes what is still held open.
            }
        };
        return file;
    }
}
