using Hazards.Api.Infrastructure;

namespace Hazards.Api.Features.Reports;

public static class ReportsSetup
{
    public static IServiceCollection AddHazardsReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ReportWeights>("Reports:Weights");
        services.AddScoped<ClearanceReportBuilder>();
        services.AddScoped<ChildBoundaries>();
        return services;
    }
}
