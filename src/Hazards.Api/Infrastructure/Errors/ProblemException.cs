namespace Hazards.Api.Infrastructure.Errors;

/// <summary>An expected failure with its HTTP status and stable problem code; thrown once, mapped once.</summary>
public sealed class ProblemException(int status, string code, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    /// <summary>Members the problem carries beside its code, such as the counts that block a retirement.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();

    public static ProblemException NotFound(string what) =>
        new(StatusCodes.Status404NotFound, $"{what}.not_found", $"The {what.Replace('_', ' ')} does not exist or is outside your scope.");

    public static ProblemException Forbidden(string code, string detail) => new(StatusCodes.Status403Forbidden, code, detail);

    public static ProblemException BadRequest(string code, string detail) => new(StatusCodes.Status400BadRequest, code, detail);

    public static ProblemException StaleVersion() =>
        new(StatusCodes.Status412PreconditionFailed, "concurrency.stale_version", "The object changed since you read it; reload it and try again.");

    public static ProblemException VersionRequired() =>
        new(StatusCodes.Status428PreconditionRequired, "concurrency.if_match_required", "Send the version you read in an If-Match header.");
}
