using Hazards.Bench.Dataset;
using Microsoft.Data.Sqlite;

namespace Hazards.Bench.Http;

/// <summary>A case awaiting verification, with the version its If-Match must carry.</summary>
public sealed record PendingVerification(string Id, int Version);

/// <summary>
/// What the scenarios draw on, read from the generated file before the service starts: the cases of one
/// district (for reads and list cursors), the township of that district with the most open cases (its
/// officer's inbox), a grid of the district (where its worker reports) and every case awaiting verification.
/// </summary>
public sealed record HttpDataset(
    string District, IReadOnlyList<string> DistrictCaseIds, string Township, string Grid, IReadOnlyList<PendingVerification> Pending)
{
    public string RegulatorLogin => "dr-" + District;

    public string OfficerLogin => "to-" + Township;

    public string GridWorkerLogin => "gw-" + Grid;

    /// <summary>The city's administrator: the only user whose scope holds every case awaiting verification.</summary>
    public const string VerifierLogin = "city-admin";

    public static HttpDataset Read(string path, string district)
    {
        using var connection = DatabaseFile.Open(path);
        var ids = Strings(connection, "SELECT id FROM cases WHERE district_code = $d ORDER BY id DESC", district);
        if (ids.Count == 0)
        {
            throw new ArgumentException($"District {district} holds no case in {path}.");
        }

        var township = Strings(connection, """
            SELECT substr(grid_code, 1, 9) FROM cases
            WHERE district_code = $d AND status IN ('reported', 'rectifying', 'fixSubmitted')
            GROUP BY substr(grid_code, 1, 9) ORDER BY count(*) DESC, 1 LIMIT 1
            """, district).Single();
        var grid = Strings(connection, "SELECT code FROM org_units WHERE level = 'grid' AND parent_code LIKE $d || '%' ORDER BY code LIMIT 1", district).Single();

        using var pending = connection.CreateCommand();
        pending.CommandText = "SELECT id, version FROM cases WHERE status = 'fixSubmitted' ORDER BY id";
        var pool = new List<PendingVerification>();
        using (var reader = pending.ExecuteReader())
        {
            while (reader.Read())
            {
                pool.Add(new PendingVerification(reader.GetString(0), reader.GetInt32(1)));
            }
        }

        return new HttpDataset(district, ids, township, grid, pool);
    }

    private static List<string> Strings(SqliteConnection connection, string sql, string district)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$d", district);
        var values = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
