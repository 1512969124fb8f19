using System.Text;
using System.Text.Json.Nodes;

namespace Hazards.Api.Tests.Security;

/// <summary>One hostile request body: its bytes and the content type it claims.</summary>
public sealed record Mutation(string Name, byte[] Body, string? ContentType);

/// <summary>
/// Hostile bodies made from a valid one: every field given wrong types, nulls, huge
/// strings and arrays, deep nesting, control characters, SQL and HTML, numbers and dates out of range, or
/// left out; and whole bodies that are empty, not JSON, invalid UTF-8, or sent as another media type.
/// </summary>
public static class Mutations
{
    private const string Json = "application/json";
    private const string Raw = "\u0001raw\u0001";

    private static readonly string Deep = new string('[', 200) + new string(']', 200);

    /// <summary>Values put in place of a field; strings in <see cref="RawTokens"/> go into the text unquoted.</summary>
    private static readonly JsonNode?[] Values =
    [
        null, 0, -1, 2147483647L, 2147483648L, -2147483649L, 1.5, true, false, "", "   ", "abc", new JsonArray(), new JsonObject(),
        new string('长', 100_000),
        "\u0000\u0001\u0008\u001b\u007f\u2028\u202e",
        "\ud800",
        "'; DROP TABLE cases; --",
        "' OR '1'='1' --",
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        "0000-00-00", "9999-12-31T24:00", "2026-02-30", "9999-12-31", "0001-01-01", "2026-03-02T08:00:00", "-0001-01-01T00:00:00Z",
        "00000000-0000-0000-0000-000000000000", "0190f0a0-0000-7000-8000-000000000001", "YH-500103-2026-000001",
        "../../../etc/passwd", "%00%0a", "${jndi:ldap://x}",
    ];

    private static readonly string[] RawTokens = ["1e309", "-1e309", "1e-400", "99999999999999999999999999999", "NaN", "Infinity", "0x10", "01", Deep,
        new string('{', 0) + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)];

    public static IEnumerable<Mutation> Of(JsonObject valid, Random random)
    {
        foreach (var path in Paths(valid, []))
        {
            var name = string.Join('.', path);
            yield return Edit(valid, path, $"{name} removed", remove: true);
            foreach (var value in Values)
            {
                yield return Edit(valid, path, $"{name} = {Describe(value)}", value: value);
            }

            foreach (var token in RawTokens)
            {
                yield return Edit(valid, path, $"{name} = {Describe(token)} (raw)", raw: token);
            }

            yield return Edit(valid, path, $"{name} = 10k numbers", value: new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode)i).ToArray()));
            yield return Edit(valid, path, $"{name} = 10k strings", value: new JsonArray(Enumerable.Range(0, 10_000).Select(_ => (JsonNode)"隐患").ToArray()));
            yield return Edit(valid, path, $"{name} = invalid UTF-8", invalidUtf8: true);
        }

        foreach (var mutation in WholeBodies(valid))
        {
            yield return mutation;
        }

        // Random damage to the valid text, from a fixed seed: flipped, dropped and doubled bytes.
        var text = Encoding.UTF8.GetBytes(valid.ToJsonString());
        for (var i = 0; i < 40; i++)
        {
            var bytes = text.ToList();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0: bytes[at] = (byte)random.Next(256); break;
                    case 1: bytes.RemoveAt(at); break;
                    default: bytes.Insert(at, bytes[at]); break;
                }
            }

            yield return new Mutation($"random damage #{i}", bytes.ToArray(), Json);
        }
    }

    private static IEnumerable<Mutation> WholeBodies(JsonObject valid)
    {
        var text = valid.ToJsonString();
        var first = valid.First().Key;
        foreach (var body in new[] { "", "null", "[]", "{}", "\"x\"", "123", "true", "{", "{\"", "{}x", text + text, "[" + text + "]",
            "{\"" + first + "\": 1, " + text[1..], "/* c */" + text, text.Replace('"', '\''), "\ufeff" + text, Deep,
            string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200) })
        {
            yield return new Mutation($"body {Describe(body)}", Encoding.UTF8.GetBytes(body), Json);
        }

        var extra = valid.DeepClone().AsObject();
        foreach (var (key, value) in new (string, JsonNode)[] { ("$type", "System.IO.FileInfo"), ("__proto__", new JsonObject { ["admin"] = true }),
            ("constructor", "x"), ("role", "cityAdmin"), ("orgCode", "500000"), (new string('k', 10_000), 1) })
        {
            extra[key] = value;
        }

        yield return new Mutation("extra fields", Encoding.UTF8.GetBytes(extra.ToJsonString()), Json);
        yield return new Mutation("1000 extra fields", Encoding.UTF8.GetBytes(ManyFields(valid)), Json);
        yield return new Mutation("invalid UTF-8 bytes", [.. Encoding.UTF8.GetBytes(text[..^1]), .. ",\"x\":\""u8, 0xC3, 0x28, 0xFF, 0xFE, 0xC0, 0xAF, .. "\"}"u8], Json);
        yield return new Mutation("UTF-16 body", Encoding.Unicode.GetBytes(text), Json);
        yield return new Mutation("as text/plain", Encoding.UTF8.GetBytes(text), "text/plain");
        yield return new Mutation("as form", Encoding.UTF8.GetBytes("title=x&description=y"), "application/x-www-form-urlencoded");
        yield return new Mutation("as multipart", Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"), "multipart/form-data; boundary=b");
        yield return new Mutation("as xml", Encoding.UTF8.GetBytes("<case><title>x</title></case>"), "application/xml");
        yield return new Mutation("no content type", Encoding.UTF8.GetBytes(text), null);
        yield return new Mutation("json with charset latin1", Encoding.Latin1.GetBytes(text), "application/json; charset=iso-8859-1");
    }

    private static string ManyFields(JsonObject valid)
    {
        var copy = valid.DeepClone().AsObject();
        for (var i = 0; i < 1000; i++)
        {
            copy[$"f{i}"] = i;
        }

        return copy.ToJsonString();
    }

    private static Mutation Edit(JsonObject valid, IReadOnlyList<object> path, string name, JsonNode? value = null, string? raw = null,
        bool remove = false, bool invalidUtf8 = false)
    {
        var copy = valid.DeepClone();
        var parent = path.Take(path.Count - 1).Aggregate(copy, (node, step) => step is int i ? node[i]! : node[(string)step]!);
        var last = path[^1];
        JsonNode? replacement = raw is not null || invalidUtf8 ? Raw : value?.DeepClone();
        if (remove)
        {
            if (last is int index)
            {
                parent.AsArray().RemoveAt(index);
            }
            else
            {
                parent.AsObject().Remove((string)last);
            }
        }
        else if (last is int index)
        {
            parent[index] = replacement;
        }
        else
        {
            parent[(string)last] = replacement;
        }

        var text = copy.ToJsonString();
        if (invalidUtf8)
        {
            var at = text.IndexOf($"\"{Raw}\"".Replace("\u0001", "\\u0001", StringComparison.Ordinal), StringComparison.Ordinal);
            var marker = $"\"{Raw}\"".Replace("\u0001", "\\u0001", StringComparison.Ordinal);
            return new Mutation(name, [.. Encoding.UTF8.GetBytes(text[..at]), .. "\"ab"u8, 0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80, .. "\""u8,
                .. Encoding.UTF8.GetBytes(text[(at + marker.Length)..])], Json);
        }

        if (raw is not null)
        {
            text = text.Replace($"\"{Raw}\"".Replace("\u0001", "\\u0001", StringComparison.Ordinal), raw, StringComparison.Ordinal);
        }

        return new Mutation(name, Encoding.UTF8.GetBytes(text), Json);
    }

    /// <summary>Every field and the first item of every array, as paths of names and indexes.</summary>
    private static IEnumerable<IReadOnlyList<object>> Paths(JsonNode node, List<object> prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    var path = new List<object>(prefix) { key };
                    yield return path;
                    if (child is not null)
                    {
                        foreach (var inner in Paths(child, path))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray { Count: > 0 } array:
                var first = new List<object>(prefix) { 0 };
                yield return first;
                if (array[0] is { } item)
                {
                    foreach (var inner in Paths(item, first))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static string Describe(object? value)
    {
        var text = value switch
        {
            null => "null",
            JsonNode node => node.ToJsonString(),
            _ => value.ToString() ?? "",
        };
        return text.Length <= 40 ? text : $"{text[..20]}… ({text.Length} chars)";
    }
}
