using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hazards.Api.Infrastructure.Auth;

/// <summary>Signs development tokens with the configured key (the <c>token</c> command and tests).</summary>
public sealed class TokenIssuer(AuthOptions options, TimeProvider clock)
{
    public string Issue(string login, TimeSpan? lifetime = null)
    {
        var key = options.SigningKey ?? throw new InvalidOperationException("No Auth:SigningKey is configured to sign tokens.");
        var life = lifetime ?? TimeSpan.FromHours(options.TokenLifetimeHours);
        if (life > options.MaxTokenLifetime)
        {
            throw new InvalidOperationException($"A token may live at most Auth:MaxTokenLifetimeHours ({options.MaxTokenLifetimeHours} h).");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity([new Claim(AuthSetup.LoginClaim, login)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + life,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
