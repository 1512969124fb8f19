using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hazards.Api.Features.Imports;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Bench.Dataset;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Bench.Imports;

/// <summary>
/// The bulk import (issue 16) at the bench city's size: generated CSV files of its grids (with their townships and
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
        var rows = new List<string[]>();
        foreach (var (kind, path) in files)
        {
            foreach (var dryRun in new[] { true, false })
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

        await Merge(host, shape, output, ct);
        await output.WriteLineAsync();
        await output.WriteLineAsync("| kind | mode | rows | errors | applied | seconds | rows/s | process peak MB |");
        await output.WriteLineAsync("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            await output.WriteLineAsync("| " + string.Join(" | ", row) + " |");
        }

        return 0;
    }

    /// <summary>区划调整 at the bench city: the first generated township merged into the next one of its district.</summary>
    private static async Task Merge(ServiceHost host, CityShape shape, TextWriter output, CancellationToken ct)
    {
        var districts = DemoSeeder.Districts().Select(d => d.Code).ToList();
        if (shape.Townships <= districts.Count)
        {
            return;
        }

        var from = $"{districts[0]}500";
        var into = $"{districts[0]}501";
        await using var scope = host.Services.CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
        accessor.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { Items = { [typeof(Hazards.Api.Infrastructure.Auth.Actor)] = DemoSeeder.Importer } };
        var watch = Stopwatch.StartNew();
        var merged = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>()
            .Send(new Hazards.Api.Features.OrgUnits.MergeOrgUnitCommand(into) { Code = from, Version = 1 }, ct);
        watch.Stop();
        await output.WriteLineAsync(FormattableString.Invariant(
            $"merge {from} into {into}: {merged.Children} villages, {merged.Moved.OrgUnits} org units, {merged.Moved.ActiveUnits} units, {merged.Moved.People} people, {merged.Moved.Plans} plans, {merged.Moved.OpenCases} open cases moved in {watch.Elapsed.TotalSeconds:F2} s"));
    }

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
