using Dapper;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>Cases in the caller's scope, newest first, filtered and paged by an opaque cursor.</summary>
public sealed record ListCasesQuery(
    string? Status,
    string? Level,
    string? Sector,
    string? OrgUnit,
    bool? Overdue,
    bool? Listed,
    int? Limit,
    string? Cursor) : IQuery<CasePage>;

public sealed record CasePage(IReadOnlyList<CaseView> Items, string? NextCursor);

public sealed class ListCasesHandler(DbSession db, ICurrentUser user, TimeProvider clock) : IQueryHandler<ListCasesQuery, CasePage>
{
    private const string SqliteAfter = "c.id < coalesce(@After, '~')";

    private const string SqlServerAfter = "(@After IS NULL OR c.id < @After)";

    private static string Body(string after) => $"""
        SELECT {CaseColumns.Select}
        FROM cases c
        WHERE {CaseScope.Predicate}
          AND (@Status IS NULL OR c.status = @Status)
          AND (@Level IS NULL OR c.level = @Level)
          AND (@Sector IS NULL OR c.sector = @Sector)
          AND (@OrgFrom IS NULL OR (c.org_path >= @OrgFrom AND c.org_path < @OrgTo))
          AND (@Listed IS NULL OR c.listed = @Listed)
          AND (@Overdue IS NULL OR (CASE WHEN {Overdue.Predicate} THEN 1 ELSE 0 END) = @Overdue)
          AND {after}
        ORDER BY c.id DESC
        """;

    // SQLite plans a statement once, before its parameters are known: "@After IS NULL OR …" cannot bound the
    // primary-key scan, so every page walked down from the newest case. A plain range does (ids are lower-case
    // hex text, all below '~'); the plan is then a search from the cursor down, whatever the page's depth.
    internal static readonly Sql Page = new(
        $"{Body(SqliteAfter)} LIMIT @Take", $"{Body(SqlServerAfter)} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");

    internal static readonly Sql OrgPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code");

    public async ValueTask<CasePage> Handle(ListCasesQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var limit = Paging.Limit(query.Limit);

        var parameters = new DynamicParameters(CaseScope.Parameters(actor));
        parameters.AddDynamicParams(new
        {
            Status = Filter<CaseStatus>(query.Status, "status"),
            Level = Filter<HazardLevel>(query.Level, "level"),
            Sector = Filter<Sector>(query.Sector, "sector"),
            Listed = query.Listed,
            Overdue = query.Overdue is { } o ? (o ? 1 : 0) : (int?)null,
            Now = clock.GetUtcNow(),
            After = DecodeCursor(query.Cursor),
            Take = limit + 1,
        });
        var (orgFrom, orgTo) = await OrgRange(query.OrgUnit, actor, ct);
        parameters.Add("OrgFrom", orgFrom);
        parameters.Add("OrgTo", orgTo);

        var now = clock.GetUtcNow();
        var rows = await db.Query<HazardCaseState, CasePlace, CaseView>(
            Page, parameters, CaseColumns.PlaceStart, (state, place) => CaseView.From(HazardCase.Restore(state), place, now, history: null), ct);
        var items = rows.Take(limit).ToList();
        return new CasePage(items, rows.Count > limit ? EncodeCursor(items[^1].Id) : null);
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

    private static string? Filter<TEnum>(string? value, string name)
        where TEnum : struct, Enum =>
        value is null ? null
        : Wire.TryParse<TEnum>(value, out var parsed) ? Wire.Name(parsed)
        : throw ProblemException.BadRequest("request.invalid_filter", $"'{value}' is not a known {name}.");

    public static string EncodeCursor(Guid id) => Cursor.Encode("c1", id.ToString("D"));

    private static Guid? DecodeCursor(string? cursor) =>
        Cursor.Decode(cursor, "c1", 1) is not { } fields ? null
        : Guid.TryParseExact(fields[0], "D", out var id) ? id
        : throw Cursor.Invalid();
}
