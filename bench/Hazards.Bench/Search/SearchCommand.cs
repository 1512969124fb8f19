using System.Diagnostics;
using System.Globalization;
using Dapper;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Bench.Dataset;
using Hazards.Bench.Escalations;
using Hazards.Bench.Reporting;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Bench.Search;

/// <summary>
/// <c>search</c>: finding cases on the generated million-case city, as a district regulator would
/// through <c>GET /api/v1/cases</c>: each filter through the service's own pipeline (scope, query, page of 50), beside the
/// district's plain first page in the same run.
/// </summary>
public static class SearchCommand
{
    public const string District = "500103";

    public static async Task<int> Run(BenchArgs args, TextWriter output, CancellationToken ct)
    {
        args.RejectUnknown("cases", "open", "repeats", "db");
        var repeats = args.Int("repeats", 15);
        if (repeats < 1)
        {
            throw new ArgumentException("--repeats must be at least 1.");
        }

        var path = await CaseDataset.Reused(args, "search", output, ct);
        string code;
        string reporter;
        long districtCases;
        using (var connection = DatabaseFile.Open(path))
        {
            code = connection.ExecuteScalar<string>("SELECT code FROM cases WHERE district_code = @District ORDER BY id LIMIT 1 OFFSET 5000", new { District })!;
            reporter = connection.ExecuteScalar<string>("SELECT reported_by FROM cases WHERE district_code = @District AND origin = 'gridPatrol' ORDER BY id DESC LIMIT 1", new { District })!;
            districtCases = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM cases WHERE district_code = @District", new { District });
        }

        var login = "dr-" + District;
        output.WriteLine(F($"district {District}: {districtCases:N0} cases; actor '{login}' (districtRegulator); {repeats} run(s) per search after one warm-up, page of 50"));
        output.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");

        ListCasesQuery Query(string? q = null, string? byCode = null, string? origin = null, string? by = null,
            DateOnly? from = null, DateOnly? to = null, DateOnly? deadlineBefore = null, bool? total = null) =>
            new(null, null, null, District, null, null, 50, null, byCode, q, origin, null, by, from, to, deadlineBefore, total);

        var searches = new (string Label, ListCasesQuery Query)[]
        {
            ("plain first page (baseline)", Query()),
            ("q=消防", Query(q: "消防")),
            ("q=消防&total=true", Query(q: "消防", total: true)),
            ("q=不存在 (no case holds it)", Query(q: "不存在")),
            ($"code={code}", Query(byCode: code)),
            ("origin=publicTip", Query(origin: "publicTip")),
            ($"reporter={reporter}", Query(by: reporter)),
            ("reportedFrom=2026-03-04&reportedTo=2026-03-10", Query(from: new DateOnly(2026, 3, 4), to: new DateOnly(2026, 3, 10))),
            ("deadlineBefore=2026-03-18", Query(deadlineBefore: new DateOnly(2026, 3, 18))),
        };

        await using var host = ServiceHost.Start(path, CaseDataset.End);
        var table = new MarkdownTable("search", "items", "total", "median ms", "p90 ms", "÷ baseline");
        double? baseline = null;
        foreach (var (label, query) in searches)
        {
            await Send(host, login, query, ct);
            var times = new List<double>();
            CasePage page = null!;
            for (var run = 0; run < repeats; run++)
            {
                var started = Stopwatch.GetTimestamp();
                page = await Send(host, login, query, ct);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var median = Stats.Median(times);
            baseline ??= median;
            times.Sort();
            table.Add(label, F($"{page.Items.Count}"), page.Total is { } t ? F($"{t:N0}") : "", F($"{median:F1}"),
                F($"{times[(int)Math.Ceiling(0.9 * times.Count) - 1]:F1}"), F($"{median / baseline.Value:F2}"));
        }

        output.WriteLine();
        output.Write(table);
        return 0;
    }

    /// <summary>What the route does: the actor behind the token (as the auth middleware loads it), and the query through the pipeline.</summary>
    private static async Task<CasePage> Send(ServiceHost host, string login, ListCasesQuery query, CancellationToken ct)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var actor = await services.GetRequiredService<UserDirectory>().Find(login, ct)
            ?? throw new InvalidOperationException($"No user '{login}' in the file.");
        var context = new DefaultHttpContext { RequestServices = services };
        context.Items[typeof(Actor)] = actor;
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        try
        {
            return await services.GetRequiredService<ISender>().Send(query, ct);
        }
        finally
        {
            services.GetRequiredService<IHttpContextAccessor>().HttpContext = null;
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
