using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using FluentValidation.Validators;
using Hazards.Api.Infrastructure.Pipeline;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hazards.Api.Infrastructure.OpenApi;

/// <summary>
/// The document's schemas say what the validators enforce, read from the validators themselves so the two cannot drift:
/// a member is required when its type's validator has an unconditional NotNull or NotEmpty on it, and lengths, ranges,
/// patterns and item counts come from its rules. A bound that holds only under a condition is stated as if it always
/// held: a client that keeps to it is never refused. A type without a validator is one the service writes, so its
/// members are required as they are always written, nullable where the C# type is.
/// It also gives a type to the scalars whose converters hide it from the schema generator (plain text, UTC instants).
/// </summary>
internal sealed class ValidatorSchemas : IOpenApiSchemaTransformer
{
    private static readonly NullabilityInfoContext Nullability = new();
    private readonly ConcurrentDictionary<Type, RuleSource?> descriptors = new();

    /// <summary>The members of an object schema that are never null, for <see cref="DocumentContract"/> to unwrap once the schema is a component.</summary>
    public const string NotNullMembers = "hazards:not-null";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var services = context.ApplicationServices;
        var type = context.JsonTypeInfo;
        if (type.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            Object(schema, type, Descriptor(services, type.Type));
        }

        if (context.JsonPropertyInfo is { AttributeProvider: PropertyInfo property } info)
        {
            Property(schema, info, property, Descriptor(services, property.DeclaringType!));
        }
        else
        {
            Scalar(schema, type.Type, nullable: Nullable.GetUnderlyingType(type.Type) is not null);
            Items(schema, type.Type);
            schema.MaxLength ??= FormatLength(schema.Format);
        }

        return Task.CompletedTask;
    }

    private static void Object(OpenApiSchema schema, JsonTypeInfo type, RuleSource? validator)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        var notNull = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in type.Properties)
        {
            if (member.AttributeProvider is not PropertyInfo property || !schema.Properties!.ContainsKey(member.Name))
            {
                continue;
            }

            var byRule = validator is not null && Required(validator, property.Name);
            if (byRule || (validator is null && !IgnoredWhenNull(property)))
            {
                required.Add(member.Name);
            }

            if (byRule || !IsNullable(property))
            {
                notNull.Add(member.Name);
            }
        }

        schema.Required = required;
        schema.Metadata ??= new Dictionary<string, object>();
        schema.Metadata[NotNullMembers] = notNull;
    }

    private static void Property(OpenApiSchema schema, JsonPropertyInfo info, PropertyInfo property, RuleSource? validator)
    {
        var nullable = IsNullable(property);
        if (validator is not null && Required(validator, property.Name))
        {
            nullable = false;
        }

        Scalar(schema, info.PropertyType, nullable);
        Items(schema, info.PropertyType);
        schema.MaxLength ??= FormatLength(schema.Format);
        if (!nullable)
        {
            NotNull(schema);
        }

        if (validator is null)
        {
            return;
        }

        foreach (var rule in validator.GetRulesForMember(property.Name).Where(r => r.RuleSets is null || r.RuleSets.Length == 0))
        {
            var target = IsCollectionRule(rule) ? schema.Items as OpenApiSchema : schema;
            if (target is null)
            {
                continue;
            }

            foreach (var component in rule.Components)
            {
                Apply(target, component.Validator);
            }
        }
    }

    private static void Apply(OpenApiSchema schema, IPropertyValidator validator)
    {
        switch (validator)
        {
            case IMaxItemsValidator items:
                schema.MaxItems = Min(schema.MaxItems, items.Max);
                break;
            case ILengthValidator length:
                if (length.Max > 0)
                {
                    schema.MaxLength = Min(schema.MaxLength, length.Max);
                }

                if (length.Min > 0)
                {
                    schema.MinLength = Math.Max(schema.MinLength ?? 0, length.Min);
                }

                break;
            case IBetweenValidator between:
                schema.Minimum = Number(between.From);
                schema.Maximum = Number(between.To);
                if (validator.Name == "ExclusiveBetweenValidator")
                {
                    schema.ExclusiveMinimum = schema.Minimum;
                    schema.ExclusiveMaximum = schema.Maximum;
                    schema.Minimum = null;
                    schema.Maximum = null;
                }

                break;
            case IComparisonValidator { ValueToCompare: { } value } comparison when Number(value) is { } bound:
                switch (comparison.Comparison)
                {
                    case Comparison.GreaterThanOrEqual:
                        schema.Minimum = bound;
                        break;
                    case Comparison.GreaterThan:
                        schema.ExclusiveMinimum = bound;
                        break;
                    case Comparison.LessThanOrEqual:
                        schema.Maximum = bound;
                        break;
                    case Comparison.LessThan:
                        schema.ExclusiveMaximum = bound;
                        break;
                }

                break;
            case IRegularExpressionValidator regex:
                schema.Pattern = regex.Expression;
                if (PatternLength(regex.Expression) is { } longest)
                {
                    schema.MaxLength = Min(schema.MaxLength, longest);
                }

                break;
            case INotEmptyValidator when (schema.Type ?? 0).HasFlag(JsonSchemaType.String):
                schema.MinLength = Math.Max(schema.MinLength ?? 0, 1);
                break;
            case INotEmptyValidator when (schema.Type ?? 0).HasFlag(JsonSchemaType.Array):
                schema.MinItems = Math.Max(schema.MinItems ?? 0, 1);
                break;
        }
    }

    /// <summary>An unconditional NotNull or NotEmpty, outside any rule set: the member must be there.</summary>
    private static bool Required(RuleSource validator, string member) =>
        validator.GetRulesForMember(member)
            .Where(r => !IsCollectionRule(r) && (r.RuleSets is null || r.RuleSets.Length == 0))
            .SelectMany(r => r.Components)
            .Any(c => c.Validator is INotNullValidator or INotEmptyValidator && !c.HasCondition && !c.HasAsyncCondition);

    private static bool IsCollectionRule(IValidationRule rule) =>
        rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));

    /// <summary>
    /// The scalars the generator leaves without a type because a converter of ours writes them: text is a string, an
    /// instant an RFC 3339 string. Other schemas are left as generated.
    /// </summary>
    private static void Scalar(OpenApiSchema schema, Type type, bool nullable)
    {
        if (schema.Type is not null || schema.OneOf is { Count: > 0 } || schema.AnyOf is { Count: > 0 } || schema.AllOf is { Count: > 0 })
        {
            return;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            schema.Type = JsonSchemaType.String;
        }
        else if (underlying == typeof(DateTimeOffset) || underlying == typeof(DateTime))
        {
            schema.Type = JsonSchemaType.String;
            schema.Format = "date-time";
        }
        else
        {
            return;
        }

        if (nullable)
        {
            schema.Type |= JsonSchemaType.Null;
        }
    }

    /// <summary>A member that is never null loses null from its own type; a reference's null branch goes in <see cref="DocumentContract"/>.</summary>
    private static void NotNull(OpenApiSchema schema)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null) && type != JsonSchemaType.Null && schema.Properties is not { Count: > 0 })
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }
    }

    /// <summary>A list of scalars whose item schema the generator left empty gets its items' type.</summary>
    private static void Items(OpenApiSchema schema, Type type)
    {
        if (!(schema.Type ?? 0).HasFlag(JsonSchemaType.Array) || schema.Items is not null)
        {
            return;
        }

        var element = type.IsArray ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        if (element is not null)
        {
            var items = new OpenApiSchema();
            Scalar(items, element, nullable: false);
            schema.Items = items;
        }
    }

    private static bool IsNullable(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (!property.PropertyType.IsValueType && Nullability.Create(property).ReadState != NullabilityState.NotNull);

    private static bool IgnoredWhenNull(PropertyInfo property) =>
        property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault };

    private RuleSource? Descriptor(IServiceProvider services, Type type) =>
        descriptors.GetOrAdd(type, t =>
            services.GetService(typeof(IValidator<>).MakeGenericType(t)) is IValidator validator ? new RuleSource([.. Expand(validator.CreateDescriptor())]) : null);

    /// <summary>A validator's own rules and those of the validators it includes (the fields two commands share).</summary>
    private static IEnumerable<IValidatorDescriptor> Expand(IValidatorDescriptor descriptor)
    {
        yield return descriptor;
        var included = descriptor.Rules.OfType<FluentValidation.Internal.IIncludeRule>().Cast<IValidationRule>()
            .SelectMany(r => r.Components).Select(c => c.Validator).OfType<IChildValidatorAdaptor>()
            .Where(a => a.ValidatorType.GetConstructor(Type.EmptyTypes) is not null);
        foreach (var adaptor in included)
        {
            if (Activator.CreateInstance(adaptor.ValidatorType) is IValidator validator)
            {
                foreach (var inner in Expand(validator.CreateDescriptor()))
                {
                    yield return inner;
                }
            }
        }
    }

    private sealed class RuleSource(IReadOnlyList<IValidatorDescriptor> descriptors)
    {
        public IEnumerable<IValidationRule> GetRulesForMember(string member) => descriptors.SelectMany(d => d.GetRulesForMember(member));
    }

    /// <summary>
    /// The length of a value in a fixed-width format as the service reads it: a UUID in its 36-character form, a day as
    /// yyyy-MM-dd, an instant as RFC 3339 with at most seven decimals and an offset.
    /// </summary>
    internal static int? FormatLength(string? format) => format switch
    {
        "uuid" => 36,
        "date" => 10,
        "date-time" => 33,
        _ => null,
    };

    /// <summary>
    /// The longest text an anchored pattern of bounded pieces matches (<c>^\+?[0-9\-]{5,20}$</c> is 21), or null when a
    /// piece is unbounded or the pattern is not that simple: a code or a phone number has its length in its pattern.
    /// </summary>
    internal static int? PatternLength(string pattern)
    {
        if (pattern.Length < 2 || pattern[0] != '^' || pattern[^1] != '$')
        {
            return null;
        }

        var total = 0;
        var i = 1;
        while (i < pattern.Length - 1)
        {
            var c = pattern[i];
            if (c == '[')
            {
                var close = i + 1;
                while (close < pattern.Length - 1 && (pattern[close] != ']' || pattern[close - 1] == '\\'))
                {
                    close++;
                }

                if (close >= pattern.Length - 1)
                {
                    return null;
                }

                i = close + 1;
            }
            else if (c == '\\' && i + 1 < pattern.Length - 1)
            {
                i += 2;
            }
            else if ("()|*+.{}".Contains(c))
            {
                return null;
            }
            else
            {
                i++;
            }

            var most = 1;
            if (i < pattern.Length - 1 && pattern[i] == '?')
            {
                i++;
            }
            else if (i < pattern.Length - 1 && pattern[i] == '{')
            {
                var end = pattern.IndexOf('}', i);
                if (end < 0)
                {
                    return null;
                }

                var counts = pattern[(i + 1)..end].Split(',');
                if (!int.TryParse(counts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out most))
                {
                    return null;
                }

                i = end + 1;
            }
            else if (i < pattern.Length - 1 && pattern[i] is '*' or '+')
            {
                return null;
            }

            total += most;
        }

        return total;
    }

    private static int Min(int? current, int bound) => current is { } c ? Math.Min(c, bound) : bound;

    private static string? Number(object? value) => value switch
    {
        int or long or short or byte or decimal or double or float => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };
}
