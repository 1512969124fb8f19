namespace Hazards.Api.Infrastructure.OpenApi;

public static class OpenApiSetup
{
    /// <summary>The document at <c>/openapi/v1.json</c>, shaped by the transformers of this folder.</summary>
    public static IServiceCollection AddHazardsOpenApi(this IServiceCollection services)
    {
        services.AddValidatedOptions<ApiDocumentOptions>("OpenApi");
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<DocumentContract>();
            options.AddOperationTransformer<OperationContract>();
            options.AddSchemaTransformer<ValidatorSchemas>();
        });
        return services;
    }
}
