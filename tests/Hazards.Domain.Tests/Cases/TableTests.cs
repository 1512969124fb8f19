using Hazards.Domain.Cases;

namespace Hazards.Domain.Tests.Cases;

/// <summary>Pins the table to design §4 so the walk above compares against the right rows.</summary>
public sealed class TableTests
{
    private const Role Grid = Role.GridWorker;
    private const Role Unit = Role.UnitOfficer;
    private const Role Town = Role.TownshipOfficer;
    private const Role District = Role.DistrictRegulator;
    private const Role City = Role.CityAdmin;

    [TestCase(null, CaseAction.Report, CaseStatus.Reported, new[] { Grid, Unit, Town, District, City })]
    [TestCase(null, CaseAction.ReportFixedOnSpot, CaseStatus.FixSubmitted, new[] { Grid, Unit })]
    [TestCase(CaseStatus.Reported, CaseAction.Assign, CaseStatus.Rectifying, new[] { Town, District, City })]
    [TestCase(CaseStatus.Reported, CaseAction.Reject, CaseStatus.Rejected, new[] { Town, District, City })]
    [TestCase(CaseStatus.Rectifying, CaseAction.SubmitPlan, CaseStatus.Rectifying, new[] { Grid, Unit })]
    [TestCase(CaseStatus.Rectifying, CaseAction.ApprovePlan, CaseStatus.Rectifying, new[] { District, City })]
    [TestCase(CaseStatus.Rectifying, CaseAction.RequestExtension, CaseStatus.Rectifying, new[] { Grid, Unit })]
    [TestCase(CaseStatus.Rectifying, CaseAction.DecideExtension, CaseStatus.Rectifying, new[] { Town, District, City })]
    [TestCase(CaseStatus.Rectifying, CaseAction.SubmitFix, CaseStatus.FixSubmitted, new[] { Grid, Unit })]
    [TestCase(CaseStatus.FixSubmitted, CaseAction.VerifyPass, CaseStatus.Closed, new[] { Grid, Town, District, City })]
    [TestCase(CaseStatus.FixSubmitted, CaseAction.VerifyFail, CaseStatus.Rectifying, new[] { Grid, Town, District, City })]
    [TestCase(CaseStatus.Closed, CaseAction.Reopen, CaseStatus.Rectifying, new[] { District, City })]
    [TestCase(null, CaseAction.ReportTip, CaseStatus.Reported, new[] { Role.Public })]
    [TestCase(CaseStatus.Reported, CaseAction.List, CaseStatus.Reported, new[] { District, City })]
    [TestCase(CaseStatus.Rectifying, CaseAction.List, CaseStatus.Rectifying, new[] { District, City })]
    [TestCase(CaseStatus.FixSubmitted, CaseAction.List, CaseStatus.FixSubmitted, new[] { District, City })]
    [TestCase(CaseStatus.Reported, CaseAction.Delist, CaseStatus.Reported, new[] { District, City })]
    [TestCase(CaseStatus.Rectifying, CaseAction.Delist, CaseStatus.Rectifying, new[] { District, City })]
    [TestCase(CaseStatus.FixSubmitted, CaseAction.Delist, CaseStatus.FixSubmitted, new[] { District, City })]
    [TestCase(CaseStatus.Closed, CaseAction.SpotCheckGenuine, CaseStatus.Closed, new[] { District, City })]
    [TestCase(CaseStatus.Rectifying, CaseAction.Reward, CaseStatus.Rectifying, new[] { District, City })]
    [TestCase(CaseStatus.FixSubmitted, CaseAction.Reward, CaseStatus.FixSubmitted, new[] { District, City })]
    [TestCase(CaseStatus.Closed, CaseAction.Reward, CaseStatus.Closed, new[] { District, City })]
    public void Find_WhenLookingUpADesignRow_ReturnsItsTargetAndRoles(
        CaseStatus? from, CaseAction action, CaseStatus to, Role[] roles)
    {
        var row = Lifecycle.Find(from, action);

        Assert.That(row, Is.Not.Null);
        Assert.That(row!.To, Is.EqualTo(to));
        Assert.That(row.Roles, Is.EquivalentTo(roles));
        Assert.That(row.Guard, Is.Not.Empty);
    }

    [Test]
    public void Table_WhenRead_HasOneRowPerStateAndActionAndNothingLeavesRejected()
    {
        var table = Lifecycle.Table;

        Assert.That(table.Select(t => t.Action).Distinct(), Is.EquivalentTo(Enum.GetValues<CaseAction>()));
        Assert.That(table.Select(t => (t.From, t.Action)), Is.Unique);
        Assert.That(table.Where(t => t.From == CaseStatus.Rejected), Is.Empty);
    }

    [Test]
    public void Table_WhenRead_OverlaysAndRewardsKeepTheState()
    {
        var holding = Lifecycle.Table.Where(t => t.Action is CaseAction.List or CaseAction.Delist or CaseAction.SpotCheckGenuine or CaseAction.Reward);

        Assert.That(holding.Select(t => t.To), Is.EqualTo(holding.Select(t => t.From!.Value)));
    }

    [Test]
    public void Check_WhenRoleNeverTakesTheAction_ThrowsForbiddenEvenInTheWrongState()
    {
        var error = Assert.Throws<DomainForbiddenException>(() => Lifecycle.Check(CaseStatus.Closed, CaseAction.Assign, Grid));

        Assert.That(error.Code, Is.EqualTo("case.role_forbidden"));
    }

    [Test]
    public void Check_WhenRoleMayActButTheStateIsWrong_ThrowsInvalidTransition()
    {
        var error = Assert.Throws<DomainRuleException>(() => Lifecycle.Check(CaseStatus.Closed, CaseAction.Assign, Town));

        Assert.That(error.Code, Is.EqualTo("case.invalid_transition"));
    }

    [Test]
    public void Find_WhenNoRowMatches_ReturnsNull()
    {
        var row = Lifecycle.Find(CaseStatus.Rejected, CaseAction.Reopen);

        Assert.That(row, Is.Null);
    }
}
