using FluentValidation;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Hazards.Api.Infrastructure.Errors;

/// <summary>The one place where exceptions become RFC 9457 problems, each with a stable <c>code</c>.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, IHostEnvironment environment, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException v => Validation(v),
            ProblemException p => With(Make(p.Status, p.Code, p.Message), p.Extensions),
            DomainRuleException d => Make(StatusCodes.Status409Conflict, d.Code, d.Message),
            DomainForbiddenException f => Make(StatusCodes.Status403Forbidden, f.Code, f.Message),
            BadHttpRequestException { InnerException: ControlCharacterException c } => Make(StatusCodes.Status400BadRequest, "text.control_character",
                $"The field {c.Field} holds U+{(int)c.Character:X4}, a control or invisible character; text fields take none but tab and line breaks."),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException j } when StrictJson.UnknownMember(j) is { } unknown =>
                With(Make(unknown.Status, unknown.Code, unknown.Message), unknown.Extensions),
            BadHttpRequestException b => Make(b.StatusCode, CodeFor(b.StatusCode), BadRequestDetail(b)),
            _ when DbErrors.IsUniqueViolation(exception) =>
                Make(StatusCodes.Status409Conflict, "request.conflict", "Another request changed the same thing at the same moment; reload and try again."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                Make(499, "request.cancelled", "The client closed the request."),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = Make(StatusCodes.Status500InternalServerError, "server.error", "An unexpected error occurred; it has been logged.");
            if (environment.IsDevelopment())
            {
                problem.Extensions["exception"] = exception.ToString();
            }
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails With(ProblemDetails problem, IReadOnlyDictionary<string, object?> extensions)
    {
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    public static ProblemDetails Make(int status, string code, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = TitleFor(status), Detail = detail, Type = TypeFor(status) };
        problem.Extensions["code"] = code;
        return problem;
    }

    public static string CodeFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "auth.unauthenticated",
        StatusCodes.Status403Forbidden => "auth.forbidden",
        StatusCodes.Status404NotFound => "route.not_found",
        StatusCodes.Status405MethodNotAllowed => "route.method_not_allowed",
        StatusCodes.Status413PayloadTooLarge => "request.too_large",
        StatusCodes.Status415UnsupportedMediaType => "request.unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "request.rate_limited",
        _ => "request.malformed",
    };

    /// <summary>
    /// The problem's <c>type</c>: the section of the RFC that defines its status. ASP.NET Core fills the common ones;
    /// these are the rest, so that no problem goes without one.
    /// </summary>
    public static string TypeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Rfc9110("15.5.1"),
        StatusCodes.Status401Unauthorized => Rfc9110("15.5.2"),
        StatusCodes.Status403Forbidden => Rfc9110("15.5.4"),
        StatusCodes.Status404NotFound => Rfc9110("15.5.5"),
        StatusCodes.Status405MethodNotAllowed => Rfc9110("15.5.6"),
        StatusCodes.Status409Conflict => Rfc9110("15.5.10"),
        StatusCodes.Status412PreconditionFailed => Rfc9110("15.5.13"),
        StatusCodes.Status413PayloadTooLarge => Rfc9110("15.5.14"),
        StatusCodes.Status415UnsupportedMediaType => Rfc9110("15.5.16"),
        StatusCodes.Status422UnprocessableEntity => Rfc9110("15.5.21"),
        StatusCodes.Status428PreconditionRequired => "https://tools.ietf.org/html/rfc6585#section-3",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        >= 500 => Rfc9110("15.6.1"),
        _ => Rfc9110("15.5"),
    };

    private static string Rfc9110(string section) => $"https://tools.ietf.org/html/rfc9110#section-{section}";

    private static ProblemDetails Validation(ValidationException exception)
    {
        var problem = Make(StatusCodes.Status400BadRequest, "validation.failed", "One or more fields are invalid.");
        problem.Extensions["errors"] = exception.Errors
            .GroupBy(e => ToCamel(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return problem;
    }

    private static string BadRequestDetail(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException json
            ? json.Path is { Length: > 1 } path
                ? $"The body is not valid for this request at {path}."
                : "The body is not valid JSON for this request."
            : exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is too large."
                : "The request could not be read: check its parameters and body.";

    private static string ToCamel(string name) =>
        string.Join('.', name.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Unprocessable content",
        428 => "Precondition required",
        429 => "Too many requests",
        499 => "Client closed request",
        _ => "Server error",
    };
}
