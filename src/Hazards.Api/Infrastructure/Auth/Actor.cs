using Hazards.Domain;

namespace Hazards.Api.Infrastructure.Auth;

/// <summary>
/// The signed-in user as the rules see them. Everyone sees the subtree of their org unit; a unit officer
/// sees only the units they answer for.
/// </summary>
public sealed record Actor(Guid UserId, string Login, string Name, string Email, Role Role, string OrgCode, string OrgPath, IReadOnlyList<Guid> UnitIds)
{
    /// <summary>Tokens issued before this are refused: the person's link to an external subject changed then.</summary>
    public DateTimeOffset? SessionsSince { get; init; }

    /// <summary>Whether a token issued at <paramref name="issuedAt"/> (none: <see langword="null"/>) still opens a session.</summary>
    public bool HasSessionFrom(DateTimeOffset? issuedAt) => SessionsSince is not { } since || (issuedAt is { } at && at >= since);

    public bool IsAtLeast(Role role) => Role >= role;

    public bool CoversPath(string orgPath) => orgPath.StartsWith(OrgPath, StringComparison.Ordinal);

    public bool CoversUnit(Guid unitId, string unitOrgPath) =>
        Role == Role.UnitOfficer ? UnitIds.Contains(unitId) : CoversPath(unitOrgPath);

    /// <summary>The lower bound of the caller's subtree for a range scan on a path column.</summary>
    public string PathFrom => OrgPath;

    /// <summary>The exclusive upper bound: the path with its closing '/' raised to the next character.</summary>
    public string PathTo => OrgPaths.UpperBound(OrgPath);
}

public static class OrgPaths
{
    public static string UpperBound(string path) => path[..^1] + (char)(path[^1] + 1);

    /// <summary>How far below the city a path is: the city (<c>/500000/</c>) 0, a district 1, a grid 4; the root <c>/</c> -1.</summary>
    public static int Depth(string path) => path.Count(c => c == '/') - 2;
}

public interface ICurrentUser
{
    Actor Actor { get; }
}

public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public Actor Actor =>
        accessor.HttpContext?.Items[typeof(Actor)] as Actor
        ?? throw new InvalidOperationException("No signed-in user on this request.");
}
