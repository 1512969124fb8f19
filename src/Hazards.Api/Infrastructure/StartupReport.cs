using System.Reflection;
using Microsoft.Extensions.Options;

namespace Hazards.Api.Infrastructure;

/// <summary>How the process tells its operator which settings to fix: one line each, no stack trace, exit code 78.</summary>
public static class StartupReport
{
    /// <summary>EX_CONFIG of sysexits.h: a configuration error, so a supervisor need not retry.</summary>
    public const int ConfigurationError = 78;

    /// <summary>
    /// Whether this binary is the process; under a test host the refusal goes on to the host, which reports it as the
    /// exception it is.
    /// </summary>
    public static bool OwnProcess => Assembly.GetEntryAssembly() == typeof(StartupReport).Assembly;

    public static int Write(OptionsValidationException refused, TextWriter to)
    {
        to.WriteLine($"The service cannot start: {refused.Failures.Count()} setting(s) missing or invalid.");
        foreach (var failure in refused.Failures)
        {
            to.WriteLine($"  - {failure}");
        }

        to.WriteLine("Settings come from appsettings.json, environment variables (Email__BaseUrl for Email:BaseUrl) or the command line.");
        return ConfigurationError;
    }
}
