using System.Text.Json;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;

namespace Hazards.Api.Features.Supervision;

/// <summary>A major risk (重大风险) of a unit as published: its colour, control measures and four responsible persons.</summary>
public sealed record MajorRiskView(
    Guid Id, string Name, RiskColour RiskColour, string Measures, ResponsiblePersons ResponsiblePersons, bool Complete,
    string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>One change to a board: a person set, changed or cleared, or a risk added, with the values before and after.</summary>
public sealed record BoardChange(
    int Seq, string Subject, string SubjectKey, string Change, JsonElement? OldValue, JsonElement? NewValue, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>A unit's responsibility board (包保责任公示牌): the four persons, its major risks, and every change to them.</summary>
public sealed record BoardView(
    Guid UnitId, string UnitName, string GridCode, ResponsiblePersons ResponsiblePersons, bool Complete,
    IReadOnlyList<MajorRiskView> MajorRisks, IReadOnlyList<BoardChange> History, int Version);

/// <summary>Reads boards; and the SQL the reports use to flag units whose board lacks any of the four persons.</summary>
public sealed class BoardReader(DbSession db, UnitReader units)
{
    /// <summary>
    /// Units under an org path (@PathFrom inclusive, @PathTo exclusive, as <c>Actor.PathFrom/PathTo</c>) whose
    /// board lacks any of the four responsible persons: the clearance report's 公示牌不全 count.
    /// </summary>
    internal static readonly Sql IncompleteBoard = Sql.Portable($"""
        SELECT COUNT(*) FROM units u
        WHERE u.org_path >= @PathFrom AND u.org_path < @PathTo AND {Incomplete}
        """);

    /// <summary>
    /// <see cref="IncompleteBoard"/> per child org unit: the child's code is the segment of the unit's path after
    /// the reported unit's (<c>@ChildStart</c>, <c>@ChildLength</c>, as the clearance report's statements take it).
    /// </summary>
    internal static readonly Sql IncompleteBoardByChild = new(IncompleteByChild("substr"), IncompleteByChild("SUBSTRING"));

    private const string Incomplete = "(SELECT COUNT(*) FROM unit_responsible_persons p WHERE p.unit_id = u.id) < 4";

    private static string IncompleteByChild(string substring) => $"""
        SELECT k.child AS Child, COUNT(*) AS IncompleteBoards
        FROM (
            SELECT {substring}(u.org_path, @ChildStart, @ChildLength) AS child
            FROM units u
            WHERE u.org_path >= @PathFrom AND u.org_path < @PathTo AND {Incomplete}
        ) k
        GROUP BY k.child
        """;

    internal static readonly Sql RisksOf = Sql.Portable("""
        SELECT r.id AS Id, r.name AS Name, r.risk_colour AS RiskColour, r.measures AS Measures, r.created_by AS CreatedBy, r.created_at AS CreatedAt
        FROM unit_major_risks r WHERE r.unit_id = @UnitId ORDER BY r.id
        """);

    internal static readonly Sql RiskPersonsOf = Sql.Portable("""
        SELECT p.risk_id AS RiskId, p.kind AS Kind, p.name AS Name, p.phone AS Phone, p.email AS Email
        FROM major_risk_persons p JOIN unit_major_risks r ON r.id = p.risk_id
        WHERE r.unit_id = @UnitId
        """);

    internal static readonly Sql HistoryOf = Sql.Portable("""
        SELECT h.seq AS Seq, h.subject AS Subject, h.subject_key AS SubjectKey, h.change_kind AS ChangeKind, h.old_value AS OldValue,
               h.new_value AS NewValue, h.changed_by AS ChangedBy, h.changed_at AS ChangedAt
        FROM unit_board_history h WHERE h.unit_id = @UnitId ORDER BY h.seq
        """);

    public static bool IsComplete(ResponsiblePersons p) =>
        p.Administrative is not null && p.IndustryRegulator is not null && p.ProfessionalRegulator is not null && p.Enterprise is not null;

    public async Task<BoardView> Read(Guid unitId, CancellationToken ct)
    {
        var (unit, _) = (await units.Find(unitId, ct))!.Value;
        var persons = (await db.Query<PersonRow>(RiskPersonsOf, new { UnitId = unitId }, ct)).ToLookup(p => p.RiskId);
        var risks = (await db.Query<RiskRow>(RisksOf, new { UnitId = unitId }, ct)).Select(r =>
        {
            var board = Persons(persons[r.Id].Select(p => (p.Kind, new ResponsiblePerson(p.Name, p.Phone, p.Email))));
            return new MajorRiskView(r.Id, r.Name, Wire.Parse<RiskColour>(r.RiskColour), r.Measures, board, IsComplete(board), r.CreatedBy, r.CreatedAt);
        }).ToList();
        var history = (await db.Query<HistoryRow>(HistoryOf, new { UnitId = unitId }, ct)).Select(h => new BoardChange(
            h.Seq, h.Subject, h.SubjectKey, h.ChangeKind, Json(h.OldValue), Json(h.NewValue), h.ChangedBy, h.ChangedAt)).ToList();
        return new BoardView(unit.Id, unit.Name, unit.GridCode, unit.ResponsiblePersons, IsComplete(unit.ResponsiblePersons), risks, history, unit.Version);
    }

    public static ResponsiblePersons Persons(IEnumerable<(string Kind, ResponsiblePerson Person)> rows)
    {
        var byKind = rows.ToDictionary(r => Wire.Parse<ResponsibleKind>(r.Kind), r => r.Person);
        return new ResponsiblePersons(
            byKind.GetValueOrDefault(ResponsibleKind.Administrative),
            byKind.GetValueOrDefault(ResponsibleKind.IndustryRegulator),
            byKind.GetValueOrDefault(ResponsibleKind.ProfessionalRegulator),
            byKind.GetValueOrDefault(ResponsibleKind.Enterprise));
    }

    public static IEnumerable<(ResponsibleKind Kind, ResponsiblePerson? Person)> Each(ResponsiblePersons? p) =>
    [
        (ResponsibleKind.Administrative, p?.Administrative),
        (ResponsibleKind.IndustryRegulator, p?.IndustryRegulator),
        (ResponsibleKind.ProfessionalRegulator, p?.ProfessionalRegulator),
        (ResponsibleKind.Enterprise, p?.Enterprise),
    ];

    private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();

    private sealed class RiskRow
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public string RiskColour { get; set; } = "";
        public string Measures { get; set; } = "";
        public string CreatedBy { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
    }

    private sealed class PersonRow
    {
        public Guid RiskId { get; set; }
        public string Kind { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Phone { get; set; }
        public string? Email { get; set; }
    }

    private sealed class HistoryRow
    {
        public int Seq { get; set; }
        public string Subject { get; set; } = "";
        public string SubjectKey { get; set; } = "";
        public string ChangeKind { get; set; } = "";
        public string? OldValue { get; set; }
        public string? NewValue { get; set; }
        public string ChangedBy { get; set; } = "";
        public DateTimeOffset ChangedAt { get; set; }
    }
}
