using System.Globalization;

namespace Hazards.Bench;

/// <summary><c>&lt;command&gt; [--name value]…</c>; every option takes one value.</summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);

    private BenchArgs(string? command) => Command = command;

    public string? Command { get; }

    public static BenchArgs Parse(string[] args)
    {
        var parsed = new BenchArgs(args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : null);
        for (var i = parsed.Command is null ? 0 : 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--option value', got '{args[i]}'.");
            }

            parsed.options[args[i][2..]] = args[++i];
        }

        return parsed;
    }

    public string? Text(string name) => options.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        options.TryGetValue(name, out var value) ? int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<int> Ints(string name, params int[] fallback) =>
        options.TryGetValue(name, out var value)
            ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => int.Parse(v.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture))
                .ToArray()
            : fallback;

    public void RejectUnknown(params string[] known)
    {
        var unknown = options.Keys.Except(known).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown option(s) for '{Command}': {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }
}
