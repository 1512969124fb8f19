using Hazards.Domain;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The district clearance report (清零/销号情况通报, design §9) of one org unit for the local days
/// <see cref="From"/>..<see cref="To"/>, measured up to <see cref="AsOf"/>: the end of <see cref="To"/>,
/// or now when the period reaches today (<see cref="Live"/>). <see cref="Previous"/> is the period of as many days just
/// before it, for comparison (环比). Definitions of every figure: docs/reports.md, "What each figure means".
/// </summary>
public sealed record ClearanceReport(
    OrgUnitRef OrgUnit,
    DateOnly From,
    DateOnly To,
    DateTimeOffset AsOf,
    bool Live,
    UnitMetrics Summary,
    IReadOnlyList<UnitMetrics> Children,
    IReadOnlyList<OpenMajorHazard> OpenMajorHazards,
    FakeFixes FakeFixes,
    IReadOnlyList<WeekTrend> Trend,
    ReportWeights Weights,
    PreviousPeriod? Previous);

public sealed record OrgUnitRef(string Code, string Name, OrgLevel Level);

/// <summary>A rate with what it is made of; absent (null) wherever its denominator is zero, never 0 or 100%.</summary>
public sealed record Rate(int Numerator, int Denominator, double Value)
{
    public static Rate? Of(int numerator, int denominator) =>
        denominator == 0 ? null : new Rate(numerator, denominator, Math.Round((double)numerator / denominator, 4));
}

/// <summary>One count split three ways; every level, sector and origin is present, with 0 where there is none.</summary>
public sealed record Breakdown(
    int Total,
    IReadOnlyDictionary<string, int> ByLevel,
    IReadOnlyDictionary<string, int> BySector,
    IReadOnlyDictionary<string, int> ByOrigin);

public sealed record CaseCounts(
    Breakdown New,
    Breakdown CarriedOver,
    Breakdown Closed,
    Breakdown Open,
    Breakdown Overdue,
    int FixedOnTime,
    int Rejected,
    int OpenMajor,
    int OpenOverdueMajor);

/// <summary>The events and sets the rates are made of, so that each rate can be checked by hand.</summary>
public sealed record Activity(
    int FixSubmissions,
    int Reworks,
    int Closes,
    int Reopens,
    int OnTimeDue,
    int Rectifying,
    int Extended,
    int NewSelfReported);

/// <summary>
/// The report's rates (docs/reports.md, "What each figure means"). OnTimeRectification: cases closed in the period that are still closed
/// and whose fix was submitted by their deadline ÷ (cases closed in the period ∪ cases open at the end whose fix
/// deadline fell in the period). CloseOut: closed ÷ (carried over + new). SelfReport: self-reported new ÷ new.
/// Rework: failed verifications ÷ fixes submitted, both in the period. Extension: extended ÷ assigned cases of the
/// period's caseload. Reopen: reopens ÷ close events in the period. Cadence: filled ÷ owed inspection slots.
/// </summary>
public sealed record Rates(
    Rate? OnTimeRectification,
    Rate? CloseOut,
    Rate? SelfReport,
    Rate? Rework,
    Rate? Extension,
    Rate? Reopen,
    Rate? Cadence);

/// <summary>Slots of one cadence whose period ended in the window: filled by a record (on time or late) or found missed.</summary>
public sealed record CadenceCompliance(string Cadence, int Filled, int Missed, int Owed, Rate? Rate);

public sealed record StepCount(int Step, string Name, int Count);

public sealed record ListedCounts(int Total, int District, int City);

public sealed record PenaltyCounts(int Exempt, int Aggravated);

/// <summary>Spot checks (真查) whose finding was recorded in the period, and of them those found to be fake fixes (假整改, the case reopened).</summary>
public sealed record SpotCheckCounts(int Checked, int FakeFixes);

/// <summary>
/// 签收 of the warnings (警示函 and above) due for it in the period: <see cref="InTime"/> acknowledged by their addressees by
/// their time ÷ <see cref="Due"/> is the 签收率; <see cref="MedianHours"/> the median hours from the notice to its acknowledgement.
/// </summary>
public sealed record AcknowledgementCounts(int Due, int InTime, Rate? Rate, double? MedianHours);

/// <summary>The period's fake fixes counted against the unit the case was on (its unit officers) and the verifier who had closed it.</summary>
public sealed record FakeFixes(IReadOnlyList<FakeFixUnit> ByUnit, IReadOnlyList<FakeFixVerifier> ByVerifier);

/// <summary>A unit (or none, for a case without one) with its fake fixes, and the child unit of the report it lies in.</summary>
public sealed record FakeFixUnit(Guid? UnitId, string? UnitName, string? ChildCode, string? ChildName, int Count);

/// <summary>A verifier, by login, with the fake fixes among the cases they had closed.</summary>
public sealed record FakeFixVerifier(string? Login, string? Name, int Count);

public sealed record UnitMetrics(
    string Code,
    string Name,
    OrgLevel Level,
    CaseCounts Cases,
    Activity Activity,
    Rates Rates,
    IReadOnlyList<CadenceCompliance> Cadence,
    IReadOnlyList<StepCount> NoticesByStep,
    IReadOnlyList<StepCount> OverdueByStep,
    ListedCounts Listed,
    PenaltyCounts Penalty,
    SpotCheckCounts SpotChecks,
    AcknowledgementCounts Acknowledgements,
    int IncompleteBoards,
    double? Score,
    int? Rank);

/// <summary>
/// An open major hazard (清零 target: none); working days are counted at <see cref="ClearanceReport.AsOf"/>, and
/// <see cref="EscalationStep"/> is null while the ladder has sent it no notice.
/// </summary>
public sealed record OpenMajorHazard(
    Guid Id,
    string Code,
    string Title,
    string Status,
    string? ChildCode,
    string? ChildName,
    string? UnitName,
    string PlanState,
    DateTimeOffset? Deadline,
    DateOnly? DeadlineDay,
    bool Overdue,
    int? WorkingDaysLeft,
    int? WorkingDaysOverdue,
    int? EscalationStep,
    bool Listed,
    string? ListedLevel);

/// <summary>One ISO week (Mon–Sun) of the period, cut to the period: cases newly reported and close events (销号).</summary>
public sealed record WeekTrend(string Week, DateOnly Start, DateOnly End, int New, int Closes);

/// <summary>
/// The period of as many days just before the report's (环比), measured at its own end, as <see cref="WeekTrend"/> counts them:
/// cases newly reported and close events. Absent when it would start before 0001-01-01.
/// </summary>
public sealed record PreviousPeriod(DateOnly From, DateOnly To, int New, int Closes);
