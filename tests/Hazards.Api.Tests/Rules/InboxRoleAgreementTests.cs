using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Hazards.Domain;
using Hazards.Domain.Cases;

namespace Hazards.Api.Tests.Rules;

/// <summary>
/// Who may take an inbox list's action has one home, <see cref="TransitionRoles"/>: for every role and several logins
/// (the reporters and fixers among them), <see cref="InboxRule.Offers"/> and <see cref="InboxRule.Where"/> alone must
/// pick the same generated cases, the table's roles and the guard both.
/// </summary>
public sealed class InboxRoleAgreementTests
{
    private static readonly (string Name, InboxRule Rule)[] Lists =
    [
        ("toTriage", TransitionRoles.ToTriage),
        ("toFix", TransitionRoles.ToFix),
        ("toVerify", TransitionRoles.ToVerify),
        ("plansToApprove", TransitionRoles.PlansToApprove),
        ("extensionsToDecide", TransitionRoles.ExtensionsToDecide),
        ("spotChecks", TransitionRoles.SpotChecks),
    ];

    private static readonly string[] Logins = [.. RuleCaseGenerator.Logins, "nobody"];

    private HazardsApp app = null!;
    private IReadOnlyList<RuleCase> cases = null!;

    public static IEnumerable<TestCaseData> ListNames() => Lists.Select(l => new TestCaseData(l.Name));

    [OneTimeSetUp]
    public async Task Start()
    {
        app = new HazardsApp();
        cases = RuleCaseGenerator.Generate(400, [HazardsApp.DefaultStart]);
        await RuleCaseGenerator.Insert(app, cases);
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCaseSource(nameof(ListNames))]
    public async Task OffersAndWhere_PickTheSameCases_ForEveryRoleAndLogin(string name)
    {
        var rule = Lists.Single(l => l.Name == name).Rule;
        var sql = Sql.Portable($"SELECT c.id FROM cases c WHERE {rule.Where}");
        var mismatches = new List<string>();
        var offered = 0;

        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var login in Logins)
            {
                var expected = cases.Where(c => rule.Offers(role, login, State(c))).Select(c => c.Id).ToHashSet();
                var actual = (await RuleDatabase.Query<string>(app, sql, new { Rank = (int)role, Login = login })).Select(Guid.Parse).ToHashSet();
                offered += expected.Count;
                if (!expected.SetEquals(actual))
                {
                    mismatches.Add($"{role} {login}: C# {expected.Count}, SQL {actual.Count}");
                }
            }
        }

        Assert.That(mismatches, Is.Empty);
        Assert.That(offered, Is.GreaterThan(0), "the list offers some cases to someone");
    }

    [Test]
    public void EveryRole_IsLeftOutOfSomeList_AndGetsSomeCaseOfAnother()
    {
        var members = Enum.GetValues<Role>().Where(r => r != Role.Public)
            .Select(role => Lists.Count(l => cases.Any(c => Logins.Any(login => l.Rule.Offers(role, login, State(c)))))).ToList();

        Assert.That(members, Has.All.InRange(1, Lists.Length - 1));
    }

    /// <summary>The generated row as the case's stored state, with the fields the rules read.</summary>
    private static HazardCaseState State(RuleCase c) => new()
    {
        Id = c.Id,
        Code = c.Code,
        Status = c.Status,
        Level = c.Level,
        Sector = default,
        Origin = default,
        Title = "A rule case",
        Description = "Generated for a rule agreement test",
        UnitId = c.UnitId,
        ResponsibleUnitId = c.ResponsibleUnitId,
        ReportedBy = c.ReportedBy,
        ReportedByRole = c.ReportedByRole,
        ReportedAt = c.ReportedAt,
        AssignedByRole = c.AssignedByRole,
        Deadline = c.Deadline,
        Plan = c.PlanSubmitted ? new RectificationPlan("plan part", "plan part", "plan part", "plan part", new DateOnly(2026, 12, 31), "plan part") : null,
        PlanApproved = c.PlanApproved,
        PendingExtension = c.ExtensionUntil is { } until ? new ExtensionRequest(until, "more time", "unit1", c.ReportedAt) : null,
        FixSubmittedBy = c.FixSubmittedBy,
        FixSubmittedAt = c.FixSubmittedAt,
        VerificationDeadline = c.VerificationDeadline,
        ReworkCount = c.ReworkCount,
    };
}
