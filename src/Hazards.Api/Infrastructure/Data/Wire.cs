using System.Collections.Concurrent;
using System.Text.Json;

namespace Hazards.Api.Infrastructure.Data;

/// <summary>Enum values as the camelCase names used in JSON and stored in the database.</summary>
public static class Wire
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Names.GetOrAdd(value, v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()));

    public static string? NameOrNull<TEnum>(TEnum? value)
        where TEnum : struct, Enum =>
        value is { } v ? Name(v) : null;

    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(name, out var value) ? value : throw new FormatException($"'{name}' is not a {typeof(TEnum).Name}.");

    public static bool TryParse<TEnum>(string? name, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
