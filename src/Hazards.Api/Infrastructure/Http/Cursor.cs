using System.Text;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// Opaque page cursors: a list's own position fields, joined by '|' behind a kind tag, in base64url.
/// Anything a client sends that this service did not give out is a 400.
/// </summary>
public static class Cursor
{
    public static string Encode(string kind, params string[] fields) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('|', [kind, .. fields]))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The fields of a cursor of <paramref name="kind"/>, or null when no cursor was sent: an empty <c>cursor=</c>, as
    /// generated clients send for an unset parameter, is the first page.
    /// </summary>
    public static string[]? Decode(string? cursor, string kind, int fields)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            if (parts.Length == fields + 1 && parts[0] == kind)
            {
                return parts[1..];
            }
        }
        catch (FormatException)
        {
        }

        throw Invalid();
    }

    public static ProblemException Invalid() =>
        ProblemException.BadRequest("request.invalid_cursor", "The cursor is not one this service gave out.");
}
