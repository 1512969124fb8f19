namespace Hazards.Domain;

/// <summary>A broken business rule or an illegal move; the host answers 409 with <see cref="Code"/>.</summary>
public sealed class DomainRuleException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
