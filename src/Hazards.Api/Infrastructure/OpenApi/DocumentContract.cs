using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hazards.Api.Infrastructure.OpenApi;

/// <summary>
/// The document as a whole: what the API is, where it is served, how a caller signs in, and the one problem shape
/// (RFC 9457) every error answer has.
/// </summary>
internal sealed class DocumentContract(ApiDocumentOptions options) : IOpenApiDocumentTransformer
{
    public const string Bearer = "bearer";
    public const string Problem = "Problem";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Hazards API",
            Version = "v1",
            Description = "The case-management core of Chongqing's safety-production and natural-disaster problem list: hazards "
                + "reported by grid workers, units and the public move through self-check, self-report, self-fix, verification "
                + "and sign-off; inspections follow their daily, weekly and monthly plans; overdue cases escalate up the "
                + "city, district, township, village and grid network. Every write takes an Idempotency-Key, every change "
                + "of a versioned resource takes If-Match, and every error is an RFC 9457 problem with a stable `code`.",
            Contact = new OpenApiContact
            {
                Name = options.ContactName,
                Email = options.ContactEmail,
                Url = options.ContactUrl,
            },
        };

        // Relative to the document's own address: the one document serves every deployment, each on its own host.
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "/",
                Description = "This deployment (production, staging or local): the host that served this document.",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            },
        ];
        EnsureComponents(document);
        foreach (var schema in document.Components!.Schemas!.Values.OfType<OpenApiSchema>())
        {
            NotNullMembers(schema);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A member the validators require, or that the service always writes with a value, is not offered as null: the
    /// generator wraps an optional reference in <c>oneOf: [null, ref]</c>, which is unwrapped here where null cannot come.
    /// </summary>
    private static void NotNullMembers(OpenApiSchema schema)
    {
        if (schema.Metadata?.TryGetValue(ValidatorSchemas.NotNullMembers, out var value) != true || value is not ISet<string> members || schema.Properties is null)
        {
            return;
        }

        foreach (var name in members)
        {
            if (schema.Properties.TryGetValue(name, out var property)
                && property is OpenApiSchema { OneOf: { Count: 2 } options }
                && options.SingleOrDefault(o => o is not OpenApiSchema { Type: JsonSchemaType.Null }) is { } target
                && options.Count(o => o is OpenApiSchema { Type: JsonSchemaType.Null }) == 1)
            {
                schema.Properties[name] = target;
            }
        }
    }

    /// <summary>The bearer scheme and the problem schema, added once whichever transformer meets the document first.</summary>
    public static void EnsureComponents(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT from the city's identity provider (OIDC discovery), or in Development one from `hazards token`. "
                + "Tokens are checked as RFC8725 (JWT best current practices) advises: issuer, audience, signature with the "
                + "provider's keys, expiry required and at most Auth:MaxTokenLifetimeHours long.",
        });
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(Problem, ProblemSchema());
    }

    private static OpenApiSchema ProblemSchema()
    {
        static OpenApiSchema Text(string description, int max, string? format = null) =>
            new() { Type = JsonSchemaType.String, Description = description, MaxLength = max, Format = format };

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem. `code` is stable and says which rule refused the request; `detail` is for people.",
            Required = new HashSet<string> { "type", "title", "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("The RFC section that defines the status.", 2000, "uri-reference"),
                ["title"] = Text("The status in words.", 200),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
                ["detail"] = Text("What went wrong, for people.", 2000),
                ["instance"] = Text("The request's path.", 2000, "uri-reference"),
                ["code"] = Text("A stable code such as `validation.failed`, `case.not_found` or `concurrency.version_mismatch`.", 100),
                ["traceId"] = Text("The request's trace, to quote to the operator.", 100),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "With validation.failed: each invalid field (camelCase path) and its messages.",
                    MaxProperties = 100,
                    AdditionalProperties = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        MaxItems = 20,
                        Items = Text("A message.", 1000),
                    },
                },
            },
        };
    }
}

/// <summary>The <c>OpenApi</c> section: whether the API's document and its reference page are served outside Development, and whom the document names to ask.</summary>
public sealed class ApiDocumentOptions
{
    public bool Enabled { get; set; }

    public string ContactName { get; set; } = "Hazards operations";

    [System.ComponentModel.DataAnnotations.EmailAddress]
    public string? ContactEmail { get; set; }

    public Uri? ContactUrl { get; set; }
}
