using System.Reflection;
using SqlPair = Hazards.Api.Infrastructure.Data.Sql;

namespace Hazards.Api.Tests.Infrastructure.Database;

/// <summary>One statement the service issues, named after the field that holds it.</summary>
public sealed record CatalogedSql(string Name, SqlPair Sql)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every <c>static readonly Sql</c> field of an assembly, whatever the visibility or nesting of its type,
/// so that no statement escapes the checks by being declared somewhere unexpected.
/// </summary>
public static class SqlStatementCatalog
{
    private const BindingFlags StaticFields = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static Assembly ApiAssembly => typeof(SqlPair).Assembly;

    public static IReadOnlyList<CatalogedSql> All() => Enumerate(ApiAssembly);

    public static IReadOnlyList<CatalogedSql> Enumerate(Assembly assembly)
    {
        var found = new List<CatalogedSql>();
        foreach (var type in LoadableTypes(assembly).Where(t => !t.ContainsGenericParameters))
        {
            foreach (var field in type.GetFields(StaticFields).Where(f => f.IsInitOnly && typeof(SqlPair).IsAssignableFrom(f.FieldType)))
            {
                if (field.GetValue(null) is SqlPair sql)
                {
                    found.Add(new CatalogedSql($"{NameOf(type)}.{MemberName(field)}", sql));
                }
            }
        }

        if (found.Count == 0)
        {
            throw new InvalidOperationException($"No static readonly Sql field found in {assembly.GetName().Name}; the catalog is broken, not the code.");
        }

        return found.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    // Nested types read Outer.Inner, not Outer+Inner.
    private static string NameOf(Type type) =>
        type.DeclaringType is null ? type.Name : $"{NameOf(type.DeclaringType)}.{type.Name}";

    // A get-only static auto-property is a static readonly field too; name it after the property.
    private static string MemberName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.EndsWith(">k__BackingField", StringComparison.Ordinal)
            ? field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)]
            : field.Name;

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var reasons = string.Join("; ", ex.LoaderExceptions.Select(e => e?.Message).Distinct());
            throw new InvalidOperationException($"Cannot load every type of {assembly.GetName().Name}: {reasons}", ex);
        }
    }
}
