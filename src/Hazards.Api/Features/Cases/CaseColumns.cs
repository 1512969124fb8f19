using System.Reflection;
using System.Text;
using Dapper;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// Where a case sits and what the domain does not need: its scope path, district and location, with the geohash cell of
/// its position (<see cref="Hazards.Domain.Places.Geohash"/>) that nearby reports are found by.
/// </summary>
public sealed record CasePlace(
    string OrgPath, string DistrictCode, double? Latitude, double? Longitude, string? Address, Guid? InspectionRecordId = null,
    string? Geocell = null)
{
    /// <summary>A place at a position in WGS-84, or at none, with its cell.</summary>
    public static CasePlace At(string orgPath, string districtCode, Hazards.Domain.Places.LatLng? position, string? address, Guid? inspectionRecordId = null) =>
        new(orgPath, districtCode, position?.Latitude, position?.Longitude, address, inspectionRecordId,
            position is { } p ? Hazards.Domain.Places.Geohash.Encode(p) : null);

    /// <summary>For the row mapper, which fills the place by name.</summary>
    public CasePlace()
        : this("", "", null, null, null)
    {
    }
}

/// <summary>
/// The columns of <c>cases</c>: one per scalar property of <see cref="HazardCaseState"/> and then of <see cref="CasePlace"/>,
/// named in snake_case. The select list, the insert and the update are built from this one list, so a new stored
/// field is a property of the record (and its two migrations), nothing here.
/// </summary>
public static class CaseColumns
{
    /// <summary>The first column of the place in every select list: where the row mapper splits the record from its place.</summary>
    public const string PlaceStart = nameof(CasePlace.OrgPath);

    // Set when the case is reported and never changed by a move: the insert writes them, the update does not. The
    // version is the update's own (+1); a merge of org units moves the place set-based (CaseStore.MoveOrgUnit).
    private static readonly HashSet<string> FixedAtReport =
    [
        nameof(HazardCaseState.Id), nameof(HazardCaseState.Code), nameof(HazardCaseState.Sector), nameof(HazardCaseState.Origin),
        nameof(HazardCaseState.Title), nameof(HazardCaseState.Description), nameof(HazardCaseState.UnitId), nameof(HazardCaseState.GridCode),
        nameof(HazardCaseState.ReportedBy), nameof(HazardCaseState.ReportedByRole), nameof(HazardCaseState.ReportedAt),
        nameof(HazardCaseState.FixedOnSpot), nameof(HazardCaseState.SelfReported), nameof(HazardCaseState.Version),
    ];

    private static readonly Type[] Scalars =
        [typeof(string), typeof(Guid), typeof(bool), typeof(int), typeof(double), typeof(DateTimeOffset), typeof(DateOnly)];

    public static IReadOnlyList<Column> State { get; } = Of(typeof(HazardCaseState), updatable: p => !FixedAtReport.Contains(p.Name));

    public static IReadOnlyList<Column> Place { get; } = Of(typeof(CasePlace), updatable: _ => false);

    /// <summary><c>c.id AS Id, …</c>: the record, then its place, for a query over <c>cases c</c>.</summary>
    public static string Select { get; } = string.Join(", ", State.Concat(Place).Select(c => $"c.{c.Name} AS {c.Property.Name}"));

    public static string InsertText { get; } = Insert();

    public static string UpdateText { get; } = Update();

    /// <summary>
    /// Every column's value for an insert or an update, bound by the property's name. The record and its place are
    /// bound as typed templates, so a null is bound with its property's type and size, as a value is: SQL Server sees
    /// one parameter signature, and caches one plan, whichever fields are null.
    /// </summary>
    public static DynamicParameters Parameters(HazardCaseState state, CasePlace place, DateTimeOffset now)
    {
        var parameters = new DynamicParameters(state);
        parameters.AddDynamicParams(place);
        parameters.Add("UpdatedAt", now);
        return parameters;
    }

    private static string Insert()
    {
        var all = State.Concat(Place).ToList();
        return $"""
            INSERT INTO cases ({string.Join(", ", all.Select(c => c.Name))}, updated_at)
            VALUES ({string.Join(", ", all.Select(c => "@" + c.Property.Name))}, @UpdatedAt)
            """;
    }

    private static string Update() => $"""
        UPDATE cases SET {string.Join(", ", State.Where(c => c.Updatable).Select(c => $"{c.Name} = @{c.Property.Name}"))},
            version = version + 1, updated_at = @UpdatedAt
        WHERE id = @Id
        """;

    private static List<Column> Of(Type type, Func<PropertyInfo, bool> updatable) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => IsScalar(p.PropertyType))
            .Select(p => new Column(SnakeCase(p.Name), p, updatable(p)))
            .ToList();

    private static bool IsScalar(Type type)
    {
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        return bare.IsEnum || Scalars.Contains(bare);
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        foreach (var ch in name)
        {
            if (char.IsUpper(ch) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(ch));
        }

        return text.ToString();
    }
}

/// <summary>One column of <c>cases</c> and the property that holds it.</summary>
public sealed record Column(string Name, PropertyInfo Property, bool Updatable);
