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
        services.AddSingleton<IValidateOptions<T>>(new AnnotatedOptions<T>(key));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>().BindConfiguration(key).ValidateOnStart();
    }

    /// <summary>
    /// A section the composition needs while it registers services (the database, the job server, the mail transport,
    /// token checking, the deadline and ladder policies): bound over <paramref name="defaults"/> and checked now, so a bad
    /// setting stops the start naming its key, then registered as <see cref="IOptions{T}"/> and as the bare
    /// <typeparamref name="T"/>, like the others. <paramref name="check"/> adds the rules annotations cannot say,
    /// each failure a text that starts with the key it is about.
    /// </summary>
    public static T AddStartupOptions<T>(
        this IServiceCollection services, IConfiguration configuration, string key, T defaults, Func<T, IEnumerable<string>>? check = null)
        where T : class
    {
        configuration.GetSection(key).Bind(defaults);
        var failures = new List<string>();
        if (new AnnotatedOptions<T>(key).Validate(null, defaults) is { Failed: true } annotated)
        {
            failures.AddRange(annotated.Failures);
        }

        failures.AddRange(check?.Invoke(defaults) ?? []);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(key, typeof(T), failures);
        }

        services.AddSingleton<IOptions<T>>(Options.Create(defaults));
        services.AddSingleton(defaults);
        return defaults;
    }
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
