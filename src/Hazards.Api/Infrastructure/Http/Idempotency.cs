using System.Security.Cryptography;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// A POST carrying an <c>Idempotency-Key</c> runs its work and stores its answer in one transaction;
/// the same key from the same caller then gets that first answer back without the work being done again,
/// and the same key with another body is refused with 422.
/// <para>
/// An anonymous caller (a public tip) has no login to keep its records apart from everyone else's:
/// its key must be a random UUID (version 4, the form <c>crypto.randomUUID()</c> gives), and its records are kept per
/// client address as well. The address alone would not do, since phones behind one carrier NAT share it; the key's
/// randomness is what keeps them apart there, and the address is what keeps a key seen elsewhere from being replayed
/// or squatted by another client.
/// </para>
/// </summary>
public sealed class IdempotencyFilter(DbSession session, TimeProvider clock, ClientAddresses addresses) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    internal static readonly Sql Find = Sql.Portable("""
        SELECT request_hash AS RequestHash, status_code AS StatusCode, content_type AS ContentType, location AS Location, etag AS ETag, body AS Body
        FROM idempotency_records
        WHERE principal = @Principal AND idem_key = @Key
        """);

    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO idempotency_records (principal, idem_key, request_hash, status_code, content_type, location, etag, body, created_at)
        VALUES (@Principal, @Key, @RequestHash, @StatusCode, @ContentType, @Location, @ETag, @Body, @CreatedAt)
        """);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context);
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength)
        {
            throw ProblemException.BadRequest("idempotency.key_invalid", $"Idempotency-Key must be 1 to {MaxKeyLength} characters.");
        }

        var principal = http.Items[typeof(Actor)] is Actor actor ? actor.Login : Anonymous(http, key);
        var hash = await RequestHash(http);
        var ct = http.RequestAborted;

        var earlier = await session.Single<StoredAnswer>(Find, new { Principal = principal, Key = key }, ct);
        if (earlier is not null)
        {
            return Replay(earlier, hash);
        }

        try
        {
            var (answer, replayed) = await session.RunInTransaction(async () =>
            {
                if (await session.Single<StoredAnswer>(Find, new { Principal = principal, Key = key }, ct) is { } raced)
                {
                    return (raced, true);
                }

                var fresh = await Capture(http, await next(context));
                fresh.RequestHash = hash;
                await session.Execute(Insert, new
                {
                    Principal = principal,
                    Key = key,
                    fresh.RequestHash,
                    fresh.StatusCode,
                    fresh.ContentType,
                    fresh.Location,
                    fresh.ETag,
                    fresh.Body,
                    CreatedAt = clock.GetUtcNow(),
                }, ct);
                return (fresh, false);
            }, ct);
            return replayed ? Replay(answer, hash) : new StoredResult(answer);
        }
        catch (Exception ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Another request with this key committed first (possible where writers run in parallel, as on
            // SQL Server): this one's work is rolled back and the first answer is the answer.
            earlier = await session.Single<StoredAnswer>(Find, new { Principal = principal, Key = key }, ct);
            if (earlier is null)
            {
                throw;
            }

            return Replay(earlier, hash);
        }
    }

    /// <summary>At least this many distinct hex digits among a v4 UUID's 30 random ones; a random key falls short about once in 10⁹.</summary>
    private const int MinimumDistinctDigits = 6;

    /// <summary>An anonymous caller's principal: its address, hashed so that the table keeps no client's address.</summary>
    private string Anonymous(HttpContext http, string key)
    {
        if (!IsRandomUuid(key))
        {
            throw ProblemException.BadRequest("idempotency.key_weak",
                "An anonymous Idempotency-Key must be a random UUID (version 4), like crypto.randomUUID() makes.");
        }

        var address = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(addresses.Of(http)));
        return "public:" + Convert.ToHexStringLower(address);
    }

    public static bool IsRandomUuid(string key)
    {
        if (key.Length != 36 || !Guid.TryParseExact(key, "D", out _) || key[14] != '4' || "89abAB".IndexOf(key[19]) < 0)
        {
            return false;
        }

        var random = string.Concat(key.Replace("-", "", StringComparison.Ordinal).Where((_, i) => i != 12 && i != 16)).ToLowerInvariant();
        return random.Distinct().Count() >= MinimumDistinctDigits;
    }

    private static object Replay(StoredAnswer earlier, string hash)
    {
        if (!string.Equals(earlier.RequestHash, hash, StringComparison.Ordinal))
        {
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "idempotency.key_reused",
                "This Idempotency-Key was used for a different request.");
        }

        return new StoredResult(earlier);
    }

    private static async Task<string> RequestHash(HttpContext http)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n"));
        if (http.Request.Body.CanSeek)
        {
            http.Request.Body.Position = 0;
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }

            http.Request.Body.Position = 0;
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Runs the endpoint's result into memory so that the exact answer can be stored and replayed.</summary>
    private static async Task<StoredAnswer> Capture(HttpContext http, object? result)
    {
        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            switch (result)
            {
                case IResult executable:
                    await executable.ExecuteAsync(http);
                    break;
                case null:
                    break;
                default:
                    await TypedResults.Ok(result).ExecuteAsync(http);
                    break;
            }
        }
        finally
        {
            http.Response.Body = original;
        }

        return new StoredAnswer
        {
            StatusCode = http.Response.StatusCode,
            ContentType = http.Response.ContentType,
            Location = http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            ETag = http.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
            Body = buffer.ToArray(),
        };
    }

    public sealed class StoredAnswer
    {
        public string RequestHash { get; set; } = "";

        public int StatusCode { get; set; }

        public string? ContentType { get; set; }

        public string? Location { get; set; }

        public string? ETag { get; set; }

        public byte[] Body { get; set; } = [];
    }

    private sealed class StoredResult(StoredAnswer answer) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = answer.StatusCode;
            if (answer.ContentType is not null)
            {
                response.ContentType = answer.ContentType;
            }

            if (answer.Location is not null)
            {
                response.Headers.Location = answer.Location;
            }

            if (answer.ETag is not null)
            {
                response.Headers.ETag = answer.ETag;
            }

            response.ContentLength = answer.Body.Length;
            await response.Body.WriteAsync(answer.Body, httpContext.RequestAborted);
        }
    }
}
