using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Hazards.Api.Infrastructure;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Hazards.Api.Features.Supervision;

/// <summary>Limits of the anonymous tip intake (section <c>PublicTips</c>).</summary>
public sealed class PublicTipOptions
{
    public const string SubmitPolicy = "public-tips";
    public const string LookupPolicy = "public-tip-lookups";

    /// <summary>Tip submissions per client address per minute: every attempt counts, whatever its answer.</summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerMinute { get; set; } = 5;

    /// <summary>Status look-ups per client address per minute.</summary>
    [Range(1, int.MaxValue)]
    public int LookupsPerMinute { get; set; } = 60;

    [Range(1, long.MaxValue)]
    public long MaxPhotoBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>64 KB of text plus the photo in base64 (4 characters per 3 bytes).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = (64 * 1024) + ((2 * 1024 * 1024 + 2) / 3 * 4);

    /// <summary>
    /// A header holding the client address, set by the operator's own reverse proxy (X-Forwarded-For behind one
    /// proxy, or X-Real-IP); its last entry is used, the one that proxy added, since earlier ones come from the
    /// client. Empty: the connection's address. Never set it when clients can reach the service directly.
    /// </summary>
    public string? ClientAddressHeader { get; set; }
}

public static class PublicTipsSetup
{
    public static IServiceCollection AddPublicTips(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PublicTipOptions>("PublicTips");
        services.AddSingleton(sp => new ClientAddresses(sp.GetRequiredService<PublicTipOptions>().ClientAddressHeader));
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PublicTipOptions.SubmitPolicy, http => PerClient(http, o => o.PermitsPerMinute));
            limiter.AddPolicy(PublicTipOptions.LookupPolicy, http => PerClient(http, o => o.LookupsPerMinute));
            // Refusals are written by the one rejection handler of RequestLimits: 429, Retry-After, a problem.
        });
        return services;
    }

    private static RateLimitPartition<string> PerClient(HttpContext http, Func<PublicTipOptions, int> permits)
    {
        var options = http.RequestServices.GetRequiredService<PublicTipOptions>();
        return PerClient(http.RequestServices.GetRequiredService<ClientAddresses>().Of(http), permits(options));
    }

    private static RateLimitPartition<string> PerClient(string address, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}

/// <summary>Tracking codes: 12 Crockford base32 characters (60 bits) from a CSPRNG, so they cannot be guessed or walked.</summary>
public static class TrackingCodes
{
    public const int Length = 12;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>The code as stored, if <paramref name="text"/> can be one (case-insensitive).</summary>
    public static string? Normalize(string? text)
    {
        var upper = text?.Trim().ToUpperInvariant();
        return upper is { Length: Length } && upper.All(Alphabet.Contains) ? upper : null;
    }
}
