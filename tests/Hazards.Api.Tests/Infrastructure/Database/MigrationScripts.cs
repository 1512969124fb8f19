using System.Reflection;
using System.Text;

namespace Hazards.Api.Tests.Infrastructure.Database;

/// <summary>The migration scripts as the service sees them: embedded in the Hazards.Api assembly.</summary>
public static class MigrationScripts
{
    public const string SqlitePrefix = "Migrations.sqlite.";
    public const string SqlServerPrefix = "Migrations.sqlserver.";

    private static Assembly Api => SqlStatementCatalog.ApiAssembly;

    /// <summary>The file names (without prefix) embedded under <paramref name="prefix"/>, in name order.</summary>
    public static IReadOnlyList<string> FileNames(string prefix) =>
        Api.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Read(string prefix, string fileName)
    {
        using var stream = Api.GetManifestResourceStream(prefix + fileName)
            ?? throw new InvalidOperationException($"Resource {prefix}{fileName} is not embedded in {Api.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<(string FileName, string Text)> All(string prefix)
    {
        var scripts = FileNames(prefix).Select(name => (name, Read(prefix, name))).ToList();
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No resource named {prefix}* is embedded in {Api.GetName().Name}.");
        }

        return scripts;
    }
}
