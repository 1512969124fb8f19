using System.Text.Json;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// A body member no request type declares is refused rather than dropped: a misspelt
/// <c>funding</c> must not pass for a plan without funds. The serializer refuses it
/// (<see cref="System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow"/>); this names the member.
/// </summary>
public static class StrictJson
{
    public const string Code = "validation.unknown_field";

    private const int LongestNamed = 100;

    /// <summary>The problem for an unknown member, or null when <paramref name="exception"/> is another JSON failure.</summary>
    public static ProblemException? UnknownMember(JsonException exception)
    {
        // The serializer gives this failure no type of its own; its message is the one mark it has.
        if (!exception.Message.StartsWith("The JSON property '", StringComparison.Ordinal)
            || !exception.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return null;
        }

        var member = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : exception.Path ?? "";
        var named = member.Length > LongestNamed ? member[..LongestNamed] + "…" : member;
        return new ProblemException(StatusCodes.Status400BadRequest, Code, $"The body has a member '{named}' that this request does not take.")
        {
            Extensions = new Dictionary<string, object?> { ["field"] = named },
        };
    }
}
