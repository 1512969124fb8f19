using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class RestoreTests
{
    [Test]
    public void Restore_WhenEveryStoredFieldIsSet_RoundTripsEveryField()
    {
        var state = StateWithEveryFieldSet();

        var restored = HazardCase.Restore(state);

        Assert.That(typeof(HazardCaseState).GetProperties().Where(p => IsDefault(p.GetValue(state))), Is.Empty);
        Assert.That(restored.ToState(), Is.EqualTo(state));
        Assert.That(restored.Version, Is.EqualTo(7));
    }

    private static bool IsDefault(object? value) =>
        value is null || (value.GetType().IsValueType && value.Equals(Activator.CreateInstance(value.GetType())));

    private static HazardCaseState StateWithEveryFieldSet() => new()
    {
        Id = Guid.Parse("66666666-6666-6666-6666-666666666666"),
        Code = "YH-500103-2026-000009",
        Status = CaseStatus.Closed,
        Level = HazardLevel.Major,
        Sector = Sector.Gas,
        Origin = Origin.SpotCheck,
        Title = "Gas leak",
        Description = "Valve corroded",
        StandardClause = Clause,
        UnitId = UnitId,
        GridCode = "500103001001001",
        ResponsibleUnitId = Guid.Parse("77777777-7777-7777-7777-777777777777"),
        ReportedBy = "district-regulator",
        ReportedByRole = Role.DistrictRegulator,
        ReportedAt = ReportedAt,
        TriageDeadline = ReportedAt.AddDays(1),
        AssignedBy = "city-admin",
        AssignedByRole = Role.CityAdmin,
        AssignedAt = AssignedAt,
        Deadline = GeneralDeadline,
        Plan = Plan(),
        PlanApproved = true,
        PendingExtension = new ExtensionRequest(new DateOnly(2026, 8, 1), "Rain", "unit-officer", Later),
        ExtensionCount = 2,
        FixSubmittedBy = "unit-officer",
        FixSubmittedAt = Later,
        VerificationDeadline = Later.AddDays(14),
        ClosedAt = Later.AddDays(3),
        ClosedBy = "district-regulator",
        FixedOnSpot = true,
        SelfReported = true,
        Penalty = Penalty.Exempt,
        ReworkCount = 1,
        Listed = true,
        ListedLevel = ListingLevel.City,
        ListingDeadline = new DateOnly(2026, 5, 31),
        FakeRectification = true,
        EscalationStep = 3,
        RejectReason = "Was rejected once",
        DuplicateOf = Guid.Parse("88888888-8888-8888-8888-888888888888"),
        Version = 7,
    };
}
