using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Hazards.Api.Infrastructure.Auth;

/// <summary>
/// Which signing keys a service outside Development refuses: any shorter than 32 bytes, and the
/// development key, which anyone with the repository knows. The development key is recognised by the SHA-256 of the
/// key in <c>appsettings.Development.json</c> (kept here, so a deployment without that file still knows it; a test
/// holds the two together) and by that file itself where it was deployed beside the service.
/// </summary>
public static class SigningKeys
{
    public const int MinimumBytes = 32;

    public const string DevelopmentSettingsFile = "appsettings.Development.json";

    private static readonly string[] DevelopmentFingerprints = ["2913a54823bf0c72297f5d844d29e89a90caeaa8acfb61c14887ec94ad5f0ca8"];

    public static bool IsDevelopmentKey(string key, string? contentRoot)
    {
        var fingerprint = Fingerprint(key);
        return DevelopmentFingerprints.Contains(fingerprint, StringComparer.Ordinal)
            || (contentRoot is not null && SettingsKey(Path.Combine(contentRoot, DevelopmentSettingsFile)) is { } known
                && string.Equals(Fingerprint(known), fingerprint, StringComparison.Ordinal));
    }

    /// <summary>Why a start refuses <paramref name="key"/>, set as <paramref name="setting"/>: too short anywhere, or the public development key outside Development.</summary>
    public static IEnumerable<string> Check(string setting, string? key, bool development, string contentRoot)
    {
        if (key is null)
        {
            yield break;
        }

        if (Encoding.UTF8.GetByteCount(key) < MinimumBytes)
        {
            yield return $"{setting}: the key must be at least {MinimumBytes} bytes.";
        }
        else if (!development && IsDevelopmentKey(key, contentRoot))
        {
            yield return $"{setting}: this is the development key, which is public; outside Development set a key of your own.";
        }
    }

    public static string Fingerprint(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string? SettingsKey(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(file))?["Auth"]?["SigningKey"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
