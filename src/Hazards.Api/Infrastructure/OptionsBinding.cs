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
