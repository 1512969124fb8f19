using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Reports;

/// <summary>One <see cref="ReportCity"/> for the report fixtures that only read, built on first use and disposed after them.</summary>
[SetUpFixture]
public sealed class SharedCity
{
    private static Task<HazardsApp>? app;

    public static Task<HazardsApp> App => app ??= ReportCity.Build();

    [OneTimeTearDown]
    public async Task DisposeCity()
    {
        if (app is not null)
        {
            (await app).Dispose();
            app = null;
        }
    }
}
