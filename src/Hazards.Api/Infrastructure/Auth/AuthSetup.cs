using System.Text;
using Hazards.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hazards.Api.Infrastructure.Auth;

public static class AuthSetup
{
    public const string LoginClaim = "sub";

    private const string UnknownUser = "auth.unknown_user";

    public static IServiceCollection AddHazardsAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = services.AddStartupOptions(configuration, "Auth", new AuthOptions(),
            o => AuthOptions.Check(o, environment.IsDevelopment(), environment.ContentRootPath));
        var localKey = string.IsNullOrWhiteSpace(options.Authority) ? options.SigningKey : null;
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<UserDirectory>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();
        services.AddAuthorization();
        services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.Authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
                jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireSignedTokens = true,
                    // With an authority its published keys sign the tokens; the local key signs only without one.
                    ValidAlgorithms = localKey is null ? null : [SecurityAlgorithms.HmacSha256],
                    IssuerSigningKey = localKey is null ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(localKey)),
                    NameClaimType = LoginClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        context.Token ??= Jobs.DashboardAuthorization.TokenFor(context.Request);
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = async context =>
                    {
                        var subject = context.Principal?.FindFirst(LoginClaim)?.Value;
                        var directory = context.HttpContext.RequestServices.GetRequiredService<UserDirectory>();
                        var ct = context.HttpContext.RequestAborted;

                        // An authority's subject names a person by their external subject; no one is
                        // provisioned silently. The service's own tokens carry the login.
                        var actor = subject is null ? null
                            : options.Authority is { Length: > 0 } ? await directory.FindBySubjectOf(subject, ct)
                            : await directory.Find(subject, ct);
                        if (actor is null)
                        {
                            if (options.Authority is { Length: > 0 })
                            {
                                context.HttpContext.Items[UnknownUser] = true;
                            }

                            context.Fail("The token's user does not exist or was deactivated.");
                            return;
                        }

                        // A token from before the person's external subject changed belonged to whoever held the old link.
                        if (!actor.HasSessionFrom(IssuedAt(context.SecurityToken)))
                        {
                            context.Fail("The token was issued before the person's sign-in was relinked; sign in again.");
                            return;
                        }

                        context.HttpContext.Items[typeof(Actor)] = actor;
                    },
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        var (code, detail) = context.HttpContext.Items.ContainsKey(UnknownUser)
                            ? ("auth.unknown_user", "The token is valid but names no active person of this service.")
                            : context.AuthenticateFailure is SecurityTokenExpiredException
                                ? ("auth.token_expired", "The token has expired; sign in again for a new one.")
                                : ("auth.unauthenticated", "A valid bearer token is required.");

                        // RFC 6750 §3: a request without a token gets the bare challenge, one with a refused token says why.
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
                            ? "Bearer"
                            : $"Bearer error=\"invalid_token\", error_description=\"{detail}\"";
                        var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                        await problems.WriteAsync(new ProblemDetailsContext
                        {
                            HttpContext = context.HttpContext,
                            ProblemDetails = ProblemExceptionHandler.Make(StatusCodes.Status401Unauthorized, code, detail),
                        });
                    },
                };
            });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((jwt, clock) => jwt.TokenValidationParameters.LifetimeValidator =
                (notBefore, expires, token, parameters) =>
                {
                    // The service's clock, not the machine's, so that tests moving time see tokens age with it.
                    var now = clock.GetUtcNow().UtcDateTime;
                    var issued = token is JsonWebToken { IssuedAt: var iat } && iat > DateTime.MinValue ? iat : (DateTime?)null;
                    var start = notBefore ?? issued ?? now;
                    var max = options.MaxTokenLifetime + parameters.ClockSkew;
                    var valid = (notBefore is null || now >= notBefore.Value - parameters.ClockSkew)
                        && expires is not null && expires.Value - start <= max && expires.Value - now <= max;

                    // Only a token that is otherwise good is told apart as expired, so that its holder knows to sign in again.
                    return valid && now > expires!.Value + parameters.ClockSkew
                        ? throw new SecurityTokenExpiredException($"The token expired at {expires:O}.") { Expires = expires.Value }
                        : valid;
                });
        return services;
    }

    /// <summary>The token's <c>iat</c>, else its <c>nbf</c>; <see langword="null"/> when it carries neither.</summary>
    private static DateTimeOffset? IssuedAt(SecurityToken token) =>
        token is JsonWebToken jwt && (jwt.IssuedAt > DateTime.MinValue ? jwt.IssuedAt : jwt.ValidFrom) is var at && at > DateTime.MinValue
            ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
            : null;
}
