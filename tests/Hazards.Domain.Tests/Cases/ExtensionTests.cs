using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class ExtensionTests
{
    private static readonly DateOnly Until = new(2026, 3, 20);

    [Test]
    public void RequestExtension_WhenLaterThanTheDeadline_IsPendingAndKeepsTheDeadline()
    {
        var hazard = Rectifying();

        var change = hazard.RequestExtension(Until, "Parts on order", UnitOfficer, Later);

        Assert.That(hazard.PendingExtension, Is.EqualTo(new ExtensionRequest(Until, "Parts on order", "unit-officer", Later)));
        Assert.That(hazard.Deadline, Is.EqualTo(GeneralDeadline));
        Assert.That(change.Details["until"], Is.EqualTo("2026-03-20"));
        Assert.That(change.Reason, Is.EqualTo("Parts on order"));
    }

    [Test]
    public void RequestExtension_WhenOnTheDeadlinesDay_ThrowsExtensionNotLater()
    {
        var hazard = Rectifying();

        var error = Assert.Throws<DomainRuleException>(
            () => hazard.RequestExtension(new DateOnly(2026, 3, 11), "More time", UnitOfficer, Later));

        Assert.That(error.Code, Is.EqualTo("case.extension_not_later"));
    }

    [Test]
    public void RequestExtension_WhenReasonBlank_ThrowsReasonRequired()
    {
        var hazard = Rectifying();

        var error = Assert.Throws<DomainRuleException>(() => hazard.RequestExtension(Until, "", UnitOfficer, Later));

        Assert.That(error.Code, Is.EqualTo("case.reason_required"));
    }

    [Test]
    public void RequestExtension_WhenOneIsPending_ThrowsExtensionPending()
    {
        var hazard = WithPendingExtension();

        var error = Assert.Throws<DomainRuleException>(
            () => hazard.RequestExtension(Until.AddDays(5), "Even more", UnitOfficer, Later));

        Assert.That(error.Code, Is.EqualTo("case.extension_pending"));
    }

    [Test]
    public void DecideExtension_WhenApproved_MovesTheDeadlineAndCountsIt()
    {
        var hazard = WithPendingExtension();

        var change = hazard.DecideExtension(true, null, Township, Later);

        Assert.That(hazard.Deadline, Is.EqualTo(ChinaTime.EndOfDay(Until)));
        Assert.That(hazard.ExtensionCount, Is.EqualTo(1));
        Assert.That(hazard.PendingExtension, Is.Null);
        Assert.That(change.Details["approved"], Is.EqualTo("true"));
        Assert.That(change.Details["deadline"], Is.EqualTo("2026-03-20T15:59:59Z"));
    }

    [Test]
    public void DecideExtension_WhenRejectedWithReason_KeepsTheDeadlineAndClearsTheRequest()
    {
        var hazard = WithPendingExtension();

        var change = hazard.DecideExtension(false, "Parts are in stock locally", Township, Later);

        Assert.That(hazard.Deadline, Is.EqualTo(GeneralDeadline));
        Assert.That(hazard.ExtensionCount, Is.Zero);
        Assert.That(hazard.PendingExtension, Is.Null);
        Assert.That(change.Details["approved"], Is.EqualTo("false"));
    }

    [Test]
    public void DecideExtension_WhenRejectedWithoutReason_ThrowsReasonRequired()
    {
        var hazard = WithPendingExtension();

        var error = Assert.Throws<DomainRuleException>(() => hazard.DecideExtension(false, null, Township, Later));

        Assert.That(error.Code, Is.EqualTo("case.reason_required"));
        Assert.That(hazard.PendingExtension, Is.Not.Null);
    }

    [Test]
    public void DecideExtension_WhenNothingPending_ThrowsExtensionMissing()
    {
        var hazard = Rectifying();

        var error = Assert.Throws<DomainRuleException>(() => hazard.DecideExtension(true, null, Township, Later));

        Assert.That(error.Code, Is.EqualTo("case.extension_missing"));
    }

    [Test]
    public void DecideExtension_WhenDeciderRanksBelowTheAssigner_ThrowsForbiddenTooJunior()
    {
        var hazard = MajorRectifying();
        hazard.RequestExtension(new DateOnly(2027, 3, 31), "Rebuild", UnitOfficer, Later);

        var error = Assert.Throws<DomainForbiddenException>(() => hazard.DecideExtension(true, null, Township, Later));

        Assert.That(error.Code, Is.EqualTo("case.extension_decider_too_junior"));
    }
}
