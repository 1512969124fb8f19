using System.Globalization;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Inspections;
using Microsoft.Data.Sqlite;

namespace Hazards.Bench.Dataset;

public sealed record GeneratedUnit(string Id, string GridCode, string OrgPath, DateTimeOffset CreatedAt);

public sealed record GeneratedPlan(string Id, string UnitId);

/// <summary>
/// Writes a deterministic city straight into a migrated SQLite file, table by table, each through one
/// prepared INSERT inside the caller's transaction: the real 38 districts, a generated network below
/// them, units in the grids, and the inspection data a scenario asks for.
/// </summary>
public sealed class CityGenerator(CityShape shape, DateTimeOffset epoch, int seed)
{
    private const string CreatedBy = "bench";

    private const string DailyChecklist = """[{"code":"D1","text":"消防通道畅通"},{"code":"D2","text":"灭火器在位有效"},{"code":"D3","text":"电气线路无私拉乱接"}]""";

    private const string PassedResults = """[{"code":"D1","passed":true,"note":null},{"code":"D2","passed":true,"note":null},{"code":"D3","passed":true,"note":null}]""";

    private static readonly Sector[] Sectors = Enum.GetValues<Sector>();
    private static readonly RiskColour[] Colours = Enum.GetValues<RiskColour>();

    private readonly BenchIds ids = new(seed);

    public CityShape Shape => shape;

    /// <summary>The city, its districts, townships, villages and grids, then the units, spread over the year before <paramref name="until"/>.</summary>
    public IReadOnlyList<GeneratedUnit> WriteNetwork(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset until)
    {
        var districts = DemoSeeder.Districts();
        var at = DapperTypes.FormatInstant(epoch);
        var gridPaths = new string[shape.Grids];
        var gridCodes = new string[shape.Grids];
        using (var org = new BulkInsert(connection, transaction, "org_units", "code", "name", "level", "parent_code", "path", "created_at"))
        {
            org.Row("500000", "重庆市", Wire.Name(OrgLevel.City), null, "/500000/", at);
            foreach (var (code, name) in districts)
            {
                org.Row(code, name, Wire.Name(OrgLevel.District), "500000", $"/500000/{code}/", at);
            }

            var townships = new (string Code, string Name, string Path)[shape.Townships];
            for (var t = 0; t < townships.Length; t++)
            {
                // Round robin over the districts, so every district has townships at every scale.
                var (districtCode, districtName) = districts[t % districts.Count];
                var number = (t / districts.Count) + 1;
                var code = Code(districtCode, number);
                townships[t] = (code, $"{districtName}第{number}街道", $"/500000/{districtCode}/{code}/");
                org.Row(code, townships[t].Name, Wire.Name(OrgLevel.Township), districtCode, townships[t].Path, at);
            }

            var villages = new (string Code, string Name, string Path)[shape.Villages];
            for (var v = 0; v < villages.Length; v++)
            {
                var township = townships[v / CityShape.VillagesPerTownship];
                var number = (v % CityShape.VillagesPerTownship) + 1;
                var code = Code(township.Code, number);
                villages[v] = (code, $"{township.Name}第{number}社区", $"{township.Path}{code}/");
                org.Row(code, villages[v].Name, Wire.Name(OrgLevel.Village), township.Code, villages[v].Path, at);
            }

            for (var g = 0; g < gridPaths.Length; g++)
            {
                var village = villages[g / CityShape.GridsPerVillage];
                var number = (g % CityShape.GridsPerVillage) + 1;
                gridCodes[g] = Code(village.Code, number);
                gridPaths[g] = $"{village.Path}{gridCodes[g]}/";
                org.Row(gridCodes[g], $"{village.Name}第{number}网格", Wire.Name(OrgLevel.Grid), village.Code, gridPaths[g], at);
            }
        }

        var units = new GeneratedUnit[shape.Units];
        var step = (until - epoch) / shape.Units;
        using var insert = new BulkInsert(connection, transaction, "units",
            "id", "name", "credit_code", "grid_code", "org_path", "sectors", "risk_colour", "address", "version", "created_at", "created_by");
        for (var u = 0; u < units.Length; u++)
        {
            var g = u / CityShape.UnitsPerGrid;
            var createdAt = epoch + (step * u);
            var id = ids.Next(createdAt);
            var name = FormattableString.Invariant($"企业{u + 1:D6}");
            insert.Row(id, name, null, gridCodes[g], gridPaths[g], Wire.Name(Sectors[u % Sectors.Length]), Wire.Name(Colours[u % Colours.Length]),
                $"{name}所在地", 1, DapperTypes.FormatInstant(createdAt), CreatedBy);
            units[u] = new GeneratedUnit(id, gridCodes[g], gridPaths[g], createdAt);
        }

        return units;
    }

    /// <summary>One daily team plan per unit, created a minute after the unit and active from <paramref name="activeFrom"/>.</summary>
    public IReadOnlyList<GeneratedPlan> WriteDailyPlans(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<GeneratedUnit> units, DateOnly activeFrom)
    {
        var plans = new GeneratedPlan[units.Count];
        var from = activeFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var insert = new BulkInsert(connection, transaction, "inspection_plans",
            "id", "name", "unit_id", "grid_code", "org_path", "cadence", "level", "checklist", "active_from", "active_to", "created_at", "created_by");
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            var createdAt = unit.CreatedAt.AddMinutes(1);
            var id = ids.Next(createdAt);
            insert.Row(id, "班组日检", unit.Id, null, unit.OrgPath, Wire.Name(Cadence.Daily), Wire.Name(InspectionLevel.Team), DailyChecklist,
                from, null, DapperTypes.FormatInstant(createdAt), CreatedBy);
            plans[i] = new GeneratedPlan(id, unit.Id);
        }

        return plans;
    }

    /// <summary>A record, on time and all items passed, for about <paramref name="share"/> of the plans in <paramref name="period"/>.</summary>
    public int WriteRecords(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<GeneratedPlan> plans, Period period, double share)
    {
        using var insert = new BulkInsert(connection, transaction, "inspection_records",
            "id", "plan_id", "period_key", "period_start", "period_end", "inspectors", "results", "note", "request_hash", "late", "submitted_by", "submitted_at");
        var start = period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var end = period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var span = period.EndsAt - period.StartsAt;
        for (var i = 0; i < plans.Count; i++)
        {
            if (!ids.Chance(share))
            {
                continue;
            }

            var submittedAt = period.StartsAt + (span * ((double)i / plans.Count));
            insert.Row(ids.Next(submittedAt), plans[i].Id, period.Key, start, end, """["安全员"]""", PassedResults, null,
                Convert.ToHexStringLower(BitConverter.GetBytes(i)), 0, CreatedBy, DapperTypes.FormatInstant(submittedAt));
        }

        return insert.Rows;
    }

    private static string Code(string parent, int number) => parent + number.ToString("D3", CultureInfo.InvariantCulture);
}
