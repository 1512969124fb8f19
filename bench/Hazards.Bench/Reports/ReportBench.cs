using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hazards.Api.Features.Reports;
using Hazards.Api.Features.Supervision;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Bench.Dataset;
using Hazards.Bench.Escalations;
using Hazards.Domain.Calendar;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hazards.Bench.Reports;

/// <summary>One scope's figures: the report through the service and its main case statement alone.</summary>
/// <remarks><see cref="ReportCpuMs"/>: the processor time this process spent on the report, which other processes on a shared machine do not inflate as they do the wall time.</remarks>
public sealed record ReportMeasurement(
    string Scope, string Name, int Cases, int Groups, int OpenAtEnd, IReadOnlyList<double> ReportMs, IReadOnlyList<double> BareMs, IReadOnlyList<double> ReportCpuMs);

/// <summary>
/// The clearance report over a generated city: <see cref="GetClearanceReportQuery"/> sent through
/// the app's <see cref="ISender"/> as the route sends it (the caller's actor loaded by the service's
/// <see cref="UserDirectory"/> and put on an <see cref="HttpContext"/>, the report serialized as the route's JSON),
/// beside <see cref="ReportSql.Cases"/> alone, bound as <see cref="ClearanceReportBuilder"/> binds it.
/// </summary>
/// <remarks><paramref name="bareSql"/>, when given, replaces <see cref="ReportSql.Cases"/> on the bare path (a what-if).</remarks>
public sealed class ReportBench(string path, TextWriter log, string? bareSql = null)
{
    /// <summary>The clock: the instant the data ends (00:00 Asia/Shanghai on <see cref="CaseDataset.EndDay"/>).</summary>
    public static readonly DateTimeOffset Now = CaseDataset.End;

    /// <summary>The last seven whole local days of the data.</summary>
    public static readonly DateOnly From = CaseDataset.EndDay.AddDays(-7);

    public static readonly DateOnly To = CaseDataset.EndDay.AddDays(-1);

    public const string Login = "city-admin";

    public async Task<ReportMeasurement> Measure(string orgUnit, int repeats, CancellationToken ct)
    {
        var parameters = Parameters(orgUnit, out var name, out var cases);
        var reports = new List<double>();
        var bares = new List<double>();
        var cpus = new List<double>();
        var groups = 0;
        var open = 0;
        await using var host = ServiceHost.Start(path, Now);
        for (var r = 0; r < repeats; r++)
        {
            // Alternate which path runs first, so neither always meets a warmer cache.
            (ClearanceReport Report, double Ms, double CpuMs) service;
            (int Groups, int Open, double Ms) bare;
            if (r % 2 == 0)
            {
                service = await RunService(host, orgUnit, ct);
                bare = RunBare(path, bareSql ?? ReportSql.Cases.Sqlite, parameters);
            }
            else
            {
                bare = RunBare(path, bareSql ?? ReportSql.Cases.Sqlite, parameters);
                service = await RunService(host, orgUnit, ct);
            }

            if (service.Report.Summary.Cases.Open.Total != bare.Open)
            {
                throw new InvalidOperationException($"The report has {service.Report.Summary.Cases.Open.Total:N0} open cases at the end, the bare SQL {bare.Open:N0}.");
            }

            (groups, open) = (bare.Groups, bare.Open);
            reports.Add(service.Ms);
            bares.Add(bare.Ms);
            cpus.Add(service.CpuMs);
            log.WriteLine(FormattableString.Invariant(
                $"  {orgUnit} run {r + 1}: report {service.Ms,8:F1} ms (cpu {service.CpuMs,7:F1} ms)   bare {bare.Ms,8:F1} ms   groups {bare.Groups:N0}, open at end {bare.Open:N0}, children {service.Report.Children.Count}, open majors {service.Report.OpenMajorHazards.Count:N0}"));
        }

        return new ReportMeasurement(orgUnit, name, cases, groups, open, reports, bares, cpus);
    }

    /// <summary>
    /// What the route does for <c>GET /api/v1/reports/clearance?orgUnit=…&amp;from=…&amp;to=…&amp;format=json</c>:
    /// a scope, the actor behind the token from <see cref="UserDirectory"/> (as the auth middleware loads it),
    /// the query through the sender's pipeline, and the report written as the route's JSON.
    /// </summary>
    public static async Task<(ClearanceReport Report, double Ms, double CpuMs)> RunService(ServiceHost host, string orgUnit, CancellationToken ct)
    {
        Quiesce();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        ClearanceReport report;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var actor = await services.GetRequiredService<UserDirectory>().Find(Login, ct)
                ?? throw new InvalidOperationException($"No user '{Login}' in the file.");
            var context = new DefaultHttpContext { RequestServices = services };
            context.Items[typeof(Actor)] = actor;
            services.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
            report = await services.GetRequiredService<ISender>().Send(
                new GetClearanceReportQuery(orgUnit, Day(From), Day(To)), ct);
            var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            await JsonSerializer.SerializeAsync(Stream.Null, report, json, ct);
            services.GetRequiredService<IHttpContextAccessor>().HttpContext = null;
        }

        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return (report, ms, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
    }

    /// <summary><see cref="ReportSql.Cases"/> (or <paramref name="sql"/>) alone on a plain connection with the service's pragmas, every row read.</summary>
    public static (int Groups, int Open, double Ms) RunBare(string path, string sql, IReadOnlyDictionary<string, object> parameters)
    {
        Quiesce();
        var started = Stopwatch.GetTimestamp();
        var groups = 0;
        long open = 0;
        using (var connection = DatabaseFile.Open(path))
        using (var command = Command(connection, sql, parameters))
        using (var reader = command.ExecuteReader())
        {
            var openColumn = reader.GetOrdinal("OpenAtEnd");
            while (reader.Read())
            {
                groups++;
                open += reader.GetInt64(openColumn);
            }
        }

        return (groups, (int)open, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The parameters <see cref="ClearanceReportBuilder.Build"/> computes for the period (not live: it ends at <see cref="Now"/>).</summary>
    public Dictionary<string, object> Parameters(string orgUnit, out string name, out int cases)
    {
        using var connection = DatabaseFile.Open(path);
        string unitPath;
        using (var unit = connection.CreateCommand())
        {
            unit.CommandText = "SELECT path, name FROM org_units WHERE code = $code";
            unit.Parameters.AddWithValue("$code", orgUnit);
            using var reader = unit.ExecuteReader();
            if (!reader.Read())
            {
                throw new ArgumentException($"No org unit '{orgUnit}' in the file.");
            }

            (unitPath, name) = (reader.GetString(0), reader.GetString(1));
        }

        using (var child = connection.CreateCommand())
        {
            child.CommandText = "SELECT length(code) FROM org_units WHERE parent_code = $code ORDER BY code LIMIT 1";
            child.Parameters.AddWithValue("$code", orgUnit);
            var childLength = child.ExecuteScalar() is long l ? (int)l : 0;
            var start = ChinaTime.StartOfDay(From);
            var end = ChinaTime.StartOfDay(To.AddDays(1));
            var parameters = new Dictionary<string, object>
            {
                ["@PathFrom"] = unitPath,
                ["@PathTo"] = OrgPaths.UpperBound(unitPath),
                ["@ChildStart"] = unitPath.Length + 1,
                ["@ChildLength"] = childLength,
                ["@Start"] = DapperTypes.FormatInstant(start),
                ["@End"] = DapperTypes.FormatInstant(end),
                ["@Now"] = DapperTypes.FormatInstant(end),
                ["@FromDay"] = Day(From),
                ["@LastEndedDay"] = Day(ChinaTime.LocalDate(end).AddDays(-1)),
            };
            using var count = Command(connection, "SELECT COUNT(*) FROM cases c WHERE c.org_path >= @PathFrom AND c.org_path < @PathTo", parameters);
            cases = (int)(long)count.ExecuteScalar()!;
            return parameters;
        }
    }

    /// <summary>The report's statements on the cases table and its own: the bare one first.</summary>
    private static readonly (string Name, Sql Sql)[] Statements =
    [
        (nameof(ReportSql.Cases), ReportSql.Cases), (nameof(ReportSql.OpenMajors), ReportSql.OpenMajors), (nameof(ReportSql.Trend), ReportSql.Trend),
        (nameof(ReportSql.Cadence), ReportSql.Cadence), (nameof(ReportSql.Notices), ReportSql.Notices),
        (nameof(ReportSql.SpotChecks), ReportSql.SpotChecks), (nameof(ReportSql.FakeFixesByUnit), ReportSql.FakeFixesByUnit),
        (nameof(ReportSql.FakeFixesByVerifier), ReportSql.FakeFixesByVerifier),
        (nameof(BoardReader.IncompleteBoardByChild), BoardReader.IncompleteBoardByChild),
    ];

    /// <summary>The report's statements for <paramref name="orgUnit"/> as a sqlite3 shell script: its parameters, then each query, the bare one first.</summary>
    public string Script(string orgUnit)
    {
        var parameters = Parameters(orgUnit, out _, out _);
        var text = new System.Text.StringBuilder($"-- {orgUnit}\n.parameter clear\n");
        foreach (var (key, value) in parameters)
        {
            text.Append(CultureInfo.InvariantCulture, $".parameter set {key} {(value is string s ? "\"'" + s + "'\"" : Convert.ToString(value, CultureInfo.InvariantCulture))}\n");
        }

        foreach (var (name, sql) in Statements)
        {
            text.Append("-- ReportSql.").Append(name).Append('\n').Append(sql.Sqlite).Append(";\n");
        }

        return text.ToString();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, IReadOnlyDictionary<string, object> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (key, value) in parameters)
        {
            if (sql.Contains(key, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(key, value);
            }
        }

        return command;
    }

    public static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
