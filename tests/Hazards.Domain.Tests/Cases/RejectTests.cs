using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class RejectTests
{
    private static readonly Guid Original = Guid.Parse("55555555-5555-5555-5555-555555555555");

    [Test]
    public void Reject_WhenDuplicateOfAnotherCase_IsRejectedNamingTheOriginal()
    {
        var hazard = Reported();

        var change = hazard.Reject("Same door as the original", Original, Township, AssignedAt);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Rejected));
        Assert.That(hazard.RejectReason, Is.EqualTo("Same door as the original"));
        Assert.That(hazard.DuplicateOf, Is.EqualTo(Original));
        Assert.That(change.Reason, Is.EqualTo("Same door as the original"));
        Assert.That(change.Details["duplicateOf"], Is.EqualTo(Original.ToString()));
    }

    [Test]
    public void Reject_WhenReasonBlank_ThrowsReasonRequired()
    {
        var hazard = Reported();

        var error = Assert.Throws<DomainRuleException>(() => hazard.Reject("  ", null, Township, AssignedAt));

        Assert.That(error.Code, Is.EqualTo("case.reason_required"));
    }

    [Test]
    public void Reject_WhenDuplicateOfItself_ThrowsDuplicateOfSelf()
    {
        var hazard = Reported();

        var error = Assert.Throws<DomainRuleException>(() => hazard.Reject("Duplicate", hazard.Id, Township, AssignedAt));

        Assert.That(error.Code, Is.EqualTo("case.duplicate_of_self"));
    }

    [Test]
    public void Assign_WhenCaseWasRejected_ThrowsInvalidTransition()
    {
        var hazard = Rejected();

        var error = Assert.Throws<DomainRuleException>(
            () => hazard.Assign(null, null, null, null, District, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.invalid_transition"));
    }

    [Test]
    public void Reject_WhenGridWorkerTries_ThrowsRoleForbidden()
    {
        var hazard = Reported();

        var error = Assert.Throws<DomainForbiddenException>(() => hazard.Reject("No", null, GridReporter, AssignedAt));

        Assert.That(error.Code, Is.EqualTo("case.role_forbidden"));
    }
}
