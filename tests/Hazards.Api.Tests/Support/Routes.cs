using System.Text.RegularExpressions;

namespace Hazards.Api.Tests.Support;

/// <summary>A route pattern of the route table or the document made into a URL of the demo: each parameter given a value of its kind.</summary>
public static partial class Routes
{
    public static string Fill(string pattern, Guid? id = null) =>
        Parameter().Replace(pattern, m => m.Groups[1].Value switch
        {
            "id" => (id ?? Guid.NewGuid()).ToString(),
            "code" => "500103001",
            "year" => "2026",
            "kind" => "units",
            "list" => "toFix",
            "trackingCode" => "T0000000000",
            var other => other,
        });

    [GeneratedRegex(@"\{(\w+)(?::[^}]*)?\}")]
    private static partial Regex Parameter();
}
