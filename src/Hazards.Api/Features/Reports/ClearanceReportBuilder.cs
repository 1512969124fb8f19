using Hazards.Api.Features.Supervision;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;
using Hazards.Domain.Inspections;

namespace Hazards.Api.Features.Reports;

/// <summary>An org unit as the report reads it.</summary>
public sealed class ReportOrgUnit
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Level { get; set; } = "";
    public string Path { get; set; } = "";
}

/// <summary>
/// Computes a clearance report live from the database: five grouped statements over the unit's subtree
/// (cases, inspection slots, notices, open major hazards, daily trend), added up per child unit here.
/// Used by the report route after its scope check and by the weekly mail job.
/// </summary>
public sealed class ClearanceReportBuilder(DbSession db, DeadlineCalculator deadlines, ReportWeights weights)
{
    public Task<ReportOrgUnit?> FindUnit(string code, CancellationToken ct) => db.Single<ReportOrgUnit>(ReportSql.OrgUnit, new { Code = code }, ct);

    /// <summary>The report of <paramref name="unit"/> for the local days <paramref name="from"/>..<paramref name="to"/>, measured up to the end of <paramref name="to"/> or <paramref name="now"/>, whichever is first.</summary>
    public async Task<ClearanceReport> Build(ReportOrgUnit unit, DateOnly from, DateOnly to, DateTimeOffset now, CancellationToken ct)
    {
        var children = await db.Query<ReportOrgUnit>(ReportSql.Children, new { unit.Code }, ct);
        var (parameters, end, live) = Parameters(unit, children, from, to, now);
        var summary = new ReportTally();
        var tallies = children.ToDictionary(c => c.Code, _ => new ReportTally(), StringComparer.Ordinal);
        foreach (var row in await db.Query<CaseGroupRow>(ReportSql.Cases, parameters, ct))
        {
            summary.Add(row);
            tallies.GetValueOrDefault(row.Child)?.Add(row);
        }

        foreach (var row in await db.Query<CadenceGroupRow>(ReportSql.Cadence, parameters, ct))
        {
            summary.Add(row);
            tallies.GetValueOrDefault(row.Child)?.Add(row);
        }

        foreach (var row in await db.Query<NoticeGroupRow>(ReportSql.Notices, parameters, ct))
        {
            summary.Add(row);
            tallies.GetValueOrDefault(row.Child)?.Add(row);
        }

        foreach (var row in await db.Query<SpotCheckGroupRow>(ReportSql.SpotChecks, parameters, ct))
        {
            summary.Add(row);
            tallies.GetValueOrDefault(row.Child)?.Add(row);
        }

        foreach (var row in await db.Query<AcknowledgementRow>(ReportSql.Acknowledgements, parameters, ct))
        {
            summary.Add(row);
            tallies.GetValueOrDefault(row.Child)?.Add(row);
        }

        foreach (var row in await db.Query<BoardGroupRow>(BoardReader.IncompleteBoardByChild, parameters, ct))
        {
            summary.Add(row);
            tallies.GetValueOrDefault(row.Child)?.Add(row);
        }

        var childMetrics = ReportScoring.Ranked(children
            .Select(c => tallies[c.Code].ToMetrics(c.Code, c.Name, Wire.Parse<OrgLevel>(c.Level), weights))
            .ToList());
        var majors = await OpenMajors(parameters, children, live ? now : end.AddTicks(-1), ct);
        var trend = await Trend(parameters, from, ChinaTime.LocalDate(end.AddTicks(-1)), ct);
        var fakeFixes = await FakeFixes(parameters, children, ct);
        var previous = await Previous(unit, children, from, ChinaTime.LocalDate(end.AddTicks(-1)), now, ct);
        return new ClearanceReport(new OrgUnitRef(unit.Code, unit.Name, Wire.Parse<OrgLevel>(unit.Level)), from, to, end, live,
            summary.ToMetrics(unit.Code, unit.Name, Wire.Parse<OrgLevel>(unit.Level), weights), childMetrics, majors, fakeFixes, trend, weights, previous);
    }

    /// <summary>The days before <paramref name="from"/>, as many as <paramref name="from"/>..<paramref name="lastDay"/>, by the trend's own statement.</summary>
    private async Task<PreviousPeriod?> Previous(
        ReportOrgUnit unit, IReadOnlyList<ReportOrgUnit> children, DateOnly from, DateOnly lastDay, DateTimeOffset now, CancellationToken ct)
    {
        var days = lastDay.DayNumber - from.DayNumber + 1;
        if (from.DayNumber < days)
        {
            return null;
        }

        var (start, end) = (from.AddDays(-days), from.AddDays(-1));
        var weeks = await Trend(Parameters(unit, children, start, end, now).Parameters, start, end, ct);
        return new PreviousPeriod(start, end, weeks.Sum(w => w.New), weeks.Sum(w => w.Closes));
    }

    /// <summary>The statements' parameters for the period, its end (the end of <paramref name="to"/>, or now when sooner) and whether that is now.</summary>
    internal static (ReportParameters Parameters, DateTimeOffset End, bool Live) Parameters(
        ReportOrgUnit unit, IReadOnlyList<ReportOrgUnit> children, DateOnly from, DateOnly to, DateTimeOffset now)
    {
        var start = ChinaTime.StartOfDay(from);
        var periodEnd = ChinaTime.StartOfDay(to.AddDays(1));
        var live = periodEnd > now;
        var end = live ? now : periodEnd;
        // Events bound by [Start, End); a live report includes what happened at this very instant.
        var eventsEnd = live ? now.AddTicks(1) : periodEnd;
        var parameters = new ReportParameters(
            PathFrom: unit.Path,
            PathTo: OrgPaths.UpperBound(unit.Path),
            ChildStart: unit.Path.Length + 1,
            ChildLength: children.Count == 0 ? 0 : children[0].Code.Length,
            Start: start,
            End: eventsEnd,
            Now: end,
            FromDay: from,
            LastEndedDay: ChinaTime.LocalDate(end).AddDays(-1));
        return (parameters, end, live);
    }

    private async Task<List<OpenMajorHazard>> OpenMajors(object parameters, IReadOnlyList<ReportOrgUnit> children, DateTimeOffset at, CancellationToken ct)
    {
        var names = children.ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal);
        var rows = await db.Query<MajorRow>(ReportSql.OpenMajors, parameters, ct);
        return rows.Select(r =>
        {
            var past = r.Deadline is { } d && at > d;
            return new OpenMajorHazard(r.Id, r.Code, r.Title, r.Status, names.ContainsKey(r.Child) ? r.Child : null, names.GetValueOrDefault(r.Child),
                r.UnitName, r.PlanState, r.Deadline, r.Deadline is { } day ? ChinaTime.LocalDate(day) : null, r.Overdue,
                r.Deadline is { } left && !past ? deadlines.WorkingDaysUntil(left, at) : null,
                r.Deadline is { } due && past ? deadlines.WorkingDaysOverdue(due, at) : null,
                r.EscalationStep, r.Listed, r.ListedLevel);
        }).ToList();
    }

    private async Task<FakeFixes> FakeFixes(object parameters, IReadOnlyList<ReportOrgUnit> children, CancellationToken ct)
    {
        var names = children.ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal);
        var units = (await db.Query<FakeFixUnitRow>(ReportSql.FakeFixesByUnit, parameters, ct))
            .Select(r => new FakeFixUnit(r.UnitId, r.UnitName, names.ContainsKey(r.Child) ? r.Child : null, names.GetValueOrDefault(r.Child), r.FakeFixes))
            .ToList();
        var verifiers = (await db.Query<FakeFixVerifierRow>(ReportSql.FakeFixesByVerifier, parameters, ct))
            .Select(r => new FakeFixVerifier(r.Login, r.Name, r.FakeFixes))
            .ToList();
        return new FakeFixes(units, verifiers);
    }

    private async Task<List<WeekTrend>> Trend(object parameters, DateOnly from, DateOnly lastDay, CancellationToken ct)
    {
        var days = (await db.Query<TrendRow>(ReportSql.Trend, parameters, ct))
            .ToDictionary(r => DateOnly.ParseExact(r.Day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var weeks = new List<WeekTrend>();
        for (var week = Period.Containing(Cadence.Weekly, from); week.Start <= lastDay; week = week.Next())
        {
            var first = week.Start < from ? from : week.Start;
            var last = week.End > lastDay ? lastDay : week.End;
            var inWeek = days.Where(d => d.Key >= first && d.Key <= last).Select(d => d.Value).ToList();
            weeks.Add(new WeekTrend(week.Key, first, last, inWeek.Sum(d => d.New), inWeek.Sum(d => d.Closes)));
        }

        return weeks;
    }

    internal sealed record ReportParameters(
        string PathFrom, string PathTo, int ChildStart, int ChildLength, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Now,
        DateOnly FromDay, DateOnly LastEndedDay);

    private sealed class MajorRow
    {
        public Guid Id { get; set; }
        public string Code { get; set; } = "";
        public string Title { get; set; } = "";
        public string Status { get; set; } = "";
        public string Child { get; set; } = "";
        public string? UnitName { get; set; }
        public string PlanState { get; set; } = "";
        public DateTimeOffset? Deadline { get; set; }
        public int? EscalationStep { get; set; }
        public bool Listed { get; set; }
        public string? ListedLevel { get; set; }
        public bool Overdue { get; set; }
    }

    private sealed class FakeFixUnitRow
    {
        public Guid? UnitId { get; set; }
        public string? UnitName { get; set; }
        public string Child { get; set; } = "";
        public int FakeFixes { get; set; }
    }

    private sealed class FakeFixVerifierRow
    {
        public string? Login { get; set; }
        public string? Name { get; set; }
        public int FakeFixes { get; set; }
    }

    private sealed class TrendRow
    {
        public string Day { get; set; } = "";
        public int New { get; set; }
        public int Closes { get; set; }
    }
}
