namespace Hazards.Api.Features.Reports;

public static class ReportsSetup
{
    public static IServiceCollection AddHazardsReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Reports:Weights").Get<ReportWeights>() ?? new ReportWeights());
        services.AddScoped<ClearanceReportBuilder>();
        return services;
    }
}
