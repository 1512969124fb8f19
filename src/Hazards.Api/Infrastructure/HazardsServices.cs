using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.Admin;
using Hazards.Api.Features.Attachments;
using Hazards.Api.Features.Calendar;
using Hazards.Api.Features.Cases;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Health;
using Hazards.Api.Features.Imports;
using Hazards.Api.Features.Inspections;
using Hazards.Api.Features.Me;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Features.Places;
using Hazards.Api.Features.Reports;
using Hazards.Api.Features.Supervision;
using Hazards.Api.Features.Units;
using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hangfire;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.Jobs;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Infrastructure.OpenApi;
using Hazards.Api.Infrastructure.Pipeline;
using Scalar.AspNetCore;

namespace Hazards.Api.Infrastructure;

/// <summary>The composition root: every service, the middleware order and the route table.</summary>
public static class HazardsServices
{
    /// <summary>Every service; a start with settings missing or invalid throws one exception naming each of them.</summary>
    public static IServiceCollection AddHazards(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        StartupRefusals.Gather(services, configuration, () => Compose(services, configuration, environment));
        return services;
    }

    private static void Compose(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var database = services.AddStartupOptions(configuration, "Database", new DatabaseOptions
        {
            ConnectionString = configuration.GetConnectionString("Hazards") is { Length: > 0 } cs ? cs : DatabaseOptions.DefaultSqliteConnection,
        });
        DapperTypes.Register(database.Provider);

        services.AddSingleton<ConnectionFactory>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddSingleton<Migrator>();
        services.AddScoped<DbSession>();
        services.AddHostedService<StartupMigration>();
        services.AddHostedService<CalendarStartup>();

        // After the migration: hosted services start in the order they are registered.
        services.AddHostedService<ImportRunner>();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<UnitReader>();
        services.AddScoped<AdminHistory>();
        services.AddScoped<UserReader>();
        services.AddScoped<UserWriter>();
        services.AddScoped<OrgUnitWriter>();
        services.AddScoped<OrgUnitReader>();
        services.AddScoped<OrgUnitAdmin>();
        services.AddScoped<LiveOrgUnits>();
        services.AddPlaces();
        services.AddScoped<UnitWriter>();
        services.AddValidatedOptions<ImportOptions>("Imports");
        services.AddValidatedOptions<SpreadsheetLimits>("Imports");
        services.AddSingleton<ImportQueue>();
        services.AddScoped<ImportStore>();
        services.AddScoped<ImportProcessor>();
        services.AddScoped<CaseLookup>();
        services.AddScoped<CaseStore>();
        services.AddScoped<CaseHistory>();
        services.AddScoped<CaseReporter>();
        services.AddScoped<NearbyCases>();
        services.AddScoped<CaseViews>();
        services.AddScoped<CaseChanges>();
        services.AddScoped<EvidenceLinks>();
        services.AddScoped<AttachmentFiles>();
        services.AddScoped<UnitScope>();
        services.AddScoped<PlanReader>();
        services.AddEscalations(configuration, environment);
        services.AddScoped<SpotCheckRecords>();
        services.AddScoped<BoardReader>();
        services.AddScoped<BoardChanges>();
        services.AddPublicTips(configuration);
        services.AddCalendar(configuration);
        services.AddValidatedOptions<InspectionOptions>("Inspections");
        services.AddValidatedOptions<AttachmentOptions>("Attachments");
        services.AddSingleton<AttachmentStore>();
        services.AddScoped<IdempotencyFilter>();
        services.AddSingleton<DemoSeeder>();

        services.AddHazardsAuth(configuration, environment);
        services.AddRequestLimits(sp => Math.Max(sp.GetRequiredService<AttachmentOptions>().MaxBytes, sp.GetRequiredService<ImportOptions>().MaxBytes));
        var roles = ServiceRoles.From(configuration);
        services.AddSingleton(roles);
        services.AddHazardsJobs(configuration, database, roles);
        services.AddHazardsMail(configuration, environment);
        services.AddHazardsReports(configuration);
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>)];
        });
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                context.ProblemDetails.Extensions["code"] = ProblemExceptionHandler.CodeFor(context.ProblemDetails.Status ?? 500);
            }

            context.ProblemDetails.Type ??= ProblemExceptionHandler.TypeFor(context.ProblemDetails.Status ?? 500);
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new UtcInstantConverter());
            o.SerializerOptions.Converters.Add(new PlainTextConverter());
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddHazardsOpenApi();
        services.AddDashboardAntiforgery();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
    }

    public static WebApplication UseHazards(this WebApplication app)
    {
        app.UseSecurityHeaders();

        // Only on requests that came over https: behind a proxy that terminates TLS, the proxy sends it (deploy/nginx.conf).
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseHeadAsGet();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();

        // Authentication first, so that every answer to a write, a 413 included, says the limit its caller is held to.
        app.UseAuthentication();
        app.UseWriteLimitHeader();
        app.UseBodySizeLimit();
        app.Use((http, next) =>
        {
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.Headers.ContainsKey(IdempotencyFilter.Header))
            {
                http.Request.EnableBuffering();
            }

            return next(http);
        });
        app.UseCalendarRefresh();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseStrictQuery();
        app.MapHealth();
        if (!app.Services.GetRequiredService<ServiceRoles>().Api)
        {
            return app;
        }

        // The job dashboard is for city admins, and outside Development only where it is switched on.
        if (app.Environment.IsDevelopment() || app.Services.GetRequiredService<JobsOptions>().Dashboard)
        {
            app.UseDashboardStatsGuard();
            app.UseSecureCookiesOutsideDevelopment(app.Environment);
            app.UseHangfireDashboard("/hangfire", new DashboardOptions
            {
                AsyncAuthorization = [new DashboardAuthorization()],
                DashboardTitle = "Hazards jobs",
                AppPath = null,
            });
        }
        // The API's map is for its developers: outside Development only when asked for.
        if (app.Environment.IsDevelopment() || app.Services.GetRequiredService<ApiDocumentOptions>().Enabled)
        {
            app.MapOpenApi();
            app.MapScalarApiReference();
        }

        var api = app.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter<IdempotencyFilter>();
        // The order names the OpenAPI schemas: Cases and Inspections each have a PlanView, and the first one met keeps the name.
        api.MapOrgUnits().MapPlaces().MapUnits().MapAttachments().MapCases().MapMe().MapInspections().MapEscalations().MapReports().MapSupervision().MapCalendar()
        .MapUsers().MapAdmin().MapImports();
        app.MapPublicTips();
        app.MapNoticePages();
        return app;
    }
}
