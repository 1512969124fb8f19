using System.Collections;
using FluentValidation;
using FluentValidation.Validators;

namespace Hazards.Api.Infrastructure.Pipeline;

/// <summary>A rule's bound on how many items a list may hold, readable by the OpenAPI document as <c>maxItems</c>.</summary>
public interface IMaxItemsValidator
{
    int Max { get; }
}

/// <summary>At most <see cref="Max"/> items; an absent list passes (NotNull/NotEmpty say whether it must be there).</summary>
public sealed class MaxItemsValidator<T, TCollection>(int max) : PropertyValidator<T, TCollection>, IMaxItemsValidator
    where TCollection : IEnumerable?
{
    public int Max => max;

    public override string Name => "MaxItemsValidator";

    public override bool IsValid(ValidationContext<T> context, TCollection value)
    {
        if (value is null)
        {
            return true;
        }

        if (value is ICollection collection)
        {
            return collection.Count <= max;
        }

        var count = 0;
        foreach (var _ in value)
        {
            if (++count > max)
            {
                return false;
            }
        }

        return true;
    }

    protected override string GetDefaultMessageTemplate(string errorCode) => $"At most {max} items.";
}

public static class CollectionRules
{
    public static IRuleBuilderOptions<T, TCollection> MaxItems<T, TCollection>(this IRuleBuilder<T, TCollection> rule, int max)
        where TCollection : IEnumerable? =>
        rule.SetValidator(new MaxItemsValidator<T, TCollection>(max));
}
