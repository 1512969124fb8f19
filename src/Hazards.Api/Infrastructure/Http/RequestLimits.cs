using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Hazards.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MinDataRate = Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate;
using KestrelServerOptions = Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>Request body and slow-client limits (<c>Http</c> section).</summary>
public sealed class HttpLimitOptions
{
    /// <summary>A JSON body (every route without its own limit) is at most this big; more is 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>A client sending its body slower than this (after a 5 s grace) is cut off by Kestrel.</summary>
    [Range(0, double.MaxValue)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>A client that has not sent all its headers after this long is cut off by Kestrel.</summary>
    [Range(0.001, double.MaxValue)]
    public double RequestHeadersTimeoutSeconds { get; set; } = 15;
}

/// <summary>Writes per minute (<c>Writes</c> section): per signed-in user, and per address for anonymous writes such as public tips.</summary>
public sealed class WriteLimitOptions
{
    [Range(1, int.MaxValue)]
    public int PermitsPerMinute { get; set; } = 120;

    [Range(1, int.MaxValue)]
    public int AnonymousPermitsPerMinute { get; set; } = 20;
}

/// <summary>A route's own body limit, as on the upload routes.</summary>
public sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

/// <summary>OWASP API4: body limits, write rate limits per caller, and Kestrel's slow-client limits.</summary>
public static class RequestLimits
{
    /// <param name="maxUploadBytes">The largest upload any route takes, read from the validated settings of the upload routes.</param>
    public static IServiceCollection AddRequestLimits(this IServiceCollection services, Func<IServiceProvider, long> maxUploadBytes)
    {
        services.AddValidatedOptions<HttpLimitOptions>("Http");
        services.AddValidatedOptions<WriteLimitOptions>("Writes");

        // Behind Kestrel itself, not only our middleware: the largest body any route takes, and clients that trickle.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpLimitOptions>, IServiceProvider>((kestrel, limits, sp) =>
        {
            var http = limits.Value;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = Math.Max(http.MaxBodyBytes, maxUploadBytes(sp) + UploadOverheadBytes);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(http.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5));
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(http.RequestHeadersTimeoutSeconds);
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });

        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                Partition(context, context.RequestServices.GetRequiredService<WriteLimitOptions>()));
            options.OnRejected = async (rejected, ct) =>
            {
                var response = rejected.HttpContext.Response;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails = ProblemExceptionHandler.Make(StatusCodes.Status429TooManyRequests, "request.rate_limited",
                        $"Too many requests; try again in {seconds} s."),
                });
            };
        });
        return services;
    }

    /// <summary>The multipart framing around an upload's bytes.</summary>
    public const long UploadOverheadBytes = 64 * 1024;

    /// <summary>Refuses a body larger than the route's limit with 413, whether it declares its length or streams it.</summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? http.RequestServices.GetRequiredService<HttpLimitOptions>().MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            throw TooLarge();
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = limit;
        }

        if (http.Request.ContentLength is null && !HttpMethods.IsGet(http.Request.Method))
        {
            http.Request.Body = new LimitedStream(http.Request.Body, limit);
        }

        return next(http);
    });

    internal static BadHttpRequestException TooLarge() => new("The request body is too large.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>The header that tells a writer its limit: the writes its partition may make per minute.</summary>
    public const string LimitHeader = "X-RateLimit-Limit";

    /// <summary>
    /// Announces on every answer to a write the limit <see cref="Partition"/> holds it to, so a client can pace itself
    /// before it meets a 429. It runs after authentication, since a signed-in user and an address have different limits.
    /// </summary>
    public static IApplicationBuilder UseWriteLimitHeader(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (WriteLimit(http, http.RequestServices.GetRequiredService<WriteLimitOptions>()) is { } limit)
        {
            http.Response.OnStarting(() =>
            {
                http.Response.Headers[LimitHeader] = limit.Permits.ToString(CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
        }

        return next(http);
    });

    private static RateLimitPartition<string> Partition(HttpContext context, WriteLimitOptions writes) =>
        WriteLimit(context, writes) is { } limit
            ? RateLimitPartition.GetFixedWindowLimiter(limit.Key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.Permits,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter("reads");

    /// <summary>The partition and per-minute permits of a write to the API, or null for a read, which is not limited.</summary>
    private static (string Key, int Permits)? WriteLimit(HttpContext context, WriteLimitOptions writes)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return null;
        }

        var login = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        return login is not null
            ? ("user:" + login, Math.Max(1, writes.PermitsPerMinute))
            : ("address:" + context.RequestServices.GetRequiredService<ClientAddresses>().Of(context), Math.Max(1, writes.AnonymousPermitsPerMinute));
    }

    /// <summary>A body without a declared length, cut off once it passes the limit.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int bytes)
        {
            read += bytes;
            return read > limit ? throw TooLarge() : bytes;
        }
    }
}
