using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hazards.Api.Features.Imports;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Bench.Dataset;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Bench.Imports;

/// <summary>
/// The bulk import at the bench city's size: generated CSV files of its grids (with their townships and
/// villages), units and people (a grid worker per grid, a unit officer per unit), each imported as a dry run and then
/// applied, through the service's own import path, into a fresh SQLite file that holds the 38 districts.
/// </summary>
public static class ImportBenchCommand
{
    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        var scale = double.Parse(args.Text("scale") ?? "1", CultureInfo.InvariantCulture);
        var shape = new CityShape((int)Math.Round(CityShape.ChongqingUnits * scale));
        var folder = args.Text("db") ?? Path.Combine(Path.GetTempPath(), "hazards-bench", $"import-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "import.db");
        await output.WriteLineAsync($"import bench: {shape}, {shape.Grids + shape.Units:N0} people, into {database}");
        await ServiceHost.Migrate(database, ct);
        await using var host = ServiceHost.Start(database, DateTimeOffset.UtcNow);
        var options = host.Services.GetRequiredService<ImportOptions>();
        options.Root = Path.Combine(folder, "imports");
        await host.Services.GetRequiredService<DemoSeeder>().Seed(ct);

        var files = Generate(shape, folder);
        var dryRuns = args.Text("only") == "merge" ? new[] { false } : new[] { true, false };
        var rows = new List<string[]>();
        foreach (var (kind, path) in files)
        {
            foreach (var dryRun in dryRuns)
            {
                var before = GC.GetTotalAllocatedBytes();
                var watch = Stopwatch.StartNew();
                await using var scope = host.Services.CreateAsyncScope();
                var id = Guid.CreateVersion7();
                Directory.CreateDirectory(options.Root);
                File.Copy(path, ImportProcessor.FilePath(options, id));
                var view = await ImportCommand.Run(scope.ServiceProvider, DemoSeeder.Importer, id, kind, dryRun, Path.GetFileName(path), ct);
                watch.Stop();
                var peak = Process.GetCurrentProcess().PeakWorkingSet64;
                rows.Add([
                    kind.ToString(), dryRun ? "dry run" : "apply", view.RowsRead.ToString("N0", CultureInfo.InvariantCulture),
                    view.ErrorCount.ToString(CultureInfo.InvariantCulture), view.RowsApplied.ToString("N0", CultureInfo.InvariantCulture),
                    watch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
                    (view.RowsRead / watch.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture),
                    (peak / 1024 / 1024).ToString("N0", CultureInfo.InvariantCulture),
                ]);
                await output.WriteLineAsync(string.Join(" | ", rows[^1]) + $" (allocated {(GC.GetTotalAllocatedBytes() - before) / 1024 / 1024:N0} MB)");
                if (view.ErrorCount > 0)
                {
                    await output.WriteLineAsync(string.Join("\n", view.Errors.Take(5).Select(e => $"  row {e.Row} {e.Column}: {e.Code}")));
                    return 1;
                }
            }
        }

        if (!await Merge(host, shape, database, output, ct))
        {
            return 1;
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("| kind | mode | rows | errors | applied | seconds | rows/s | process peak MB |");
        await output.WriteLineAsync("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            await output.WriteLineAsync("| " + string.Join(" | ", row) + " |");
        }

        return 0;
    }

    /// <summary>
    /// 区划调整 at the bench city: the first generated township merged into the next one of its district, after its
    /// units were given open (and some closed) cases and inspection plans. Answers whether everything moved.
    /// </summary>
    private static async Task<bool> Merge(ServiceHost host, CityShape shape, string database, TextWriter output, CancellationToken ct)
    {
        var districts = DemoSeeder.Districts().Select(d => d.Code).ToList();
        if (shape.Townships <= districts.Count)
        {
            return true;
        }

        var from = $"{districts[0]}500";
        var into = $"{districts[0]}501";
        var (oldPath, newPath, cases, plans) = SeedWork(database, from, into, host.Clock.GetUtcNow());
        await output.WriteLineAsync(FormattableString.Invariant($"township {from}: {cases.Open:N0} open and {cases.All - cases.Open:N0} closed cases, {plans:N0} plans"));
        await using var scope = host.Services.CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
        accessor.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { Items = { [typeof(Hazards.Api.Infrastructure.Auth.Actor)] = DemoSeeder.Importer } };
        var watch = Stopwatch.StartNew();
        var merged = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>()
            .Send(new Hazards.Api.Features.OrgUnits.MergeOrgUnitCommand(into) { Code = from, Version = 1 }, ct);
        watch.Stop();
        await output.WriteLineAsync(FormattableString.Invariant(
            $"merge {from} into {into}: {merged.Children} villages, {merged.Moved.OrgUnits} org units, {merged.Moved.ActiveUnits} units, {merged.Moved.People} people, {merged.Moved.Plans} plans, {merged.Moved.OpenCases} open cases moved in {watch.Elapsed.TotalSeconds:F2} s"));
        var after = Moved(database, oldPath, newPath);
        await output.WriteLineAsync(FormattableString.Invariant(
            $"after the merge: under {oldPath} {after.CasesLeft} cases and {after.PlansLeft} plans; under {newPath}'s villages of {from} {after.CasesMoved:N0} cases and {after.PlansMoved:N0} plans"));
        if (after.CasesLeft != 0 || after.PlansLeft != 0 || after.CasesMoved != cases.All || after.PlansMoved != plans
            || merged.Moved.OpenCases != cases.Open || merged.Moved.Plans != plans)
        {
            await output.WriteLineAsync("merge: not everything moved");
            return false;
        }

        return true;
    }

    /// <summary>A rectification case of each unit's: the three open states in turn, every sixth one closed.</summary>
    private const string SeedCases = $"""
        WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < @PerUnit - 1),
        c AS (
            SELECT u.id AS unit_id, u.grid_code, u.org_path, k.n, ROW_NUMBER() OVER (ORDER BY u.id, k.n) AS seq
            FROM units u CROSS JOIN k WHERE u.org_path >= @Old AND u.org_path < @OldTo)
        INSERT INTO cases (id, code, status, level, sector, origin, title, description, unit_id, grid_code, responsible_unit_id, org_path,
                           district_code, reported_by, reported_by_role, reported_at, triage_deadline, assigned_by, assigned_by_role, assigned_at,
                           deadline, fix_submitted_by, fix_submitted_at, closed_at, closed_by, penalty, version, updated_at)
        SELECT {Hazards.Api.Features.Escalations.EscalationSql.SqliteId},
               'YH-' || substr(c.grid_code, 1, 6) || '-2026-M' || printf('%07d', c.seq),
               CASE WHEN c.n % 6 = 5 THEN 'closed' WHEN c.n % 3 = 0 THEN 'reported' WHEN c.n % 3 = 1 THEN 'rectifying' ELSE 'fixSubmitted' END,
               'general', 'fire', 'gridPatrol', '合并前的隐患' || c.seq, '区划调整前报告的隐患。', c.unit_id, c.grid_code, c.unit_id, c.org_path,
               substr(c.grid_code, 1, 6), 'bench', 'gridWorker', @At, @At,
               CASE WHEN c.n % 3 = 0 AND c.n % 6 <> 5 THEN NULL ELSE 'bench' END, CASE WHEN c.n % 3 = 0 AND c.n % 6 <> 5 THEN NULL ELSE 'townshipOfficer' END,
               CASE WHEN c.n % 3 = 0 AND c.n % 6 <> 5 THEN NULL ELSE @At END, CASE WHEN c.n % 3 = 0 AND c.n % 6 <> 5 THEN NULL ELSE @Deadline END,
               CASE WHEN c.n % 3 = 2 OR c.n % 6 = 5 THEN 'bench' END, CASE WHEN c.n % 3 = 2 OR c.n % 6 = 5 THEN @At END,
               CASE WHEN c.n % 6 = 5 THEN @At END, CASE WHEN c.n % 6 = 5 THEN 'bench' END, 'none', 1, @At
        FROM c
        """;

    /// <summary>Each unit's daily team, weekly workshop and monthly enterprise checks, and each grid's weekly patrol.</summary>
    private const string SeedPlans = $"""
        INSERT INTO inspection_plans (id, name, unit_id, grid_code, org_path, cadence, level, checklist, active_from, active_to, created_at, created_by)
        SELECT {Hazards.Api.Features.Escalations.EscalationSql.SqliteId}, p.name, u.id, NULL, u.org_path, p.cadence, p.level, '["消防通道畅通"]', '2026-03-01', NULL, @At, 'bench'
        FROM units u CROSS JOIN (SELECT '班组日检' AS name, 'daily' AS cadence, 'team' AS level
                                 UNION ALL SELECT '车间周检', 'weekly', 'workshop' UNION ALL SELECT '企业月检', 'monthly', 'enterprise') p
        WHERE u.org_path >= @Old AND u.org_path < @OldTo;
        INSERT INTO inspection_plans (id, name, unit_id, grid_code, org_path, cadence, level, checklist, active_from, active_to, created_at, created_by)
        SELECT {Hazards.Api.Features.Escalations.EscalationSql.SqliteId}, '网格周巡', NULL, o.code, o.path, 'weekly', 'gridPatrol', '["消防通道畅通"]', '2026-03-01', NULL, @At, 'bench'
        FROM org_units o WHERE o.level = 'grid' AND o.path >= @Old AND o.path < @OldTo;
        """;

    private const string CountUnder = """
        SELECT (SELECT COUNT(*) FROM cases WHERE org_path >= @From AND org_path < @To),
               (SELECT COUNT(*) FROM cases WHERE org_path >= @From AND org_path < @To AND status NOT IN ('closed', 'rejected')),
               (SELECT COUNT(*) FROM inspection_plans WHERE org_path >= @From AND org_path < @To)
        """;

    private static (string OldPath, string NewPath, (long All, long Open) Cases, long Plans) SeedWork(string database, string from, string into, DateTimeOffset now)
    {
        using var connection = DatabaseFile.Open(database);
        string PathOf(string code)
        {
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT path FROM org_units WHERE code = @Code";
            read.Parameters.AddWithValue("@Code", code);
            return (string)read.ExecuteScalar()!;
        }

        var oldPath = PathOf(from);
        var newPath = PathOf(into);
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var sql in new[] { SeedCases, SeedPlans })
            {
                using var seed = connection.CreateCommand();
                seed.Transaction = transaction;
                seed.CommandText = sql;
                seed.Parameters.AddWithValue("@PerUnit", CasesPerUnit);
                seed.Parameters.AddWithValue("@Old", oldPath);
                seed.Parameters.AddWithValue("@OldTo", Hazards.Api.Infrastructure.Auth.OrgPaths.UpperBound(oldPath));
                seed.Parameters.AddWithValue("@At", Hazards.Api.Infrastructure.Data.DapperTypes.FormatInstant(now.AddDays(-3)));
                seed.Parameters.AddWithValue("@Deadline", Hazards.Api.Infrastructure.Data.DapperTypes.FormatInstant(now.AddDays(27)));
                seed.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        var (all, open, plans) = Count(connection, oldPath, Hazards.Api.Infrastructure.Auth.OrgPaths.UpperBound(oldPath));
        return (oldPath, newPath, (all, open), plans);
    }

    private static (long CasesLeft, long PlansLeft, long CasesMoved, long PlansMoved) Moved(string database, string oldPath, string newPath)
    {
        using var connection = DatabaseFile.Open(database);
        var (left, _, plansLeft) = Count(connection, oldPath, Hazards.Api.Infrastructure.Auth.OrgPaths.UpperBound(oldPath));
        var villages = newPath + oldPath.TrimEnd('/')[(oldPath.TrimEnd('/').LastIndexOf('/') + 1)..];
        var (moved, _, plansMoved) = Count(connection, villages, villages + "~");
        return (left, plansLeft, moved, plansMoved);
    }

    private static (long All, long Open, long Plans) Count(Microsoft.Data.Sqlite.SqliteConnection connection, string from, string to)
    {
        using var count = connection.CreateCommand();
        count.CommandText = CountUnder;
        count.Parameters.AddWithValue("@From", from);
        count.Parameters.AddWithValue("@To", to);
        using var reader = count.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private const int CasesPerUnit = 12;

    private static List<(ImportKind Kind, string Path)> Generate(CityShape shape, string folder)
    {
        var districts = DemoSeeder.Districts().Select(d => d.Code).ToList();
        var grids = new List<string>(shape.Grids);
        var orgUnits = Path.Combine(folder, "orgUnits.csv");
        using (var writer = new StreamWriter(orgUnits, false, new UTF8Encoding(true)))
        {
            writer.WriteLine("编码,名称,上级编码");
            var villages = 0;
            for (var t = 0; t < shape.Townships; t++)
            {
                var township = $"{districts[t % districts.Count]}{500 + (t / districts.Count):000}";
                writer.WriteLine($"{township},生成街道{t},{township[..6]}");
                for (var v = 1; v <= CityShape.VillagesPerTownship && villages < shape.Villages; v++, villages++)
                {
                    var village = $"{township}{v:000}";
                    writer.WriteLine($"{village},生成社区{villages},{township}");
                    for (var g = 1; g <= CityShape.GridsPerVillage && grids.Count < shape.Grids; g++)
                    {
                        var grid = $"{village}{g:000}";
                        grids.Add(grid);
                        writer.WriteLine($"{grid},生成网格{grids.Count},{village}");
                    }
                }
            }
        }

        string[] sectors = ["fire", "gas", "construction", "hazardousChemicals", "smallWorks", "specialEquipment"];
        string[] colours = ["blue", "yellow", "orange", "red"];
        var units = Path.Combine(folder, "units.csv");
        using (var writer = new StreamWriter(units, false, new UTF8Encoding(true)))
        {
            writer.WriteLine("单位编码,单位名称,所在网格编码,行业领域,风险等级,地址,企业负责人,企业负责人电话,企业负责人邮箱");
            for (var u = 0; u < shape.Units; u++)
            {
                writer.WriteLine($"B{u:000000},生成单位{u},{grids[u % grids.Count]},{sectors[u % 6]},{colours[u % 4]},生成地址{u},负责人{u},138{u:00000000},boss{u}@bench.example");
            }
        }

        var users = Path.Combine(folder, "users.csv");
        using (var writer = new StreamWriter(users, false, new UTF8Encoding(true)))
        {
            writer.WriteLine("登录名,姓名,手机,邮箱,角色,所属组织编码,负责单位编码,外部身份标识");
            for (var g = 0; g < grids.Count; g++)
            {
                writer.WriteLine($"g{g},网格员{g},139{g:00000000},g{g}@bench.example,gridWorker,{grids[g]},,");
            }

            for (var u = 0; u < shape.Units; u++)
            {
                writer.WriteLine($"u{u},安全员{u},137{u:00000000},u{u}@bench.example,unitOfficer,{grids[u % grids.Count]},B{u:000000},idp|{u}");
            }
        }

        return [(ImportKind.OrgUnits, orgUnits), (ImportKind.Units, units), (ImportKind.Users, users)];
    }
}
