using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class SupervisionTests
{
    [Test]
    public void ReportTip_WhenFromThePublic_IsAReportedAggravatedCaseByPublic()
    {
        var (hazard, change) = HazardCase.ReportTip(Hazard(origin: Origin.PublicTip) with { UnitId = null }, PublicIntake, ReportedAt, Calculator);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Reported));
        Assert.That(hazard.Origin, Is.EqualTo(Origin.PublicTip));
        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.Aggravated));
        Assert.That(hazard.ReportedBy, Is.EqualTo("public"));
        Assert.That(hazard.TriageDeadline, Is.Not.Null);
        Assert.That(change.Action, Is.EqualTo(CaseAction.ReportTip));
        Assert.That(change.Role, Is.EqualTo(Role.Public));
    }

    [Test]
    public void ReportTip_WhenNotOfOriginPublicTip_ThrowsTipInvalid()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            HazardCase.ReportTip(Hazard() with { UnitId = null }, PublicIntake, ReportedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.tip_invalid"));
    }

    [Test]
    public void Escalate_WithALowerStepOfALaterRound_KeepsTheHighestStepAndTheListing()
    {
        var hazard = Rectifying();
        hazard.Escalate(3, "fix", Guid.NewGuid(), Later);

        var change = hazard.Escalate(1, "fix", Guid.NewGuid(), Later.AddDays(10));

        Assert.That(hazard.EscalationStep, Is.EqualTo(3));
        Assert.That(hazard.Listed, Is.True);
        Assert.That(change.Details["step"], Is.EqualTo("1"), "the history row names the letter that was sent");
    }

    [Test]
    public void Escalate_ThenReopen_StartsTheLadderOver()
    {
        var hazard = FixSubmitted();
        hazard.Escalate(2, "verification", Guid.NewGuid(), Later);
        hazard.Verify(true, "Checked", Township, Later.AddHours(1));

        hazard.Reopen("Fake rectification", City, Later.AddDays(1), Calculator);
        hazard.Escalate(1, "fix", Guid.NewGuid(), Later.AddDays(20));

        Assert.That(hazard.EscalationStep, Is.EqualTo(1));
    }

    [Test]
    public void List_ThenClose_DelistsAndClearsTheListing()
    {
        var hazard = FixSubmitted();
        hazard.List(ListingLevel.District, "Repeated", new DateOnly(2026, 4, 30), District, Later);

        var closed = hazard.Verify(true, "Checked", Township, Later.AddHours(1));

        Assert.That(hazard.Listed, Is.False);
        Assert.That(hazard.ListedLevel, Is.Null);
        Assert.That(hazard.ListingDeadline, Is.Null);
        Assert.That(closed.Details["delisted"], Is.EqualTo("true"));
    }

    [Test]
    public void List_WhenCityLevelByADistrict_ThrowsForbidden()
    {
        var hazard = Rectifying();

        var error = Assert.Throws<DomainForbiddenException>(() =>
            hazard.List(ListingLevel.City, "Serious", new DateOnly(2026, 4, 30), District, Later));

        Assert.That(error.Code, Is.EqualTo("case.list_city_requires_admin"));
        Assert.That(hazard.Listed, Is.False);
    }

    [Test]
    public void List_WhenDistrictListedAndTheCityRaisesIt_RecordsThePreviousLevel()
    {
        var hazard = Listed(Rectifying());

        var change = hazard.List(ListingLevel.City, "Raise", new DateOnly(2026, 4, 30), City, Later);

        Assert.That(hazard.ListedLevel, Is.EqualTo(ListingLevel.City));
        Assert.That(change.Details["previousLevel"], Is.EqualTo("district"));
        Assert.That(change.Details["listingDeadline"], Is.EqualTo("2026-04-30"));
    }

    [Test]
    public void List_WhenAlreadyListedAtThatLevel_ThrowsAlreadyListed()
    {
        var hazard = Listed(Rectifying());

        var error = Assert.Throws<DomainRuleException>(() =>
            hazard.List(ListingLevel.District, "Again", new DateOnly(2026, 4, 30), District, Later));

        Assert.That(error.Code, Is.EqualTo("case.already_listed"));
    }

    [Test]
    public void List_WhenDeadlineIsToday_ThrowsDeadlineInPast()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Rectifying().List(ListingLevel.District, "Late", new DateOnly(2026, 3, 4), District, Later));

        Assert.That(error.Code, Is.EqualTo("case.listing_deadline_in_past"));
    }

    [Test]
    public void Delist_WhenCityListedAndTheDistrictTries_ThrowsForbidden()
    {
        var hazard = Listed(Rectifying(), ListingLevel.City);

        var error = Assert.Throws<DomainForbiddenException>(() => hazard.Delist("Done", District, Later));

        Assert.That(error.Code, Is.EqualTo("case.delist_city_requires_admin"));
        Assert.That(hazard.Listed, Is.True);
    }

    [Test]
    public void Delist_WhenNotListed_ThrowsNotListed()
    {
        var error = Assert.Throws<DomainRuleException>(() => Rectifying().Delist("Done", District, Later));

        Assert.That(error.Code, Is.EqualTo("case.not_listed"));
    }

    [Test]
    public void SpotCheck_WhenNotGenuine_ReopensAsFakeAndNamesTheVerifier()
    {
        var hazard = Closed();

        var change = hazard.SpotCheck(false, "Exit chained again", Evidence, District, Later.AddDays(5), Calculator);

        Assert.That(change.Action, Is.EqualTo(CaseAction.Reopen));
        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Rectifying));
        Assert.That(hazard.FakeRectification, Is.True);
        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.Aggravated));
        Assert.That(change.Details["closedBy"], Is.EqualTo("township-officer"));
        Assert.That(change.Details["spotCheck"], Is.EqualTo("notGenuine"));
        Assert.That(change.EvidenceIds, Is.EqualTo(Evidence));
    }

    [Test]
    public void SpotCheck_WhenGenuine_StaysClosedWithAHistoryRow()
    {
        var hazard = Closed();

        var change = hazard.SpotCheck(true, null, Evidence, District, Later.AddDays(5), Calculator);

        Assert.That(change.Action, Is.EqualTo(CaseAction.SpotCheckGenuine));
        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Closed));
        Assert.That(hazard.FakeRectification, Is.False);
    }

    [Test]
    public void SpotCheck_WithoutEvidence_ThrowsEvidenceRequired()
    {
        var error = Assert.Throws<DomainRuleException>(() => Closed().SpotCheck(true, null, [], District, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.evidence_required"));
    }

    [TestCase(10_000, 3_000, false)]
    [TestCase(100_000, 15_000, false)]
    [TestCase(5_000_000, 300_000, false)]
    [TestCase(100_000, 20_000, true)]
    public void RewardRules_StandardIsFifteenPercentWithinTheLimits(decimal fine, decimal amount, bool needsReason)
    {
        Assert.That(RewardRules.NeedsReason(fine, amount), Is.EqualTo(needsReason));
    }

    [Test]
    public void DecideReward_WhenAmountDiffersWithoutANote_ThrowsReasonRequired()
    {
        var hazard = MajorTip(CaseStatus.Closed);

        var error = Assert.Throws<DomainRuleException>(() =>
            hazard.DecideReward(new RewardDecision(100_000m, 20_000m, "2018 rules", null), District, Later));

        Assert.That(error.Code, Is.EqualTo("reward.reason_required"));
    }

    [Test]
    public void DecideReward_WhenAmountOutOfRange_ThrowsOutOfRange()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            MajorTip(CaseStatus.Closed).DecideReward(new RewardDecision(10_000m, 1_500m, "2018 rules", "small"), District, Later));

        Assert.That(error.Code, Is.EqualTo("reward.amount_out_of_range"));
    }

    [Test]
    public void DecideReward_WhenNotATip_ThrowsNotPublicTip()
    {
        var hazard = MajorFixSubmitted();

        var error = Assert.Throws<DomainRuleException>(() =>
            hazard.DecideReward(new RewardDecision(100_000m, 15_000m, "2018 rules", null), District, Later));

        Assert.That(error.Code, Is.EqualTo("reward.not_public_tip"));
    }

    [Test]
    public void DecideReward_WhenStandard_RecordsTheAmounts()
    {
        var change = MajorTip(CaseStatus.Rectifying).DecideReward(new RewardDecision(200_000m, 30_000m, "2018 rules art. 14", null), District, Later);

        Assert.That(change.Details["amount"], Is.EqualTo("30000.00"));
        Assert.That(change.Details["standardAmount"], Is.EqualTo("30000.00"));
        Assert.That(change.Details["deviates"], Is.EqualTo("false"));
    }
}
