using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Hazards.Api.Infrastructure;

/// <summary>
/// One way to read a settings section: bound through <see cref="IOptions{T}"/>, its annotations checked when the
/// host starts (or when a CLI command first resolves it), each failure naming its key (<c>Writes:PermitsPerMinute</c>).
/// The bare <typeparamref name="T"/> stays resolvable for its consumers.
/// </summary>
public static class OptionsBinding
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string key) where T : class
    {
        // Checked now as well, where the composition gathers refusals, so that one start names all of them.
        if (services.Refusals() is { } refusals)
        {
            var probe = Activator.CreateInstance<T>();
            var failures = new List<string>();
            if (StartupRefusals.TryBind(refusals.Configuration, key, probe, failures)
                && new AnnotatedOptions<T>(key).Validate(null, probe) is { Failed: true } annotated)
            {
                failures.AddRange(annotated.Failures);
            }

            refusals.Add(failures);
        }

        services.AddSingleton<IValidateOptions<T>>(new AnnotatedOptions<T>(key));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>().BindConfiguration(key).ValidateOnStart();
    }

    /// <summary>
    /// A section the composition needs while it registers services (the database, the job server, the mail transport,
    /// token checking, the deadline and ladder policies): bound over <paramref name="defaults"/> and checked now, each
    /// refusal naming its key and gathered with the start's others (<see cref="StartupRefusals"/>), then registered as <see cref="IOptions{T}"/> and as the bare
    /// <typeparamref name="T"/>, like the others. <paramref name="check"/> adds the rules annotations cannot say,
    /// each failure a text that starts with the key it is about.
    /// </summary>
    public static T AddStartupOptions<T>(
        this IServiceCollection services, IConfiguration configuration, string key, T defaults, Func<T, IEnumerable<string>>? check = null)
        where T : class
    {
        var failures = new List<string>();
        if (StartupRefusals.TryBind(configuration, key, defaults, failures))
        {
            if (new AnnotatedOptions<T>(key).Validate(null, defaults) is { Failed: true } annotated)
            {
                failures.AddRange(annotated.Failures);
            }

            failures.AddRange(check?.Invoke(defaults) ?? []);
        }

        if (failures.Count > 0)
        {
            var refusals = services.Refusals() ?? throw new OptionsValidationException(key, typeof(T), failures);
            refusals.Add(failures);
        }

        services.AddSingleton<IOptions<T>>(Options.Create(defaults));
        services.AddSingleton(defaults);
        return defaults;
    }
}

/// <summary>
/// The settings a start refuses, gathered over the whole composition (<see cref="Gather"/>): a production start
/// then names every missing or invalid setting at once rather than one per attempt.
/// </summary>
public sealed class StartupRefusals(IConfiguration configuration)
{
    private readonly List<string> failures = [];

    public IConfiguration Configuration => configuration;

    public bool Any => failures.Count > 0;

    /// <summary>Gathers the refusals of <paramref name="compose"/>, then throws one exception naming them all.</summary>
    public static void Gather(IServiceCollection services, IConfiguration configuration, Action compose)
    {
        var refusals = new StartupRefusals(configuration);
        services.AddSingleton(refusals);
        try
        {
            compose();
        }
        catch (Exception) when (refusals.Any)
        {
            // A part that cannot compose with a value already refused stops here; the refusals so far are the answer.
        }

        if (refusals.Any)
        {
            throw new OptionsValidationException("settings", typeof(StartupRefusals), refusals.failures);
        }
    }

    public void Add(IEnumerable<string> refused) => failures.AddRange(refused);

    /// <summary>Binds section <paramref name="key"/> over <paramref name="target"/>; a value of the wrong type is refused by its key.</summary>
    public static bool TryBind(IConfiguration configuration, string key, object target, List<string> failures)
    {
        try
        {
            configuration.GetSection(key).Bind(target);
            return true;
        }
        catch (InvalidOperationException e)
        {
            failures.Add($"{key}: {e.Message}");
            return false;
        }
    }
}

internal static class StartupRefusalsLookup
{
    public static StartupRefusals? Refusals(this IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(StartupRefusals))?.ImplementationInstance as StartupRefusals;
}

/// <summary>Data annotations of a settings class, reported under the section's key rather than the class's name.</summary>
internal sealed class AnnotatedOptions<T>(string key) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), failures, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(failures.Select(f => $"{key}:{string.Join(",", f.MemberNames)}: {f.ErrorMessage}"));
    }
}
