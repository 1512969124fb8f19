using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>Every list pages with <c>limit</c> (default 50, at most 200) and an opaque cursor (<see cref="Cursor"/>).</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>A list's free-text search (<c>q</c>) is at most this long.</summary>
    public const int MaxSearchLength = 100;

    public static int Limit(int? requested) =>
        (requested ?? DefaultLimit) is var limit and >= 1 and <= MaxLimit
            ? limit
            : throw ProblemException.BadRequest("request.invalid_limit", $"limit must be between 1 and {MaxLimit}.");
}
