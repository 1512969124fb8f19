using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// What a text field may hold: no C0 control but tab, line feed and CR before a line feed, no DEL or
/// C1 control, no invisible format character (zero-width spaces and joiners, word joiners, the byte order mark, bidi
/// embeddings, overrides and isolates, line and paragraph separators) and no lone surrogate. Such characters reach the
/// HTML report, the CSV and the mails verbatim and can hide or reorder what a reader sees.
/// </summary>
public static class PlainText
{
    /// <summary>The index of the first character a text field may not hold, or -1.</summary>
    public static int FirstRefused(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var refused = c switch
            {
                '\t' or '\n' => false,
                '\r' => i + 1 >= text.Length || text[i + 1] != '\n',
                < ' ' => true,
                >= '\u007f' and <= '\u009f' => true,
                >= '\u200b' and <= '\u200f' => true,
                '\u2028' or '\u2029' => true,
                >= '\u202a' and <= '\u202e' => true,
                >= '\u2060' and <= '\u2064' => true,
                >= '\u2066' and <= '\u2069' => true,
                '\ufeff' => true,
                _ when char.IsHighSurrogate(c) => i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]),
                _ when char.IsLowSurrogate(c) => i == 0 || !char.IsHighSurrogate(text[i - 1]),
                _ => false,
            };
            if (refused)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A text field held a character <see cref="PlainText"/> refuses; the handler answers 400 <c>text.control_character</c>.</summary>
public sealed class ControlCharacterException(char character, int index) : JsonException(
    $"U+{(int)character:X4} at character {index} is a control or invisible character, which text fields do not take.")
{
    public char Character { get; } = character;

    /// <summary>The field, as a JSON path without the leading <c>$.</c>.</summary>
    public string Field => Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : Path ?? "";
}

/// <summary>Every string read from a JSON body passes <see cref="PlainText"/>; strings are written as they are.</summary>
public sealed class PlainTextConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is not null && PlainText.FirstRefused(text) is var at and >= 0)
        {
            throw new ControlCharacterException(text[at], at);
        }

        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
