using System.Text;
using Dapper;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>The boards of the units under an org unit, for publication (公示), paged by unit id; <c>complete</c> filters.</summary>
public sealed record ListOrgBoardQuery(string Code, bool? Complete, int? Limit, string? Cursor) : IQuery<BoardPage>;

public sealed record BoardEntry(Guid UnitId, string UnitName, string GridCode, ResponsiblePersons ResponsiblePersons, bool Complete, int MajorRisks);

public sealed record BoardPage(IReadOnlyList<BoardEntry> Items, string? NextCursor);

public sealed class ListOrgBoardHandler(DbSession db, ICurrentUser user) : IQueryHandler<ListOrgBoardQuery, BoardPage>
{

    private static string Person(string alias, string kind) => $"""
        LEFT JOIN unit_responsible_persons {alias} ON {alias}.unit_id = u.id AND {alias}.kind = '{kind}'
        """;

    private static readonly string Body = $"""
        SELECT u.id AS UnitId, u.name AS UnitName, u.grid_code AS GridCode,
               pa.name AS AName, pa.phone AS APhone, pa.email AS AEmail,
               pi.name AS IName, pi.phone AS IPhone, pi.email AS IEmail,
               pp.name AS PName, pp.phone AS PPhone, pp.email AS PEmail,
               pe.name AS EName, pe.phone AS EPhone, pe.email AS EEmail,
               (SELECT COUNT(*) FROM unit_major_risks r WHERE r.unit_id = u.id) AS MajorRisks
        FROM units u
        {Person("pa", "administrative")}
        {Person("pi", "industryRegulator")}
        {Person("pp", "professionalRegulator")}
        {Person("pe", "enterprise")}
        WHERE u.org_path >= @PathFrom AND u.org_path < @PathTo
          AND (@IsUnitOfficer = 0 OR u.id IN (SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = @UserId))
          AND (@Complete IS NULL
               OR (CASE WHEN pa.name IS NOT NULL AND pi.name IS NOT NULL AND pp.name IS NOT NULL AND pe.name IS NOT NULL THEN 1 ELSE 0 END) = @Complete)
          AND (@After IS NULL OR u.id > @After)
        ORDER BY u.id
        """;

    internal static readonly Sql Page = new($"{Body} LIMIT @Take", $"{Body} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");

    internal static readonly Sql OrgPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code");

    public async ValueTask<BoardPage> Handle(ListOrgBoardQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var limit = Paging.Limit(query.Limit);

        var path = await db.Single<string>(OrgPath, new { query.Code }, ct);
        if (path is null || !actor.CoversPath(path))
        {
            throw ProblemException.NotFound("org_unit");
        }

        var parameters = new DynamicParameters(new
        {
            PathFrom = path,
            PathTo = OrgPaths.UpperBound(path),
            IsUnitOfficer = actor.Role == Role.UnitOfficer ? 1 : 0,
            actor.UserId,
            Complete = query.Complete is { } c ? (c ? 1 : 0) : (int?)null,
            After = DecodeCursor(query.Cursor),
            Take = limit + 1,
        });
        var rows = await db.Query<Row>(Page, parameters, ct);
        var items = rows.Take(limit).Select(r => r.Entry).ToList();
        return new BoardPage(items, rows.Count > limit ? EncodeCursor(items[^1].UnitId) : null);
    }

    private static string EncodeCursor(Guid id) => Cursor.Encode("b1", id.ToString("D"));

    private static Guid? DecodeCursor(string? cursor) => Cursor.Decode(cursor, "b1", 1) is not { } fields ? null : Cursor.Id(fields[0]);

    private sealed class Row
    {
        public Guid UnitId { get; set; }
        public string UnitName { get; set; } = "";
        public string GridCode { get; set; } = "";
        public string? AName { get; set; }
        public string? APhone { get; set; }
        public string? AEmail { get; set; }
        public string? IName { get; set; }
        public string? IPhone { get; set; }
        public string? IEmail { get; set; }
        public string? PName { get; set; }
        public string? PPhone { get; set; }
        public string? PEmail { get; set; }
        public string? EName { get; set; }
        public string? EPhone { get; set; }
        public string? EEmail { get; set; }
        public int MajorRisks { get; set; }

        public BoardEntry Entry
        {
            get
            {
                var persons = new ResponsiblePersons(P(AName, APhone, AEmail), P(IName, IPhone, IEmail), P(PName, PPhone, PEmail), P(EName, EPhone, EEmail));
                return new BoardEntry(UnitId, UnitName, GridCode, persons, BoardReader.IsComplete(persons), MajorRisks);
            }
        }

        private static ResponsiblePerson? P(string? name, string? phone, string? email) => name is null ? null : new(name, phone, email);
    }
}
