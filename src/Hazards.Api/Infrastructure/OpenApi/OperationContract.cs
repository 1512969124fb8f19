using System.Text.Json.Nodes;
using Hazards.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Hazards.Api.Infrastructure.OpenApi;

/// <summary>
/// Each operation as a client meets it: the token it needs, the headers it reads and answers, the bounds of its
/// parameters, a multipart body it parses itself, and the problems it can answer, each as <c>application/problem+json</c>.
/// Which problems an operation can give follows from what it is (secured, with parameters, with a body, a write, a
/// versioned change), because the service's middleware gives them by those same traits.
/// </summary>
internal sealed class OperationContract : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var method = context.Description.HttpMethod ?? "GET";
        var write = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var ifMatch = metadata.OfType<RequiresIfMatch>().Any();
        var form = metadata.OfType<MultipartBody>().FirstOrDefault();
        var document = context.Document!;
        DocumentContract.EnsureComponents(document);

        if (secured)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DocumentContract.Bearer, document)] = [] }];
        }

        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            Bound(parameter);
        }

        if (ifMatch)
        {
            operation.Parameters.Add(Header(HeaderNames.IfMatch, required: true,
                "The ETag of the version this change is made to, as the service answered it (\"3\"). Without it 428; when the resource has moved on, 412.",
                new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[0-9]{1,10}\"$", MaxLength = 12 }));
        }

        if (HttpMethods.IsPost(method))
        {
            operation.Parameters.Add(Header(IdempotencyFilter.Header, required: false,
                "A key of the client's choosing (a UUID) that makes the request safe to retry: the same key and body answer the first answer again, and nothing is done twice.",
                new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyFilter.MaxKeyLength, MinLength = 1 }));
        }

        if (form is not null)
        {
            operation.RequestBody = FormBody(form);
        }

        if (metadata.OfType<RequestExample>().FirstOrDefault() is { } example
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
        {
            json.Example = example.Body.DeepClone();
        }

        operation.Responses ??= [];
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse answer)
            {
                continue;
            }

            answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
            if (status == "201")
            {
                answer.Headers[HeaderNames.Location] = ResponseHeader("Where the created resource is read.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" });
            }

            if (status.StartsWith('2') && metadata.OfType<AnswersETag>().Any())
            {
                answer.Headers[HeaderNames.ETag] = ResponseHeader("The version of what is answered, to send back in If-Match with a change.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[0-9]{1,10}\"$" });
            }
        }

        var problems = new List<int> { StatusCodes.Status400BadRequest, StatusCodes.Status500InternalServerError };
        if (secured)
        {
            problems.AddRange([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        }

        if (operation.Parameters.Any(p => p.In is ParameterLocation.Path or ParameterLocation.Query))
        {
            problems.Add(StatusCodes.Status404NotFound);
        }

        if (operation.RequestBody is not null)
        {
            problems.AddRange([StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        }

        if (write)
        {
            problems.AddRange([StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests]);
        }

        if (ifMatch)
        {
            problems.AddRange([StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired]);
        }

        foreach (var status in problems)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = Problem(status, document);
            }
        }

        if (write)
        {
            foreach (var (status, response) in operation.Responses)
            {
                if (response is OpenApiResponse answer && (status.StartsWith('2') || status.StartsWith('4')))
                {
                    answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    answer.Headers[RequestLimits.LimitHeader] = ResponseHeader(
                        "The writes this caller may make per minute (Writes:PermitsPerMinute signed in, Writes:AnonymousPermitsPerMinute per address); public tips are also held to PublicTips:PermitsPerMinute.",
                        new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The bounds every parameter has: paging's limit, and no value longer than <see cref="StrictQuery.MaxValueLength"/>.
    /// A parameter with its own tighter bound (a <c>[MaxLength]</c> or <c>[Range]</c> on it) keeps that.
    /// </summary>
    private static void Bound(OpenApiParameter parameter)
    {
        if (parameter.Schema is not OpenApiSchema schema)
        {
            return;
        }

        var type = schema.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.Integer))
        {
            if (parameter.Name == "limit")
            {
                schema.Minimum ??= "1";
                schema.Maximum ??= Paging.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                schema.Default ??= JsonValue.Create(Paging.DefaultLimit);
            }
        }
        else if (type == 0 || type.HasFlag(JsonSchemaType.String))
        {
            schema.MaxLength ??= ValidatorSchemas.FormatLength(schema.Format) ?? StrictQuery.MaxValueLength;
        }
    }

    private static OpenApiParameter Header(string name, bool required, string description, OpenApiSchema schema) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = schema,
    };

    private static OpenApiHeader ResponseHeader(string description, OpenApiSchema schema) => new() { Description = description, Schema = schema };

    private static OpenApiRequestBody FormBody(MultipartBody form)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(form.Fields.Where(f => f.Required).Select(f => f.Name)),
        };
        foreach (var field in form.Fields)
        {
            schema.Properties[field.Name] = field.File
                ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = field.Description }
                : new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = field.Description,
                    Enum = field.Values?.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
                    MaxLength = field.Values is null ? StrictQuery.MaxValueLength : null,
                };
        }

        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = schema } },
        };
    }

    private static OpenApiResponse Problem(int status, OpenApiDocument document)
    {
        var response = new OpenApiResponse
        {
            Description = ProblemDescriptions.TryGetValue(status, out var text) ? text : "A problem.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(DocumentContract.Problem, document) },
            },
        };
        if (status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                [HeaderNames.RetryAfter] = ResponseHeader("Seconds to wait before the next write.",
                    new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "3600" }),
            };
        }

        return response;
    }

    private static readonly Dictionary<int, string> ProblemDescriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is malformed or a field is invalid: `code` says which rule (validation.failed lists the fields in `errors`).",
        [StatusCodes.Status401Unauthorized] = "No valid bearer token: `auth.unauthenticated` (none, or a forged or malformed one), `auth.token_expired` (sign in again), `auth.unknown_user` (no active person has the token's subject).",
        [StatusCodes.Status403Forbidden] = "The caller's role may not do this.",
        [StatusCodes.Status404NotFound] = "Not found, or outside the caller's scope (the two are not told apart).",
        [StatusCodes.Status409Conflict] = "A rule of the case's lifecycle or of the data refuses the change in the resource's present state (`code` says which), or another request changed it at the same moment.",
        [StatusCodes.Status412PreconditionFailed] = "If-Match names a version that is no longer the current one: read it again.",
        [StatusCodes.Status413PayloadTooLarge] = "The body is larger than the route takes.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body's media type is not one the route takes.",
        [StatusCodes.Status422UnprocessableEntity] = "The request is well formed but cannot be carried out as sent: an Idempotency-Key reused for another body, or a position no grid holds (`code` says which).",
        [StatusCodes.Status428PreconditionRequired] = "The change needs If-Match with the version it is made to.",
        [StatusCodes.Status429TooManyRequests] = "Too many writes: wait for Retry-After seconds.",
        [StatusCodes.Status500InternalServerError] = "The service failed; nothing was changed. The problem names no internals.",
    };
}
