namespace Hazards.Domain;

/// <summary>A broken business rule; the host maps it to 409 with <see cref="Code"/> as the problem code.</summary>
public sealed class DomainRuleException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
