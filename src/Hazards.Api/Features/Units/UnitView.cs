using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;

namespace Hazards.Api.Features.Units;

public sealed record ResponsiblePerson(string Name, string? Phone, string? Email);

public sealed record ResponsiblePersons(
    ResponsiblePerson? Administrative,
    ResponsiblePerson? IndustryRegulator,
    ResponsiblePerson? ProfessionalRegulator,
    ResponsiblePerson? Enterprise);

public sealed record UnitView(
    Guid Id,
    string Name,
    string? CreditCode,
    string GridCode,
    IReadOnlyList<Sector> Sectors,
    RiskColour RiskColour,
    string? Address,
    ResponsiblePersons ResponsiblePersons,
    int Version,
    DateTimeOffset CreatedAt,
    string? Code = null,
    DateTimeOffset? ClosedAt = null);

/// <summary>Reads a unit with its responsible persons; shared by the unit's queries and commands.</summary>
public sealed class UnitReader(DbSession db)
{
    internal static readonly Sql UnitById = Sql.Portable("""
        SELECT id AS Id, name AS Name, credit_code AS CreditCode, grid_code AS GridCode, org_path AS OrgPath,
               sectors AS Sectors, risk_colour AS RiskColour, address AS Address, version AS Version, created_at AS CreatedAt,
               code AS Code, closed_at AS ClosedAt
        FROM units WHERE id = @Id
        """);

    internal static readonly Sql PersonsOf = Sql.Portable("""
        SELECT kind AS Kind, name AS Name, phone AS Phone, email AS Email
        FROM unit_responsible_persons WHERE unit_id = @Id
        """);

    public async Task<(UnitView View, string OrgPath)?> Find(Guid id, CancellationToken ct)
    {
        var row = await db.Single<UnitRow>(UnitById, new { Id = id }, ct);
        if (row is null)
        {
            return null;
        }

        var persons = (await db.Query<PersonRow>(PersonsOf, new { Id = id }, ct))
            .ToDictionary(p => Wire.Parse<ResponsibleKind>(p.Kind), p => new ResponsiblePerson(p.Name, p.Phone, p.Email));
        var view = new UnitView(
            row.Id,
            row.Name,
            row.CreditCode,
            row.GridCode,
            row.Sectors.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Wire.Parse<Sector>).ToList(),
            Wire.Parse<RiskColour>(row.RiskColour),
            row.Address,
            new ResponsiblePersons(
                persons.GetValueOrDefault(ResponsibleKind.Administrative),
                persons.GetValueOrDefault(ResponsibleKind.IndustryRegulator),
                persons.GetValueOrDefault(ResponsibleKind.ProfessionalRegulator),
                persons.GetValueOrDefault(ResponsibleKind.Enterprise)),
            row.Version,
            row.CreatedAt,
            row.Code,
            row.ClosedAt);
        return (view, row.OrgPath);
    }

    private sealed class UnitRow
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = "";

        public string? CreditCode { get; set; }

        public string GridCode { get; set; } = "";

        public string OrgPath { get; set; } = "";

        public string Sectors { get; set; } = "";

        public string RiskColour { get; set; } = "";

        public string? Address { get; set; }

        public int Version { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public string? Code { get; set; }

        public DateTimeOffset? ClosedAt { get; set; }
    }

    private sealed class PersonRow
    {
        public string Kind { get; set; } = "";

        public string Name { get; set; } = "";

        public string? Phone { get; set; }

        public string? Email { get; set; }
    }
}
