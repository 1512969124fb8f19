using System.ComponentModel.DataAnnotations;

namespace Hazards.Api.Infrastructure.Auth;

public sealed class AuthOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Issuer { get; set; } = "hazards";

    [Required(AllowEmptyStrings = false)]
    public string Audience { get; set; } = "hazards-api";

    /// <summary>HS256 key of at least 32 bytes; set in Development settings only, elsewhere by environment.</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect authority whose tokens are accepted instead of the signing key.</summary>
    public string? Authority { get; set; }

    /// <summary>The authority's metadata must come over HTTPS; only a test authority on 127.0.0.1 turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    [Range(0.01, 8760)]
    public double TokenLifetimeHours { get; set; } = 8;

    /// <summary>No token living longer than this (from its nbf or iat to its exp) is accepted or issued.</summary>
    [Range(0.01, 8760)]
    public double MaxTokenLifetimeHours { get; set; } = 24;

    public TimeSpan MaxTokenLifetime => TimeSpan.FromHours(MaxTokenLifetimeHours);

    /// <summary>What annotations cannot say: a key or an authority, a key fit for the environment, lifetimes in order.</summary>
    public static IEnumerable<string> Check(AuthOptions options, bool development, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(options.Authority) && string.IsNullOrWhiteSpace(options.SigningKey))
        {
            yield return "Auth:SigningKey: a key of 32 bytes or more (or Auth:Authority, an OpenID Connect provider) is required; only Development settings carry a key.";
        }

        foreach (var refused in SigningKeys.Check("Auth:SigningKey", options.SigningKey, development, contentRoot))
        {
            yield return refused;
        }

        if (options.TokenLifetimeHours > options.MaxTokenLifetimeHours)
        {
            yield return $"Auth:TokenLifetimeHours: {options.TokenLifetimeHours} is longer than Auth:MaxTokenLifetimeHours ({options.MaxTokenLifetimeHours}).";
        }
    }
}
