using System.Text.RegularExpressions;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Infrastructure;

/// <summary>
/// The folder rules, read from the sources: Infrastructure serves the features and uses none of them,
/// the mail outbox knows nothing of the jobs that wake it, and the domain knows nothing of the service. A file breaks a
/// rule when it names the forbidden namespace in a <c>using</c> directive or in a qualified name (written in full, with
/// <c>global::</c>, or relative to the file's own namespace); comments do not count.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private const string Features = "Hazards.Api.Features";

    /// <summary>
    /// Files of Infrastructure that use features on purpose: they are where the service is put together, not services
    /// the features build on.
    /// </summary>
    private static readonly Dictionary<string, string> InfrastructureUsingFeatures = new()
    {
        ["src/Hazards.Api/Infrastructure/HazardsServices.cs"] = "the composition root: it registers every feature's services and maps its routes",
        ["src/Hazards.Api/Infrastructure/Jobs/JobCatalog.cs"] =
            "the one list of sweeps, each a feature's command; SweepJob loads the calendar (Features/Calendar) before each run",
        ["src/Hazards.Api/Infrastructure/Cli/Cli.cs"] = "the command line runs feature use cases: import, calendar load, jobs run",
        ["src/Hazards.Api/Infrastructure/Cli/DemoSeeder.cs"] = "seeds through the features' own writers and imports (the first admin, the demo data)",
    };

    [Test]
    public void Infrastructure_WhenScanned_UsesNoFeatureOutsideTheListedExceptions()
    {
        var found = Violations("src/Hazards.Api/Infrastructure", Features);

        Assert.That(found.Keys.Except(InfrastructureUsingFeatures.Keys), Is.Empty, Report(found, "Infrastructure uses Features"));
        Assert.That(InfrastructureUsingFeatures.Keys.Except(found.Keys), Is.Empty, "listed as exceptions but no longer using Features: remove them from the list");
    }

    [Test]
    public void Mail_WhenScanned_UsesNoJobs()
    {
        var found = Violations("src/Hazards.Api/Infrastructure/Mail", "Hazards.Api.Infrastructure.Jobs");

        Assert.That(found, Is.Empty, Report(found, "Infrastructure/Mail uses Infrastructure/Jobs"));
    }

    [Test]
    public void Domain_WhenScanned_UsesNoApi()
    {
        var found = Violations("src/Hazards.Domain", "Hazards.Api");

        Assert.That(found, Is.Empty, Report(found, "Hazards.Domain uses Hazards.Api"));
    }

    [TestCase("using Hazards.Api.Features.Cases;\nnamespace Hazards.Api.Infrastructure.Mail;", true)]
    [TestCase("global using Hazards.Api.Features.Cases;", true)]
    [TestCase("using static Hazards.Api.Features.Cases.CaseScope;\nnamespace Hazards.Api.Infrastructure;", true)]
    [TestCase("using Scope = Hazards.Api.Features.Cases.CaseScope;\nnamespace Hazards.Api.Infrastructure;", true)]
    [TestCase("namespace Hazards.Api.Infrastructure.Cli;\nclass A { object B => Features.Users.UserRules.Check(null); }", true)]
    [TestCase("namespace Hazards.Api.Infrastructure.Cli;\nclass A { object B => Api.Features.Users.UserRules.Check(null); }", true)]
    [TestCase("namespace Hazards.Api.Infrastructure.Cli;\nclass A { object B => global::Hazards.Api.Features.Users.UserRules.Check(null); }", true)]
    [TestCase("namespace Hazards.Api.Infrastructure.Http;\nclass A { string U = \"https://x/*\"; object B => Features.Cases.CaseScope.Covers; }", true)]
    [TestCase("namespace Hazards.Api.Infrastructure.Http;\nclass A { object B(HttpContext http) => http.Features.Get<object>(); }", false)]
    [TestCase("namespace Hazards.Api.Infrastructure.Http;\n// Features.Cases.CaseScope is what the features use\n/* using Hazards.Api.Features.Cases; */", false)]
    [TestCase("using Hazards.Api.FeaturesOfNote;\nnamespace Hazards.Api.Infrastructure.Http;", false)]
    public void Scanner_WhenGivenASource_FindsAUseOfTheNamespaceOnlyWhereThereIsOne(string source, bool uses)
    {
        Assert.That(Uses(source, Features), Is.EqualTo(uses));
    }

    /// <summary>The files under <paramref name="folder"/> (relative to the repository) that use <paramref name="forbidden"/>, with the first line that does.</summary>
    private static Dictionary<string, string> Violations(string folder, string forbidden)
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.That(files, Is.Not.Empty, $"no source files under {folder}");

        var found = new Dictionary<string, string>();
        foreach (var file in files)
        {
            if (FirstUse(File.ReadAllText(file), forbidden) is { } line)
            {
                found[Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/')] = line;
            }
        }

        return found;
    }

    private static bool Uses(string source, string forbidden) => FirstUse(source, forbidden) is not null;

    private static string? FirstUse(string source, string forbidden)
    {
        // String literals are matched so that a "//" or "/*" inside one is not taken for a comment; they are kept as written.
        var code = CommentsOrStrings().Replace(source, match =>
            match.Value.StartsWith('"') ? match.Value : new string('\n', match.Value.Count(c => c == '\n')));
        var patterns = new List<Regex>
        {
            new($@"^\s*(global\s+)?using\s+(static\s+)?(\w+\s*=\s*)?{Regex.Escape(forbidden)}(\.[\w.]+)?\s*;", RegexOptions.Multiline),
            new($@"global::{Regex.Escape(forbidden)}\b"),
        };

        // Inside namespace A.B.C a qualified name may start below any enclosing namespace: B.X, C.X or X for A.B.X.
        var own = Namespace().Match(code) is { Success: true } declared ? declared.Groups["name"].Value : "";
        var enclosing = own.Split('.', StringSplitOptions.RemoveEmptyEntries);
        var relative = new HashSet<string> { forbidden };
        for (var depth = 1; depth <= enclosing.Length; depth++)
        {
            var prefix = string.Join('.', enclosing[..depth]) + ".";
            if (forbidden.StartsWith(prefix, StringComparison.Ordinal))
            {
                relative.Add(forbidden[prefix.Length..]);
            }
        }

        patterns.AddRange(relative.Select(name => new Regex($@"(?<![\w.:]){Regex.Escape(name)}\.[A-Z]")));
        var lines = code.Split('\n');
        return lines.Select((text, index) => (text, index))
            .FirstOrDefault(l => patterns.Any(p => p.IsMatch(l.text))) is { text: { } hit } first
            ? $"line {first.index + 1}: {hit.Trim()}"
            : null;
    }

    private static string Report(Dictionary<string, string> found, string rule) =>
        $"{rule}:\n" + string.Join("\n", found.Select(f => $"  {f.Key} ({f.Value})"));

    private static string RepositoryRoot() => Repository.Root;

    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""|//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentsOrStrings();

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex Namespace();
}
