using System.Text.RegularExpressions;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;

namespace Hazards.Api.Features.Users;

/// <summary>A refusal of one row of an import, or of an administrative request: the row, the column, a stable code.</summary>
public sealed record RowError(int RowNo, string ColumnName, string Code, string Message)
{
    /// <summary>What the problem of a one-row request carries besides its code and message: the successor of a retired org unit.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();

    /// <summary>
    /// The refusal of a one-row request as its problem: unknown or out of scope 404, a role above the caller 403,
    /// a taken key or a state that forbids the change 409, anything else 400.
    /// </summary>
    public ProblemException Problem() => Code switch
    {
        var c when c.EndsWith(".not_found", StringComparison.Ordinal) || c == "org_unit.unknown_parent" =>
            new ProblemException(StatusCodes.Status404NotFound, c, Message),
        "user.role_not_grantable" or "user.subject_link_forbidden" => ProblemException.Forbidden(Code, Message),
        var c when c.EndsWith("_taken", StringComparison.Ordinal) || c is "import.duplicate_key" or "user.deactivated" or "unit.closed"
            or "org_unit.retired" or "org_unit.parent_changed" =>
            new ProblemException(StatusCodes.Status409Conflict, c, Message) { Extensions = Extensions },
        _ => ProblemException.BadRequest(Code, Message),
    };

    public static IReadOnlyList<RowError> From(IEnumerable<Row> rows) => rows.Select(r => new RowError((int)r.RowNo, r.ColumnName, r.Code, r.Message)).ToList();

    /// <summary>A refusal as a set-based check selects it.</summary>
    public sealed class Row
    {
        public long RowNo { get; set; }

        public string ColumnName { get; set; } = "";

        public string Code { get; set; } = "";

        public string Message { get; set; } = "";
    }
}

/// <summary>Phone numbers and e-mail addresses as every route and import accepts them.</summary>
public static partial class Contacts
{
    public const string PhonePattern = @"^\+?[0-9\-]{5,20}$";
    public const int MaxEmailLength = 254;

    public static bool IsPhone(string? phone) => phone is null || PhoneRegex().IsMatch(phone);

    public static bool IsEmail(string? email) =>
        email is null || (email.Length <= MaxEmailLength && EmailRegex().IsMatch(email));

    [GeneratedRegex(PhonePattern, RegexOptions.CultureInvariant)]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"^[^@\s""<>]+@[^@\s""<>]+\.[^@\s""<>]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();
}

/// <summary>
/// Who may grant which role where: township officers and above administer people of their own
/// subtree, never above their own role. The C# check serves one request; <see cref="GrantableList"/> carries
/// the same list into set-based statements.
/// </summary>
public static class RoleGrant
{
    public static bool MayAdminister(Actor actor) => actor.IsAtLeast(Role.TownshipOfficer);

    public static IReadOnlyList<Role> Grantable(Actor actor) =>
        MayAdminister(actor) ? Enum.GetValues<Role>().Where(r => r >= Role.GridWorker && r <= actor.Role).ToList() : [];

    public static bool MayGrant(Actor actor, Role role) => Grantable(actor).Contains(role);

    /// <summary>
    /// Whether the caller may link a person to an external subject, change the link or remove it: a city admin only,
    /// since whoever holds the subject signs in as that person (an officer could otherwise act as a peer or a unit).
    /// </summary>
    public static bool MayLinkSubjects(Actor actor) => actor.IsAtLeast(Role.CityAdmin);

    /// <summary>The grantable roles as ",gridWorker,unitOfficer," for a statement's <c>@Grantable</c>.</summary>
    public static string GrantableList(Actor actor) => "," + string.Join(',', Grantable(actor).Select(Wire.Name)) + ",";

    /// <summary>The level of org unit each role sits at; a unit officer sits at the grid of their units.</summary>
    public static OrgLevel PlaceOf(Role role) => role switch
    {
        Role.GridWorker or Role.UnitOfficer => OrgLevel.Grid,
        Role.TownshipOfficer => OrgLevel.Township,
        Role.DistrictRegulator => OrgLevel.District,
        Role.CityAdmin => OrgLevel.City,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a user's role"),
    };
}

/// <summary>One person as the users import and the user routes give them.</summary>
public sealed record UserInput(
    int RowNo, string? Login, string? Name, string? Phone, string? Email, string? Role, string? OrgUnit, string? ExternalSubject,
    IReadOnlyList<string> UnitCodes, IReadOnlyList<Guid> UnitIds);

public static partial class UserRules
{
    /// <summary>The checks one row passes on its own, before the database is asked anything.</summary>
    public const int MaxLoginLength = 64;
    public const int MaxNameLength = 100;
    public const int MaxSubjectLength = 200;
    public const int MaxUnits = 100;
    public const string LoginMessage = "A login is 2 to 64 letters, digits, '.', '_' or '-'.";
    public const string NameMessage = "A name is 1 to 100 characters.";
    public const string PhoneMessage = "A phone number is 5 to 20 digits, '-' or a leading '+'.";
    public const string EmailMessage = "An e-mail address is required and must be valid.";
    public const string OrgUnitMessage = "An org unit code has 6, 9, 12 or 15 digits.";
    public const string SubjectMessage = "An external subject is 1 to 200 printable characters.";
    public const string TooManyUnitsMessage = "A unit officer answers for at most 100 units.";

    public static IEnumerable<RowError> Check(UserInput row)
    {
        if (string.IsNullOrWhiteSpace(row.Login) || !LoginRegex().IsMatch(row.Login))
        {
            yield return new RowError(row.RowNo, "login", "user.invalid_login", LoginMessage);
        }

        if (string.IsNullOrWhiteSpace(row.Name) || row.Name.Trim().Length > MaxNameLength)
        {
            yield return new RowError(row.RowNo, "name", "user.invalid_name", NameMessage);
        }

        if (!Contacts.IsPhone(row.Phone))
        {
            yield return new RowError(row.RowNo, "phone", "user.invalid_phone", PhoneMessage);
        }

        if (string.IsNullOrWhiteSpace(row.Email) || !Contacts.IsEmail(row.Email))
        {
            yield return new RowError(row.RowNo, "email", "user.invalid_email", EmailMessage);
        }

        if (!Wire.TryParse<Role>(row.Role, out var role) || role == Domain.Role.Public)
        {
            yield return new RowError(row.RowNo, "role", "user.invalid_role", "The role is one of gridWorker, unitOfficer, townshipOfficer, districtRegulator, cityAdmin.");
        }
        else if (role == Domain.Role.UnitOfficer && row.UnitCodes.Count + row.UnitIds.Count == 0)
        {
            yield return new RowError(row.RowNo, "units", "user.units_required", "A unit officer answers for at least one unit.");
        }
        else if (role != Domain.Role.UnitOfficer && row.UnitCodes.Count + row.UnitIds.Count > 0)
        {
            yield return new RowError(row.RowNo, "units", "user.units_not_allowed", "Only unit officers answer for units.");
        }

        if (row.UnitCodes.Count + row.UnitIds.Count > MaxUnits)
        {
            yield return new RowError(row.RowNo, "units", "user.too_many_units", TooManyUnitsMessage);
        }

        if (string.IsNullOrWhiteSpace(row.OrgUnit) || !DigitsRegex().IsMatch(row.OrgUnit))
        {
            yield return new RowError(row.RowNo, "orgUnit", "org_unit.invalid_code", OrgUnitMessage);
        }

        if (row.ExternalSubject is { } subject && (subject.Length is 0 or > MaxSubjectLength || subject.Any(char.IsControl)))
        {
            yield return new RowError(row.RowNo, "externalSubject", "user.invalid_subject", SubjectMessage);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex LoginRegex();

    [GeneratedRegex("^([0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{15})$", RegexOptions.CultureInvariant)]
    private static partial Regex DigitsRegex();
}
