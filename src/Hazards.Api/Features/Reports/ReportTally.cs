using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Hazards.Domain.Escalation;
using Hazards.Domain.Inspections;

namespace Hazards.Api.Features.Reports;

/// <summary>One row of <see cref="ReportSql.Cases"/>: the sums of one (child unit, level, sector, origin) group.</summary>
public sealed class CaseGroupRow
{
    public string Child { get; set; } = "";
    public string Level { get; set; } = "";
    public string Sector { get; set; } = "";
    public string Origin { get; set; } = "";
    public int New { get; set; }
    public int NewSelfReported { get; set; }
    public int CarriedOver { get; set; }
    public int Closed { get; set; }
    public int FixedOnTime { get; set; }
    public int OnTimeDue { get; set; }
    public int OpenAtEnd { get; set; }
    public int Overdue { get; set; }
    public int Rejected { get; set; }
    public int Rectifying { get; set; }
    public int Extended { get; set; }
    public int Exempt { get; set; }
    public int Aggravated { get; set; }
    public int ListedDistrict { get; set; }
    public int ListedCity { get; set; }
    public int FixSubmissions { get; set; }
    public int Reworks { get; set; }
    public int Reopens { get; set; }
    public int Closes { get; set; }
    public int OverdueStep0 { get; set; }
    public int OverdueStep1 { get; set; }
    public int OverdueStep2 { get; set; }
    public int OverdueStep3 { get; set; }
    public int OverdueStep4 { get; set; }
}

public sealed class CadenceGroupRow
{
    public string Child { get; set; } = "";
    public string Cadence { get; set; } = "";
    public int Filled { get; set; }
    public int Missed { get; set; }
}

public sealed class NoticeGroupRow
{
    public string Child { get; set; } = "";
    public int Step { get; set; }
    public int Notices { get; set; }
}

public sealed class SpotCheckGroupRow
{
    public string Child { get; set; } = "";
    public int Checked { get; set; }
    public int FakeFixes { get; set; }
}

public sealed class AcknowledgementRow
{
    public string Child { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset AcknowledgeBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
}

public sealed class BoardGroupRow
{
    public string Child { get; set; } = "";
    public int IncompleteBoards { get; set; }
}

/// <summary>Adds the grouped rows of one unit (a child, or the report's unit itself) into its metrics.</summary>
internal sealed class ReportTally
{
    private readonly BreakdownTally newCases = new();
    private readonly BreakdownTally carriedOver = new();
    private readonly BreakdownTally closed = new();
    private readonly BreakdownTally open = new();
    private readonly BreakdownTally overdue = new();
    private readonly int[] overdueSteps = new int[5];
    private readonly int[] noticeSteps = new int[5];
    private readonly Dictionary<string, (int Filled, int Missed)> cadence = new(StringComparer.Ordinal);
    private int fixedOnTime, rejected, newSelf, onTimeDue, rectifying, extended, exempt, aggravated;
    private int listedDistrict, listedCity, fixes, reworks, reopens, closes;
    private int spotChecks, fakeFixes, incompleteBoards;
    private int acknowledgementsDue, acknowledgedInTime;
    private readonly List<double> hoursToAcknowledge = [];

    public void Add(CaseGroupRow r)
    {
        newCases.Add(r, r.New);
        carriedOver.Add(r, r.CarriedOver);
        closed.Add(r, r.Closed);
        open.Add(r, r.OpenAtEnd);
        overdue.Add(r, r.Overdue);
        fixedOnTime += r.FixedOnTime;
        rejected += r.Rejected;
        newSelf += r.NewSelfReported;
        onTimeDue += r.OnTimeDue;
        rectifying += r.Rectifying;
        extended += r.Extended;
        exempt += r.Exempt;
        aggravated += r.Aggravated;
        listedDistrict += r.ListedDistrict;
        listedCity += r.ListedCity;
        fixes += r.FixSubmissions;
        reworks += r.Reworks;
        reopens += r.Reopens;
        closes += r.Closes;
        int[] steps = [r.OverdueStep0, r.OverdueStep1, r.OverdueStep2, r.OverdueStep3, r.OverdueStep4];
        for (var i = 0; i < steps.Length; i++)
        {
            overdueSteps[i] += steps[i];
        }
    }

    public void Add(CadenceGroupRow r)
    {
        var (filled, missed) = cadence.GetValueOrDefault(r.Cadence);
        cadence[r.Cadence] = (filled + r.Filled, missed + r.Missed);
    }

    public void Add(NoticeGroupRow r) => noticeSteps[Math.Clamp(r.Step, 0, 4)] += r.Notices;

    public void Add(SpotCheckGroupRow r)
    {
        spotChecks += r.Checked;
        fakeFixes += r.FakeFixes;
    }

    public void Add(BoardGroupRow r) => incompleteBoards += r.IncompleteBoards;

    public void Add(AcknowledgementRow r)
    {
        acknowledgementsDue++;
        if (r.AcknowledgedAt is { } at)
        {
            acknowledgedInTime += at <= r.AcknowledgeBy ? 1 : 0;
            hoursToAcknowledge.Add((at - r.CreatedAt).TotalHours);
        }
    }

    /// <summary>The middle of the acknowledged notices' hours to 签收 (the mean of the two middle ones for an even count), to a tenth of an hour.</summary>
    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return Math.Round(sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, 1);
    }

    public UnitMetrics ToMetrics(string code, string name, OrgLevel level, ReportWeights weights)
    {
        var newBreakdown = newCases.ToBreakdown();
        var carriedBreakdown = carriedOver.ToBreakdown();
        var closedBreakdown = closed.ToBreakdown();
        var openBreakdown = open.ToBreakdown();
        var overdueBreakdown = overdue.ToBreakdown();
        var major = Wire.Name(HazardLevel.Major);
        var cases = new CaseCounts(newBreakdown, carriedBreakdown, closedBreakdown, openBreakdown, overdueBreakdown, fixedOnTime, rejected,
            openBreakdown.ByLevel[major], overdueBreakdown.ByLevel[major]);
        var activity = new Activity(fixes, reworks, closes, reopens, onTimeDue, rectifying, extended, newSelf);
        var cadences = Enum.GetValues<Cadence>().Select(c =>
        {
            var (filled, missed) = cadence.GetValueOrDefault(Wire.Name(c));
            return new CadenceCompliance(Wire.Name(c), filled, missed, filled + missed, Rate.Of(filled, filled + missed));
        }).ToList();
        var rates = new Rates(
            OnTimeRectification: Rate.Of(fixedOnTime, onTimeDue),
            CloseOut: Rate.Of(closedBreakdown.Total, carriedBreakdown.Total + newBreakdown.Total),
            SelfReport: Rate.Of(newSelf, newBreakdown.Total),
            Rework: Rate.Of(reworks, fixes),
            Extension: Rate.Of(extended, rectifying),
            Reopen: Rate.Of(reopens, closes),
            Cadence: Rate.Of(cadences.Sum(c => c.Filled), cadences.Sum(c => c.Owed)));
        return new UnitMetrics(code, name, level, cases, activity, rates, cadences,
            Steps(noticeSteps), Steps(overdueSteps), new ListedCounts(listedDistrict + listedCity, listedDistrict, listedCity),
            new PenaltyCounts(exempt, aggravated), new SpotCheckCounts(spotChecks, fakeFixes),
            new AcknowledgementCounts(acknowledgementsDue, acknowledgedInTime, Rate.Of(acknowledgedInTime, acknowledgementsDue), Median(hoursToAcknowledge)),
            incompleteBoards, ReportScoring.Score(rates, cases.OpenOverdueMajor, weights), Rank: null);
    }

    private static List<StepCount> Steps(int[] counts) =>
        counts.Select((count, step) => new StepCount(step, EscalationLadder.StepName(step), count)).ToList();

    private sealed class BreakdownTally
    {
        private readonly Dictionary<string, int> byLevel = Zeroes<HazardLevel>();
        private readonly Dictionary<string, int> bySector = Zeroes<Sector>();
        private readonly Dictionary<string, int> byOrigin = Zeroes<Origin>();
        private int total;

        public void Add(CaseGroupRow row, int count)
        {
            total += count;
            byLevel[row.Level] = byLevel.GetValueOrDefault(row.Level) + count;
            bySector[row.Sector] = bySector.GetValueOrDefault(row.Sector) + count;
            byOrigin[row.Origin] = byOrigin.GetValueOrDefault(row.Origin) + count;
        }

        public Breakdown ToBreakdown() => new(total, new Dictionary<string, int>(byLevel), new Dictionary<string, int>(bySector), new Dictionary<string, int>(byOrigin));

        private static Dictionary<string, int> Zeroes<TEnum>()
            where TEnum : struct, Enum =>
            Enum.GetValues<TEnum>().ToDictionary(v => Wire.Name(v), _ => 0, StringComparer.Ordinal);
    }
}
