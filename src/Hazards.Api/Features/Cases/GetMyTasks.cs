using System.Globalization;
using Dapper;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>The caller's inbox: the first page of every list, each with its total and the cursor of its next page.</summary>
public sealed record GetMyTasksQuery(int? Limit) : IQuery<MyTasks>;

/// <summary>One list of the inbox, paged: <c>GET /me/tasks/{list}?limit=&amp;cursor=</c>.</summary>
public sealed record GetTaskListQuery(string List, int? Limit, string? Cursor) : IQuery<TaskPage>;

/// <summary>A page of one list, the number of cases in the whole list, and the cursor of the next page (null at the end).</summary>
public sealed record TaskPage(IReadOnlyList<CaseView> Items, int Total, string? NextCursor);

/// <summary>What waits for the caller to act on, most urgent first: each list by the deadline of whoever holds the case.</summary>
public sealed record MyTasks(
    TaskPage ToTriage,
    TaskPage ToFix,
    TaskPage ToVerify,
    TaskPage PlansToApprove,
    TaskPage ExtensionsToDecide,
    TaskPage Overdue,
    TaskPage SpotChecks);

public sealed class GetMyTasksHandler(DbSession db, ICurrentUser user, TimeProvider clock)
    : IQueryHandler<GetMyTasksQuery, MyTasks>, IQueryHandler<GetTaskListQuery, TaskPage>
{
    // Who gets each list and on which cases is TransitionRoles' rule; the inbox adds only the caller's side and the draw.
    private static readonly string ToTriageWhere = TransitionRoles.ToTriage.Where;

    private static readonly string ToFixWhere = $"{TransitionRoles.ToFix.Where} AND {ResponsibleSide.Predicate}";

    private static readonly string ToVerifyWhere = TransitionRoles.ToVerify.Where;

    private static readonly string PlansToApproveWhere = TransitionRoles.PlansToApprove.Where;

    private static readonly string ExtensionsToDecideWhere = TransitionRoles.ExtensionsToDecide.Where;

    /// <summary>Closed cases drawn for a spot check (真查) whose finding is still to be recorded.</summary>
    private static readonly string SpotChecksWhere = $"""
        {TransitionRoles.SpotChecks.Where} AND EXISTS (SELECT 1 FROM spot_check_tasks t WHERE t.case_id = c.id AND t.status = 'pending')
        """;

    /// <summary>The deadline of whoever holds the case (a closed one: when it closed); the lists' order and cursor.</summary>
    private const string Urgency = """
        COALESCE(CASE c.status WHEN 'reported' THEN c.triage_deadline WHEN 'rectifying' THEN c.deadline
                               WHEN 'fixSubmitted' THEN c.verification_deadline ELSE c.closed_at END, c.reported_at)
        """;

    internal static readonly Sql ToTriagePage = Page(ToTriageWhere);
    internal static readonly Sql ToTriageCount = Count(ToTriageWhere);
    internal static readonly Sql ToFixPage = Page(ToFixWhere);
    internal static readonly Sql ToFixCount = Count(ToFixWhere);
    internal static readonly Sql ToVerifyPage = Page(ToVerifyWhere);
    internal static readonly Sql ToVerifyCount = Count(ToVerifyWhere);
    internal static readonly Sql PlansToApprovePage = Page(PlansToApproveWhere);
    internal static readonly Sql PlansToApproveCount = Count(PlansToApproveWhere);
    internal static readonly Sql ExtensionsToDecidePage = Page(ExtensionsToDecideWhere);
    internal static readonly Sql ExtensionsToDecideCount = Count(ExtensionsToDecideWhere);
    internal static readonly Sql OverduePage = Page(Domain.Cases.Overdue.Predicate);
    internal static readonly Sql OverdueCount = Count(Domain.Cases.Overdue.Predicate);
    internal static readonly Sql SpotChecksPage = Page(SpotChecksWhere);
    internal static readonly Sql SpotChecksCount = Count(SpotChecksWhere);

    /// <summary>The lists by their wire names, each with who gets it (the others get it empty).</summary>
    private static readonly Dictionary<string, (Sql Page, Sql Count, Func<Actor, bool> Allowed)> Lists = new(StringComparer.Ordinal)
    {
        ["toTriage"] = (ToTriagePage, ToTriageCount, a => TransitionRoles.ToTriage.Roles.Contains(a.Role)),
        ["toFix"] = (ToFixPage, ToFixCount, a => TransitionRoles.ToFix.Roles.Contains(a.Role)),
        ["toVerify"] = (ToVerifyPage, ToVerifyCount, a => TransitionRoles.ToVerify.Roles.Contains(a.Role)),
        ["plansToApprove"] = (PlansToApprovePage, PlansToApproveCount, a => TransitionRoles.PlansToApprove.Roles.Contains(a.Role)),
        ["extensionsToDecide"] = (ExtensionsToDecidePage, ExtensionsToDecideCount, a => TransitionRoles.ExtensionsToDecide.Roles.Contains(a.Role)),
        ["overdue"] = (OverduePage, OverdueCount, _ => true),
        ["spotChecks"] = (SpotChecksPage, SpotChecksCount, a => TransitionRoles.SpotChecks.Roles.Contains(a.Role)),
    };

    public async ValueTask<MyTasks> Handle(GetMyTasksQuery query, CancellationToken ct)
    {
        var limit = Paging.Limit(query.Limit);
        return new MyTasks(
            await Read("toTriage", limit, null, ct),
            await Read("toFix", limit, null, ct),
            await Read("toVerify", limit, null, ct),
            await Read("plansToApprove", limit, null, ct),
            await Read("extensionsToDecide", limit, null, ct),
            await Read("overdue", limit, null, ct),
            await Read("spotChecks", limit, null, ct));
    }

    public async ValueTask<TaskPage> Handle(GetTaskListQuery query, CancellationToken ct) =>
        Lists.ContainsKey(query.List)
            ? await Read(query.List, Paging.Limit(query.Limit), query.Cursor, ct)
            : throw ProblemException.NotFound("task_list");

    private async Task<TaskPage> Read(string name, int limit, string? cursor, CancellationToken ct)
    {
        var (page, count, allowed) = Lists[name];
        var after = DecodeCursor(name, cursor);
        var actor = user.Actor;
        if (!allowed(actor))
        {
            return new TaskPage([], 0, null);
        }

        var now = clock.GetUtcNow();
        var parameters = new DynamicParameters(CaseScope.Parameters(actor));
        parameters.AddDynamicParams(new { actor.Login, Rank = (int)actor.Role, Now = now, Take = limit + 1, AfterKey = after?.Key, AfterId = after?.Id });
        var rows = await db.Query<Hazards.Domain.Cases.HazardCaseState, CasePlace, TaskKey, (CaseView View, DateTimeOffset Urgency)>(
            page, parameters, $"{CaseColumns.PlaceStart},{nameof(TaskKey.Urgency)}",
            (state, place, key) => (CaseView.From(Hazards.Domain.Cases.HazardCase.Restore(state), place, now, history: null), key.Urgency), ct);
        var total = await db.Scalar<int>(count, parameters, ct);
        var items = rows.Take(limit).Select(r => r.View).ToList();
        var next = rows.Count > limit ? EncodeCursor(name, rows[limit - 1].Urgency, items[^1].Id) : null;
        return new TaskPage(items, total, next);
    }

    private static string EncodeCursor(string list, DateTimeOffset key, Guid id) =>
        Cursor.Encode("t1-" + list, key.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), id.ToString("D"));

    private static (DateTimeOffset Key, Guid Id)? DecodeCursor(string list, string? cursor) =>
        Cursor.Decode(cursor, "t1-" + list, 2) is not { } fields ? null : (Cursor.Instant(fields[0]), Cursor.Id(fields[1]));

    private static string Body(string where) => $"""
        SELECT {CaseColumns.Select}, {Urgency} AS Urgency
        FROM cases c
        WHERE {CaseScope.RangePredicate} AND {where}
          AND (@AfterKey IS NULL OR {Urgency} > @AfterKey OR ({Urgency} = @AfterKey AND c.id > @AfterId))
        ORDER BY {Urgency}, c.id
        """;

    private static Sql Page(string where) => new($"{Body(where)} LIMIT @Take", $"{Body(where)} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");

    private static Sql Count(string where) => Sql.Portable($"""
        SELECT COUNT(*) FROM cases c WHERE {CaseScope.RangePredicate} AND {where}
        """);

    /// <summary>The key a task row is ordered by, read after the case and its place.</summary>
    private sealed class TaskKey
    {
        public DateTimeOffset Urgency { get; init; }
    }
}
