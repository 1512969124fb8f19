using System.Reflection;
using Hazards.Api.Features.Attachments;
using Hazards.Api.Features.Inspections;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Jobs;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Hazards.Api.Tests.Infrastructure.Deployment;

/// <summary>
/// docker-compose.yml cannot run on these machines, so it is checked by reading: it parses, holds the
/// services of the production shape with their health conditions, and every setting it gives the service
/// is a configuration key the service reads.
/// </summary>
public sealed class ComposeTests
{
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Database"] = typeof(DatabaseOptions),
        ["Auth"] = typeof(AuthOptions),
        ["Email"] = typeof(EmailOptions),
        ["Jobs"] = typeof(JobsOptions),
        ["Inspections"] = typeof(InspectionOptions),
        ["Attachments"] = typeof(AttachmentOptions),
        ["PublicTips"] = typeof(Hazards.Api.Features.Supervision.PublicTipOptions),
    };

    private static readonly string[] PlainKeys = ["ConnectionStrings:Hazards", "Roles", "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS"];

    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot(), "docker-compose.yml"));
        yaml.Load(reader);
        return Merged((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"]);
    }

    /// <summary>Applies YAML merge keys (<c>&lt;&lt;: *anchor</c>): the anchored entries first, the node's own on top.</summary>
    private static YamlMappingNode Merged(YamlMappingNode node)
    {
        var result = new YamlMappingNode();
        if (node.Children.TryGetValue(new YamlScalarNode("<<"), out var inherited) && inherited is YamlMappingNode parent)
        {
            foreach (var (key, value) in Merged(parent).Children)
            {
                result.Children[key] = value;
            }
        }

        foreach (var (key, value) in node.Children.Where(c => ((YamlScalarNode)c.Key).Value != "<<"))
        {
            result.Children[key] = value is YamlMappingNode mapping ? Merged(mapping) : value;
        }

        return result;
    }

    [Test]
    public void Compose_HasTheProductionShape()
    {
        var services = Services().Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();

        Assert.That(services, Is.EquivalentTo(new[] { "sqlserver", "smtp", "migrate", "api1", "api2", "jobs", "proxy" }));
    }

    [TestCase("migrate", "sqlserver", "service_healthy")]
    [TestCase("api1", "migrate", "service_completed_successfully")]
    [TestCase("api2", "migrate", "service_completed_successfully")]
    [TestCase("jobs", "migrate", "service_completed_successfully")]
    [TestCase("proxy", "api1", "service_healthy")]
    [TestCase("proxy", "api2", "service_healthy")]
    public void Compose_StartsEachServiceAfterWhatItNeeds(string service, string dependency, string condition)
    {
        var dependsOn = (YamlMappingNode)((YamlMappingNode)Services()[service])["depends_on"];

        Assert.That(((YamlScalarNode)((YamlMappingNode)dependsOn[dependency])["condition"]).Value, Is.EqualTo(condition));
    }

    [TestCase("api1", "api")]
    [TestCase("api2", "api")]
    [TestCase("jobs", "jobs")]
    public void Compose_GivesEachInstanceItsRole(string service, string role)
    {
        var environment = (YamlMappingNode)((YamlMappingNode)Services()[service])["environment"];

        Assert.That(((YamlScalarNode)environment["Roles"]).Value, Is.EqualTo(role));
        Assert.That(((YamlScalarNode)environment["Database__Provider"]).Value, Is.EqualTo("SqlServer"));
    }

    [Test]
    public void Compose_SetsOnlyConfigurationKeysTheServiceReads()
    {
        var keys = new[] { "migrate", "api1", "api2", "jobs" }
            .SelectMany(s => ((YamlMappingNode)((YamlMappingNode)Services()[s])["environment"]).Children.Keys)
            .Select(k => ((YamlScalarNode)k).Value!)
            .Distinct()
            .ToList();

        var unknown = keys.Where(k => !IsRead(k.Replace("__", ":", StringComparison.Ordinal))).ToList();

        Assert.That(keys, Has.Count.GreaterThan(8));
        Assert.That(unknown, Is.Empty);
    }

    [Test]
    public void Proxy_SendsTrafficToBothApiInstances()
    {
        var nginx = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx.conf"));

        Assert.That(nginx, Does.Contain("server api1:8080").And.Contain("server api2:8080"));
    }

    [Test]
    public void Proxy_TerminatesTlsOn443AndRedirectsPort80()
    {
        var nginx = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx.conf"));
        var proxy = (YamlMappingNode)Services()["proxy"];
        var ports = ((YamlSequenceNode)proxy["ports"]).Select(p => ((YamlScalarNode)p).Value!).ToList();
        var mounts = ((YamlSequenceNode)proxy["volumes"]).Select(v => ((YamlScalarNode)v).Value!.Split(':')).ToList();
        var certificates = System.Text.RegularExpressions.Regex.Matches(nginx, @"ssl_certificate(?:_key)?\s+([^;]+);").Select(m => m.Groups[1].Value).ToList();
        var baseUrl = ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)Services()["api1"])["environment"])["Email__BaseUrl"]).Value;

        Assert.That(nginx, Does.Contain("listen 443 ssl").And.Contain("return 301 https://$host$request_uri;").And.Contain("Strict-Transport-Security"));
        Assert.That(ports, Has.Some.EndsWith(":443").And.Some.EndsWith(":80"));
        Assert.That(certificates, Has.Count.EqualTo(2).And.All.StartsWith("/etc/nginx/certs/"));
        Assert.That(mounts.Select(m => m[^2]), Does.Contain("/etc/nginx/certs").And.Contain("/etc/nginx/conf.d/default.conf"));
        Assert.That(mounts.Where(m => m[0].StartsWith("./", StringComparison.Ordinal)).Select(m => Path.Combine(RepositoryRoot(), m[0])),
            Has.All.Matches<string>(File.Exists), "every file the proxy mounts from the repository is there");
        Assert.That(baseUrl, Does.Contain("https://").And.Not.Contain("http:"), "the default and any value given are https");
    }

    private static bool IsRead(string key)
    {
        if (PlainKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        var parts = key.Split(':');
        if (!Sections.TryGetValue(parts[0], out var type))
        {
            return false;
        }

        foreach (var part in parts.Skip(1))
        {
            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    private static string RepositoryRoot() => Repository.Root;
}
