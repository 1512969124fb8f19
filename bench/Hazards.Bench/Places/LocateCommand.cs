using System.Diagnostics;
using System.Globalization;
using Hazards.Api.Features.Places;
using Hazards.Bench.Reporting;
using Hazards.Domain.Places;

namespace Hazards.Bench.Places;

/// <summary>
/// <c>locate</c>: finding a position's grid among the bench city's grids, in-process, as
/// <see cref="BoundaryIndex"/> does it: the boundaries parsed from their stored GeoJSON, each prepared and put in an
/// STR-tree (<see cref="BoundarySnapshot"/>), then random positions looked up, beside a plain pass over every prepared
/// boundary for a few of them (the same answer without the tree).
/// </summary>
public static class LocateCommand
{
    public static int Run(BenchArgs args, TextWriter output)
    {
        args.RejectUnknown("grids", "vertices", "lookups");
        var grids = args.Int("grids", 60_000);
        var perSide = args.Int("vertices", 32) / 4;
        var lookups = args.Int("lookups", 200_000);
        if (grids < 1 || perSide < 1 || lookups < 1)
        {
            throw new ArgumentException("--grids, --vertices (at least 4) and --lookups must be positive.");
        }

        // The bench city's grids (BenchGrids), stored and read back as GeoJSON, as the service does.
        var stored = Enumerable.Range(0, grids)
            .Select(i => (Code: string.Create(CultureInfo.InvariantCulture, $"5001{i:D11}"), GeoJson: BoundaryShape.Write(BenchGrids.Square(i, grids, perSide))))
            .ToList();

        output.WriteLine(F($"locate: {grids:N0} grids of {perSide * 4} vertices, {lookups:N0} lookups; machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var started = Stopwatch.GetTimestamp();
        var snapshot = new BoundarySnapshot(stored.Select(s => BoundaryEntry.Of(s.Code, "grid", BoundaryShape.Read(s.GeoJson))), stamp: 1);
        var buildMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var memory = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;

        var random = new Random(18);
        var (southWest, height, width) = BenchGrids.Extent(grids);
        var points = Enumerable.Range(0, lookups)
            .Select(_ => new LatLng(southWest.Latitude + (random.NextDouble() * height), southWest.Longitude + (random.NextDouble() * width)))
            .ToArray();
        snapshot.GridAt(points[0]);
        var found = 0;
        started = Stopwatch.GetTimestamp();
        foreach (var point in points)
        {
            if (snapshot.GridAt(point) is not null)
            {
                found++;
            }
        }

        var treeSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // The same question without the tree: every prepared boundary asked in turn, for a few of the points.
        var entries = stored.Select(s => snapshot.Of(s.Code)!).ToArray();
        var plainCount = Math.Min(lookups, 200);
        var agree = 0;
        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < plainCount; i++)
        {
            var point = BoundarySnapshot.Point(points[i]);
            var plain = entries.FirstOrDefault(e => e.Prepared.Covers(point));
            if (plain?.Code == snapshot.GridAt(points[i])?.Code)
            {
                agree++;
            }
        }

        var plainSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var treeRate = lookups / treeSeconds;
        var plainRate = plainCount / plainSeconds;

        var table = new MarkdownTable("figure", "value");
        table.Add("index build (parse, prepare, STR-tree)", F($"{buildMs / 1000:F2} s"));
        table.Add("index memory (managed heap growth)", F($"{memory / 1048576.0:F0} MB"));
        table.Add("lookups per second, STR-tree", F($"{treeRate:N0}"));
        table.Add("lookups per second, every boundary in turn", F($"{plainRate:N0}"));
        table.Add("tree ÷ plain", F($"{treeRate / plainRate:N0}"));
        table.Add("positions inside a grid", F($"{found:N0} of {lookups:N0}"));
        table.Add("plain and tree agree", F($"{agree} of {plainCount}"));
        output.WriteLine();
        output.Write(table);
        return agree == plainCount ? 0 : 1;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
