using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// Opaque page cursors: a list's own position fields, joined by '|' behind a kind tag and followed by a short SHA-256
/// tag of them, in base64url. Every list decodes its cursor here, and anything a client sends that this service did not
/// give out is a 400: bad base64, a cursor cut short or edited (the tag no longer matches), another list's cursor, and,
/// since the tag is no secret, fields that do not read as the list's types.
/// </summary>
public static class Cursor
{
    private const int TagBytes = 8;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(string kind, params string[] fields)
    {
        var payload = Strict.GetBytes(string.Join('|', [kind, .. fields]));
        return Convert.ToBase64String([.. payload, .. Tag(payload)]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

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

        var padded = cursor.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        var bytes = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var length) || length <= TagBytes)
        {
            throw Invalid();
        }

        var payload = bytes.AsSpan(0, length - TagBytes);
        if (!bytes.AsSpan(length - TagBytes, TagBytes).SequenceEqual(Tag(payload)))
        {
            throw Invalid();
        }

        string[] parts;
        try
        {
            parts = Strict.GetString(payload).Split('|');
        }
        catch (DecoderFallbackException)
        {
            throw Invalid();
        }

        return parts.Length == fields + 1 && parts[0] == kind ? parts[1..] : throw Invalid();
    }

    /// <summary>A count or offset field: digits only, within <see cref="int"/>.</summary>
    public static int Number(string field) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : throw Invalid();

    public static Guid Id(string field) => Guid.TryParseExact(field, "D", out var id) ? id : throw Invalid();

    /// <summary>An instant written in ISO 8601 (<c>O</c>, or the database's text form), read as UTC.</summary>
    public static DateTimeOffset Instant(string field) =>
        DateTimeOffset.TryParse(field, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : throw Invalid();

    /// <summary>An instant written as its UTC ticks.</summary>
    public static DateTimeOffset Ticks(string field) =>
        long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw Invalid();

    public static ProblemException Invalid() =>
        ProblemException.BadRequest("request.invalid_cursor", "The cursor is not one this service gave out.");

    private static byte[] Tag(ReadOnlySpan<byte> payload) => SHA256.HashData(payload)[..TagBytes];
}
