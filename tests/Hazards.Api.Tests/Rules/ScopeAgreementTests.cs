using Dapper;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Hazards.Domain;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Rules;

/// <summary>
/// Org scope has one home, <see cref="CaseScope"/>: <see cref="CaseScope.Covers"/>, <see cref="CaseScope.Predicate"/>
/// (lists) and <see cref="CaseScope.RangePredicate"/> (the inbox) must pick the same cases for every kind of caller; and
/// the responsible side (<see cref="ResponsibleSide.Holds"/> and <see cref="ResponsibleSide.Predicate"/>) likewise.
/// </summary>
public sealed class ScopeAgreementTests
{
    private static readonly Sql ByPredicate = Sql.Portable($"SELECT c.id FROM cases c WHERE {CaseScope.Predicate}");

    private static readonly Sql ByRange = Sql.Portable($"SELECT c.id FROM cases c WHERE {CaseScope.RangePredicate}");

    private static readonly Sql ByResponsibleSide = Sql.Portable($"SELECT c.id FROM cases c WHERE {ResponsibleSide.Predicate}");

    private HazardsApp app = null!;
    private IReadOnlyList<RuleCase> cases = null!;

    /// <summary>Every role at each level of the tree it sits at, unit officers with no, one and several units.</summary>
    public static IEnumerable<Actor> Actors()
    {
        var n = 0;
        Actor Make(Role role, string path, params Guid[] units) =>
            new(new Guid($"00000000-0000-4000-9000-{++n:D12}"), $"{role}-{n}", $"Actor {n}", $"actor{n}@example.org", role,
                path.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1], path, units);

        yield return Make(Role.CityAdmin, "/500000/");
        yield return Make(Role.DistrictRegulator, "/500000/500103/");
        yield return Make(Role.DistrictRegulator, "/500000/500104/");
        foreach (var township in RuleCaseGenerator.TownshipPaths)
        {
            yield return Make(Role.TownshipOfficer, township);
        }

        yield return Make(Role.TownshipOfficer, "/500000/500103/500103001/500103001001/");
        foreach (var grid in RuleCaseGenerator.GridPaths.Take(4))
        {
            yield return Make(Role.GridWorker, grid);
        }

        var units = RuleCaseGenerator.UnitIds;
        var unitPath = RuleCaseGenerator.GridPaths[0];
        yield return Make(Role.UnitOfficer, unitPath);
        yield return Make(Role.UnitOfficer, unitPath, units[0]);
        yield return Make(Role.UnitOfficer, unitPath, units[3]);
        yield return Make(Role.UnitOfficer, unitPath, units[1], units[2]);
        yield return Make(Role.UnitOfficer, unitPath, units[4], units[5], units[6], units[7]);
        yield return Make(Role.GridWorker, RuleCaseGenerator.GridPaths[4], units[0]);
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        app = new HazardsApp();
        cases = RuleCaseGenerator.Generate(400, [HazardsApp.DefaultStart]);
        await RuleCaseGenerator.Insert(app, cases);
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
        foreach (var actor in Actors())
        {
            foreach (var unit in actor.UnitIds)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO user_units (user_id, unit_id) VALUES (@User, @Unit)",
                    new { User = RuleCaseGenerator.Text(actor.UserId), Unit = RuleCaseGenerator.Text(unit) });
            }
        }
    }

    [OneTimeTearDown]
    public void Stop() => app.Dispose();

    [TestCaseSource(nameof(Actors))]
    public async Task Covers_Predicate_AndRangePredicate_PickTheSameCases(Actor actor)
    {
        var expected = cases.Where(c => CaseScope.Covers(actor, c.OrgPath, c.UnitId, c.ResponsibleUnitId)).Select(c => c.Id).ToList();

        var byPredicate = await Ids(ByPredicate, actor);
        var byRange = await Ids(ByRange, actor);

        Assert.That(byPredicate, Is.EquivalentTo(expected), "Predicate");
        Assert.That(byRange, Is.EquivalentTo(expected), "RangePredicate");
    }

    [TestCaseSource(nameof(Actors))]
    public async Task ResponsibleSideHolds_AndPredicate_PickTheSameCases(Actor actor)
    {
        var expected = cases.Where(c => ResponsibleSide.Holds(actor, c.UnitId, c.ResponsibleUnitId)).Select(c => c.Id).ToList();

        var actual = await Ids(ByResponsibleSide, actor);

        Assert.That(actual, Is.EquivalentTo(expected));
    }

    [Test]
    public void Actors_SeeSomeCasesAndNotOthers_InEveryShapeOfScope()
    {
        var seen = Actors().Select(a => cases.Count(c => CaseScope.Covers(a, c.OrgPath, c.UnitId, c.ResponsibleUnitId))).ToList();

        // The city admin sees every case and the unit officer without units none; every other caller some, not all.
        Assert.That(seen.Count(s => s > 0 && s < cases.Count), Is.EqualTo(seen.Count - 2));
    }

    private async Task<List<Guid>> Ids(Sql sql, Actor actor) =>
        [.. (await RuleDatabase.Query<string>(app, sql, CaseScope.Parameters(actor))).Select(Guid.Parse)];
}
