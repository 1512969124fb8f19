using Hazards.Api.Infrastructure.Errors;
using Microsoft.Net.Http.Headers;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>Versions travel as strong ETags (<c>"3"</c>); every state change must send the one it read in If-Match.</summary>
public static class Versions
{
    public static string ETag(int version) => $"\"{version}\"";

    public static int RequireIfMatch(HttpContext http)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw ProblemException.VersionRequired();
        }

        // "*" names no version, and a weak tag never matches under If-Match's strong comparison (RFC 9110 §13.1.1),
        // which compares the tags character by character: "01" is not the tag "1".
        if (!EntityTagHeaderValue.TryParse(header.Trim(), out var tag)
            || tag.IsWeak
            || tag.Tag.Length < 2
            || !int.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), System.Globalization.NumberStyles.None, null, out var version)
            || !string.Equals(tag.Tag.Value, ETag(version), StringComparison.Ordinal))
        {
            throw new ProblemException(StatusCodes.Status412PreconditionFailed, "concurrency.if_match_invalid",
                "If-Match must hold one ETag as returned by the service, like \"3\".");
        }

        return version;
    }

    public static void SetETag(HttpContext http, int version) => http.Response.Headers.ETag = ETag(version);
}
