using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>Instants go out as ISO 8601 UTC with a 'Z'; incoming ones must carry an offset and are normalised to UTC.</summary>
public sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null
            || !DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            || !(text.EndsWith('Z') || text.Contains('+') || text.LastIndexOf('-') > 10))
        {
            throw new JsonException("An instant must be ISO 8601 with an offset, like 2026-03-02T08:00:00Z.");
        }

        return value.ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
