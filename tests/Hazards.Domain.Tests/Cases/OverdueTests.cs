using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class OverdueTests
{
    [TestCase("2026-03-03T15:59:59Z", false)]
    [TestCase("2026-03-03T16:00:00Z", true)]
    public void IsOverdue_WhenReported_MeasuresTheTriageDeadline(string now, bool overdue)
    {
        var hazard = Reported();

        Assert.That(hazard.IsOverdue(Utc(now)), Is.EqualTo(overdue));
    }

    [TestCase("2026-03-11T15:59:59Z", false)]
    [TestCase("2026-03-11T16:00:00Z", true)]
    public void IsOverdue_WhenRectifying_MeasuresTheFixDeadline(string now, bool overdue)
    {
        var hazard = Rectifying();

        Assert.That(hazard.IsOverdue(Utc(now)), Is.EqualTo(overdue));
    }

    [Test]
    public void IsOverdue_WhenFixSubmittedAfterTheFixDeadline_WaitsForTheVerificationDeadline()
    {
        var hazard = Rectifying();
        hazard.SubmitFix("Late", Evidence, UnitOfficer, Utc("2026-03-12T01:00:00Z"), Calculator);

        var overdue = hazard.IsOverdue(Utc("2026-03-12T02:00:00Z"));

        Assert.That(overdue, Is.False);
    }

    [Test]
    public void IsOverdue_WhenVerificationDeadlinePassed_IsTrue()
    {
        var hazard = FixSubmitted();

        var overdue = hazard.IsOverdue(Utc("2026-03-06T16:00:00Z"));

        Assert.That(overdue, Is.True);
    }

    [Test]
    public void IsOverdue_WhenClosedOrRejected_IsFalse()
    {
        var farFuture = Utc("2030-01-01T00:00:00Z");

        Assert.That(Closed().IsOverdue(farFuture), Is.False);
        Assert.That(Rejected().IsOverdue(farFuture), Is.False);
    }
}
