using Hazards.Api.Tests.Support;
using Microsoft.Extensions.Options;

namespace Hazards.Api.Tests.Infrastructure;

/// <summary>A bad setting stops the service at start, and the message names the key to fix (issue 17, item 7).</summary>
public sealed class OptionsValidationTests
{
    [TestCase("Writes:PermitsPerMinute", "-1")]
    [TestCase("Writes:AnonymousPermitsPerMinute", "0")]
    [TestCase("Http:MaxBodyBytes", "-5")]
    [TestCase("Http:RequestHeadersTimeoutSeconds", "0")]
    [TestCase("PublicTips:PermitsPerMinute", "0")]
    [TestCase("PublicTips:MaxBodyBytes", "-1")]
    [TestCase("Imports:MaxBytes", "0")]
    [TestCase("Imports:Root", "")]
    [TestCase("Attachments:Root", "")]
    [TestCase("Attachments:MaxBytes", "-1")]
    [TestCase("Inspections:GraceMinutes", "-1")]
    [TestCase("Reports:Weights:OnTime", "-0.5")]
    public void Start_WithABadSetting_FailsNamingTheKey(string key, string value)
    {
        using var app = new HazardsApp(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => app.CreateClient());

        Assert.That(failure, Is.InstanceOf<OptionsValidationException>());
        Assert.That(failure!.Message, Does.Contain(key));
    }

    [TestCase("Writes:PermitsPerMinute", "many")]
    [TestCase("Imports:RunInBackground", "sometimes")]
    [TestCase("Attachments:MaxBytes", "10 MB")]
    public void Start_WithAValueOfTheWrongType_FailsNamingTheKey(string key, string value)
    {
        using var app = new HazardsApp(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => app.CreateClient());

        Assert.That(failure!.ToString(), Does.Contain(key));
    }

    [Test]
    public void Start_WithTheDefaults_Starts()
    {
        using var app = new HazardsApp();

        Assert.That(() => app.CreateClient(), Throws.Nothing);
    }
}
