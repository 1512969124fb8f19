using System.Globalization;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;

namespace Hazards.Domain.Tests.Cases;

/// <summary>Builds cases in a given state through the real moves, starting from a report on Monday 2026-03-02 10:00 local.</summary>
internal static class Scenario
{
    public static readonly DeadlineCalculator Calculator = new(WorkdayCalendar.Default, new DeadlinePolicy());

    public static readonly DateTimeOffset ReportedAt = Utc("2026-03-02T02:00:00Z");
    public static readonly DateTimeOffset AssignedAt = ReportedAt.AddHours(1);
    public static readonly DateTimeOffset Later = ReportedAt.AddDays(2);

    /// <summary>7 working days after Monday 2026-03-02: Wednesday 2026-03-11, 23:59:59 local.</summary>
    public static readonly DateTimeOffset GeneralDeadline = Utc("2026-03-11T15:59:59Z");

    public static readonly CaseActor GridReporter = new("grid-reporter", Role.GridWorker);
    public static readonly CaseActor OtherGridWorker = new("grid-other", Role.GridWorker);
    public static readonly CaseActor UnitOfficer = new("unit-officer", Role.UnitOfficer);
    public static readonly CaseActor Township = new("township-officer", Role.TownshipOfficer);
    public static readonly CaseActor District = new("district-regulator", Role.DistrictRegulator);
    public static readonly CaseActor City = new("city-admin", Role.CityAdmin);
    public static readonly CaseActor PublicIntake = new("public", Role.Public);

    public static readonly Guid UnitId = new("11111111-1111-1111-1111-111111111111");
    public static readonly IReadOnlyList<Guid> Evidence = [new("22222222-2222-2222-2222-222222222222")];
    public const string Clause = "GB 50016-2014 §5.5.17";

    public static DateTimeOffset Utc(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    public static CaseActor As(Role role) => role switch
    {
        Role.Public => PublicIntake,
        Role.GridWorker => GridReporter,
        Role.UnitOfficer => UnitOfficer,
        Role.TownshipOfficer => Township,
        Role.DistrictRegulator => District,
        _ => City,
    };

    public static NewHazard Hazard(
        HazardLevel level = HazardLevel.General,
        Origin origin = Origin.GridPatrol,
        bool fixedOnSpot = false,
        string? clause = null,
        IReadOnlyList<Guid>? evidence = null) =>
        new(new Guid("33333333-3333-3333-3333-333333333333"), "YH-500103-2026-000001", "Blocked fire exit",
            "The east stairwell door is chained.", Sector.Fire, origin, UnitId, "500103001001001", level, clause,
            fixedOnSpot, evidence ?? []);

    public static RectificationPlan Plan(DateOnly? timeLimit = null) =>
        new("Restore two exits", "Replace doors", "12,000 yuan", "Safety officer Li", timeLimit ?? new DateOnly(2026, 6, 30),
            "Fire watch until done");

    public static HazardCase Reported(Origin origin = Origin.GridPatrol, CaseActor? reporter = null) =>
        HazardCase.Report(Hazard(origin: origin), reporter ?? GridReporter, ReportedAt, Calculator).Case;

    public static HazardCase Rectifying(Origin origin = Origin.GridPatrol, CaseActor? reporter = null)
    {
        var hazard = Reported(origin, reporter);
        hazard.Assign(null, null, null, null, Township, AssignedAt, Calculator);
        return hazard;
    }

    public static HazardCase MajorRectifying(bool submitPlan = false, bool approvePlan = false)
    {
        var hazard = Reported();
        hazard.Assign(HazardLevel.Major, Clause, null, null, District, AssignedAt, Calculator);
        if (submitPlan || approvePlan)
        {
            hazard.SubmitPlan(Plan(), UnitOfficer, AssignedAt.AddHours(1));
        }

        if (approvePlan)
        {
            hazard.ApprovePlan(District, AssignedAt.AddHours(2), Calculator);
        }

        return hazard;
    }

    public static HazardCase WithPendingExtension()
    {
        var hazard = Rectifying();
        hazard.RequestExtension(new DateOnly(2026, 3, 20), "Parts on order", UnitOfficer, AssignedAt.AddHours(1));
        return hazard;
    }

    public static HazardCase FixSubmitted(Origin origin = Origin.GridPatrol, CaseActor? reporter = null)
    {
        var hazard = Rectifying(origin, reporter);
        hazard.SubmitFix("Chain removed", Evidence, UnitOfficer, ReportedAt.AddDays(1), Calculator);
        return hazard;
    }

    public static HazardCase MajorFixSubmitted()
    {
        var hazard = MajorRectifying(approvePlan: true);
        hazard.SubmitFix("Doors replaced", Evidence, UnitOfficer, ReportedAt.AddDays(1), Calculator);
        return hazard;
    }

    public static HazardCase Closed()
    {
        var hazard = FixSubmitted();
        hazard.Verify(true, "Checked on site", Township, ReportedAt.AddDays(1).AddHours(2));
        return hazard;
    }

    /// <summary>A public tip confirmed as major by the district and brought to <paramref name="state"/>.</summary>
    public static HazardCase MajorTip(CaseStatus state)
    {
        var hazard = HazardCase.ReportTip(Hazard(origin: Origin.PublicTip) with { UnitId = null }, PublicIntake, ReportedAt, Calculator).Case;
        hazard.Assign(HazardLevel.Major, Clause, UnitId, null, District, AssignedAt, Calculator);
        if (state == CaseStatus.Rectifying)
        {
            return hazard;
        }

        hazard.SubmitPlan(Plan(), UnitOfficer, AssignedAt.AddHours(1));
        hazard.ApprovePlan(District, AssignedAt.AddHours(2), Calculator);
        hazard.SubmitFix("Doors replaced", Evidence, UnitOfficer, ReportedAt.AddDays(1), Calculator);
        if (state == CaseStatus.Closed)
        {
            hazard.Verify(true, "Inspected", District, ReportedAt.AddDays(1).AddHours(2));
        }

        return hazard;
    }

    public static HazardCase Listed(HazardCase hazard, ListingLevel level = ListingLevel.District) =>
        HazardCase.Restore(hazard.ToState() with { Listed = true, ListedLevel = level });

    public static HazardCase Rejected()
    {
        var hazard = Reported();
        hazard.Reject("Not a hazard", null, Township, AssignedAt);
        return hazard;
    }
}
