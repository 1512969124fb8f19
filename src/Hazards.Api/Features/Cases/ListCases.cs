using System.Text.Json.Serialization;
using Dapper;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// Cases in the caller's scope, filtered and paged by an opaque cursor. The order is the order of report, newest
/// first: case ids are time-ordered (UUIDv7 taken when the case is reported), and the list walks them down.
/// Days are Asia/Shanghai days: <c>reportedFrom</c> and <c>reportedTo</c> include both ends, <c>deadlineBefore</c>
/// takes deadlines before the start of that day. <c>total=true</c> also counts every case the filters match.
/// </summary>
public sealed record ListCasesQuery(
    string? Status,
    string? Level,
    string? Sector,
    string? OrgUnit,
    bool? Overdue,
    bool? Listed,
    int? Limit,
    string? Cursor,
    string? Code = null,
    string? Q = null,
    string? Origin = null,
    Guid? UnitId = null,
    string? Reporter = null,
    DateOnly? ReportedFrom = null,
    DateOnly? ReportedTo = null,
    DateOnly? DeadlineBefore = null,
    bool? Total = null) : IQuery<CasePage>;

/// <summary>A page of cases; <see cref="Total"/>, the count of every match, is only there when asked for with <c>total=true</c>.</summary>
public sealed record CasePage(
    IReadOnlyList<CaseView> Items,
    string? NextCursor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Total = null);

public sealed class ListCasesHandler(DbSession db, ICurrentUser user, TimeProvider clock) : IQueryHandler<ListCasesQuery, CasePage>
{
    public const int MaxSearchLength = Paging.MaxSearchLength;

    private const string SqliteAfter = "c.id < coalesce(@After, '~')";

    private const string SqlServerAfter = "(@After IS NULL OR c.id < @After)";

    // '[' is a wildcard of SQL Server's LIKE; SQLite takes the escaped '[' as itself.
    private const string Matches = @"LIKE @Q ESCAPE '\'";

    private static readonly string Where = $"""
        WHERE {CaseScope.Predicate}
          AND (@Status IS NULL OR c.status = @Status)
          AND (@Level IS NULL OR c.level = @Level)
          AND (@Sector IS NULL OR c.sector = @Sector)
          AND (@Origin IS NULL OR c.origin = @Origin)
          AND (@Code IS NULL OR c.code = @Code)
          AND (@UnitId IS NULL OR c.unit_id = @UnitId)
          AND (@Reporter IS NULL OR c.reported_by = @Reporter)
          AND (@ReportedFrom IS NULL OR c.reported_at >= @ReportedFrom)
          AND (@ReportedBefore IS NULL OR c.reported_at < @ReportedBefore)
          AND (@DeadlineBefore IS NULL OR c.deadline < @DeadlineBefore)
          AND (@Q IS NULL OR c.title {Matches} OR c.description {Matches} OR c.address {Matches})
          AND (@OrgFrom IS NULL OR (c.org_path >= @OrgFrom AND c.org_path < @OrgTo))
          AND (@Listed IS NULL OR c.listed = @Listed)
          AND (@Overdue IS NULL OR (CASE WHEN {Overdue.Predicate} THEN 1 ELSE 0 END) = @Overdue)
        """;

    private static string Body(string driver, string after) => $"""
        SELECT {CaseColumns.Select}
        FROM cases c
        {Where}
          AND {driver}
          AND {after}
        ORDER BY c.id DESC
        """;

    // SQLite plans a statement once, before its parameters are known: "@After IS NULL OR …" cannot bound the
    // primary-key scan, so every page walked down from the newest case. A plain range does (ids are lower-case
    // hex text, all below '~'); the plan is then a search from the cursor down, whatever the page's depth.
    private static Sql PageBy(string driver) =>
        new($"{Body(driver, SqliteAfter)} LIMIT @Take", $"{Body(driver, SqlServerAfter)} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");

    private static Sql CountBy(string driver) => Sql.Portable($"SELECT COUNT(*) FROM cases c {Where} AND {driver}");

    // For the same reason each filter that an index can answer has its own statement, in which it is a plain
    // condition the planner can search by (the optional form in Where stays, and holds too). Walking the key down
    // serves a filter that many cases meet, which meets its page soon; a code, a reporter, a unit or an origin is read
    // from its index in the list's order, and a text in a district or narrower from the text index of its range of
    // paths (ix_cases_text), so a word few cases hold does not walk every case for its few rows.
    private const string Everything = "1 = 1";
    private const string ByCode = "c.code = @Code";
    private const string ByReporter = "c.reported_by = @Reporter";
    private const string ByUnit = "c.unit_id = @UnitId";
    private const string ByOrigin = "c.origin = @Origin";
    private static readonly string TextInRange = $"""
        c.id IN (SELECT t.id FROM cases t
                 WHERE t.org_path >= @RangeFrom AND t.org_path < @RangeTo
                   AND (t.title {Matches} OR t.description {Matches} OR t.address {Matches}))
        """;

    internal static readonly Sql Page = PageBy(Everything);
    internal static readonly Sql PageByCode = PageBy(ByCode);
    internal static readonly Sql PageByReporter = PageBy(ByReporter);
    internal static readonly Sql PageByUnit = PageBy(ByUnit);
    internal static readonly Sql PageByOrigin = PageBy(ByOrigin);
    internal static readonly Sql PageByText = PageBy(TextInRange);

    internal static readonly Sql Count = CountBy(Everything);
    internal static readonly Sql CountByCode = CountBy(ByCode);
    internal static readonly Sql CountByReporter = CountBy(ByReporter);
    internal static readonly Sql CountByUnit = CountBy(ByUnit);
    internal static readonly Sql CountByOrigin = CountBy(ByOrigin);
    internal static readonly Sql CountByText = CountBy(TextInRange);

    internal static readonly Sql OrgPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code");

    public async ValueTask<CasePage> Handle(ListCasesQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var limit = Paging.Limit(query.Limit);
        var from = Days.InRange(query.ReportedFrom, "reportedFrom");
        var to = Days.InRange(query.ReportedTo, "reportedTo");
        if (from > to)
        {
            throw ProblemException.BadRequest("request.invalid_filter", "reportedFrom must not be after reportedTo.");
        }

        var now = clock.GetUtcNow();
        var parameters = new DynamicParameters(CaseScope.Parameters(actor));
        parameters.AddDynamicParams(new
        {
            Status = Filter<CaseStatus>(query.Status, "status"),
            Level = Filter<HazardLevel>(query.Level, "level"),
            Sector = Filter<Sector>(query.Sector, "sector"),
            Origin = Filter<Origin>(query.Origin, "origin"),
            Code = Text(query.Code, "code"),
            query.UnitId,
            Reporter = Text(query.Reporter, "reporter"),
            ReportedFrom = from is { } f ? ChinaTime.StartOfDay(f) : (DateTimeOffset?)null,
            ReportedBefore = to is { } t ? ChinaTime.StartOfDay(t.AddDays(1)) : (DateTimeOffset?)null,
            DeadlineBefore = Days.InRange(query.DeadlineBefore, "deadlineBefore") is { } d ? ChinaTime.StartOfDay(d) : (DateTimeOffset?)null,
            Q = Text(query.Q, "q") is { } q ? LikePattern.Containing(q) : null,
            Listed = query.Listed,
            Overdue = query.Overdue is { } o ? (o ? 1 : 0) : (int?)null,
            Now = now,
            After = DecodeCursor(query.Cursor),
            Take = limit + 1,
        });
        var (orgFrom, orgTo) = await OrgRange(query.OrgUnit, actor, ct);
        parameters.Add("OrgFrom", orgFrom);
        parameters.Add("OrgTo", orgTo);

        // The narrowest range of paths the rows lie in: the org unit asked for, else the caller's own (a unit
        // officer's cases lie under any path). A text is searched by the range's text index below the city.
        var (rangeFrom, rangeTo) = orgFrom is not null ? (orgFrom, orgTo!)
            : actor.Role == Role.UnitOfficer ? ("/", OrgPaths.UpperBound("/"))
            : (actor.PathFrom, actor.PathTo);
        parameters.Add("RangeFrom", rangeFrom);
        parameters.Add("RangeTo", rangeTo);
        var (page, count) = query.Code is not null ? (PageByCode, CountByCode)
            : query.Reporter is not null ? (PageByReporter, CountByReporter)
            : query.UnitId is not null ? (PageByUnit, CountByUnit)
            : query.Q is not null && OrgPaths.Depth(rangeFrom) >= 1 ? (PageByText, CountByText)
            : query.Origin is not null ? (PageByOrigin, CountByOrigin)
            : (Page, Count);

        var rows = await db.Query<HazardCaseState, CasePlace, CaseView>(
            page, parameters, CaseColumns.PlaceStart, (state, place) => CaseView.From(HazardCase.Restore(state), place, now, history: null), ct);
        var items = rows.Take(limit).ToList();
        var total = query.Total == true ? await db.Scalar<long>(count, parameters, ct) : (long?)null;
        return new CasePage(items, rows.Count > limit ? EncodeCursor(items[^1].Id) : null, total);
    }

    private async Task<(string? From, string? To)> OrgRange(string? code, Actor actor, CancellationToken ct)
    {
        if (code is null)
        {
            return (null, null);
        }

        var path = await db.Single<string>(OrgPath, new { Code = code }, ct);
        return path is not null && actor.CoversPath(path) ? (path, OrgPaths.UpperBound(path)) : throw ProblemException.NotFound("org_unit");
    }

    private static string? Text(string? value, string name) =>
        value is null ? null
        : value.Trim() is { Length: >= 1 and <= MaxSearchLength } trimmed && PlainText.FirstRefused(trimmed) < 0 ? trimmed
        : throw ProblemException.BadRequest("request.invalid_filter",
            $"{name} must be 1 to {MaxSearchLength} characters of plain text.");

    private static string? Filter<TEnum>(string? value, string name)
        where TEnum : struct, Enum =>
        value is null ? null
        : Wire.TryParse<TEnum>(value, out var parsed) ? Wire.Name(parsed)
        : throw ProblemException.BadRequest("request.invalid_filter", $"'{value}' is not a known {name}.");

    public static string EncodeCursor(Guid id) => Cursor.Encode("c1", id.ToString("D"));

    private static Guid? DecodeCursor(string? cursor) =>
        Cursor.Decode(cursor, "c1", 1) is not { } fields ? null : Cursor.Id(fields[0]);
}
