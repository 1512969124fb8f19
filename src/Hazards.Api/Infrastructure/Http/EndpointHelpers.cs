namespace Hazards.Api.Infrastructure.Http;

/// <summary>The one shape of an answer that carries a version: send, put the version in the ETag, answer 200 or 201.</summary>
public static class EndpointHelpers
{
    public static async Task<Ok<T>> Tagged<T>(this ValueTask<T> answer, HttpContext http, Func<T, int> version)
    {
        var value = await answer;
        Versions.SetETag(http, version(value));
        return TypedResults.Ok(value);
    }

    public static async Task<Created<T>> CreatedTagged<T>(this ValueTask<T> answer, HttpContext http, Func<T, int> version, Func<T, string> location)
    {
        var value = await answer;
        Versions.SetETag(http, version(value));
        return TypedResults.Created(location(value), value);
    }
}
