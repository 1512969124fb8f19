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

    /// <summary>No token living longer than this (from its nbf or iat to its exp) is accepted or issued (issue 15, item 5).</summary>
    [Range(0.01, 8760)]
    public double MaxTokenLifetimeHours { get; set; } = 24;

    public TimeSpan MaxTokenLifetime => TimeSpan.FromHours(MaxTokenLifetimeHours);
}
