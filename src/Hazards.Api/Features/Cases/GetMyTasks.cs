using Dapper;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Cases;

public sealed record GetMyTasksQuery : IQuery<MyTasks>;

/// <summary>The caller's inbox: what waits for them to act on, most urgent first (at most 50 of each).</summary>
public sealed record MyTasks(
    IReadOnlyList<CaseView> ToTriage,
    IReadOnlyList<CaseView> ToFix,
    IReadOnlyList<CaseView> ToVerify,
    IReadOnlyList<CaseView> PlansToApprove,
    IReadOnlyList<CaseView> ExtensionsToDecide,
    IReadOnlyList<CaseView> Overdue,
    IReadOnlyList<CaseView> SpotChecks);

public sealed class GetMyTasksHandler(DbSession db, ICurrentUser user, TimeProvider clock) : IQueryHandler<GetMyTasksQuery, MyTasks>
{
    private const int Take = 50;

    internal static readonly Sql ToTriage = Section("c.status = 'reported'");

    internal static readonly Sql ToFix = Section("c.status = 'rectifying'");

    internal static readonly Sql ToVerify = Section("""
        c.status = 'fixSubmitted' AND (c.fix_submitted_by IS NULL OR c.fix_submitted_by <> @Login)
        AND ((@Rank >= 3) OR (@Rank = 2 AND c.level = 'general') OR (@Rank = 0 AND c.level = 'general' AND c.reported_by = @Login))
        """);

    internal static readonly Sql PlansToApprove = Section("""
        c.status = 'rectifying' AND c.level = 'major' AND c.plan_goals IS NOT NULL AND c.plan_approved = 0
        """);

    internal static readonly Sql ExtensionsToDecide = Section("""
        c.status = 'rectifying' AND c.extension_until IS NOT NULL
        AND (c.assigned_by_role IS NULL OR c.assigned_by_role IN ('gridWorker', 'unitOfficer', 'townshipOfficer')
             OR (@Rank >= 3 AND c.assigned_by_role = 'districtRegulator') OR @Rank = 4)
        """);

    internal static readonly Sql OverdueCases = Section(ListCasesHandler.OverdueExpression);

    /// <summary>Closed cases drawn for a spot check (真查) whose finding is still to be recorded.</summary>
    internal static readonly Sql SpotChecks = Section("""
        c.status = 'closed' AND EXISTS (SELECT 1 FROM spot_check_tasks t WHERE t.case_id = c.id AND t.status = 'pending')
        """);

    public async ValueTask<MyTasks> Handle(GetMyTasksQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.GetUtcNow();
        var parameters = new DynamicParameters(CaseScope.Parameters(actor));
        parameters.AddDynamicParams(new { actor.Login, Rank = (int)actor.Role, Now = now, Take });

        async Task<IReadOnlyList<CaseView>> Read(Sql sql, bool allowed) => allowed
            ? (await db.Query<CaseRow>(sql, parameters, ct)).Select(r => CaseView.From(r.ToCase(), r.Place, now, history: null)).ToList()
            : [];

        var supervisor = actor.Role >= Role.TownshipOfficer;
        var fixer = actor.Role is Role.UnitOfficer or Role.GridWorker;
        return new MyTasks(
            await Read(ToTriage, supervisor),
            await Read(ToFix, fixer),
            await Read(ToVerify, actor.Role != Role.UnitOfficer),
            await Read(PlansToApprove, actor.Role >= Role.DistrictRegulator),
            await Read(ExtensionsToDecide, supervisor),
            await Read(OverdueCases, allowed: true),
            await Read(SpotChecks, actor.Role >= Role.DistrictRegulator));
    }

    private static Sql Section(string where)
    {
        var body = $"""
            SELECT {CaseRow.Columns}
            FROM cases c
            WHERE {CaseScope.RangePredicate} AND {where}
            ORDER BY c.deadline, c.reported_at, c.id
            """;
        return new Sql($"{body} LIMIT @Take", $"{body} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");
    }
}
