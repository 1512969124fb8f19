using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hazards.Api.Infrastructure.OpenApi;

/// <summary>The route reads the version it changes from <c>If-Match</c>, and refuses the change without it (428).</summary>
public sealed record RequiresIfMatch;

/// <summary>The route answers the version of what it returns as a strong <c>ETag</c>.</summary>
public sealed record AnswersETag;

/// <summary>One field of a multipart/form-data body: a file, or text with its allowed values.</summary>
public sealed record FormField(string Name, string Description, bool Required = false, bool File = false, IReadOnlyList<string>? Values = null);

/// <summary>A body the route takes, as the document shows it to those who build a client.</summary>
public sealed record RequestExample(JsonNode Body);

/// <summary>The route reads its body itself as multipart/form-data with these fields.</summary>
public sealed record MultipartBody(IReadOnlyList<FormField> Fields);

/// <summary>
/// What the document says of a route that its handler's signature cannot: the headers it reads and answers, and a
/// body it parses itself. EndpointContractTests hold each declaration to the route's behaviour.
/// </summary>
public static class EndpointContract
{
    public static TBuilder WithIfMatch<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresIfMatch(), new AnswersETag());

    public static TBuilder WithETag<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnswersETag());

    /// <summary>An example body, written with the service's own JSON names (camelCase members, camelCase enum values).</summary>
    public static TBuilder WithExample<TBuilder>(this TBuilder builder, object body) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestExample(JsonSerializer.SerializeToNode(body, JsonSerializerOptions.Web)!));

    public static TBuilder WithMultipart<TBuilder>(this TBuilder builder, params FormField[] fields) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new MultipartBody(fields));
}
