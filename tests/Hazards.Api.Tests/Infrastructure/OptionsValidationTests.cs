using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hazards.Api.Tests.Infrastructure;

/// <summary>A bad setting stops the service at start, and the message names the key to fix.</summary>
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
    [TestCase("Imports:MaxXlsxCompressionRatio", "1")]
    [TestCase("Imports:MaxSharedStrings", "0")]
    [TestCase("Imports:MaxCellChars", "40000")]
    [TestCase("Imports:MaxXmlDepth", "2")]
    [TestCase("Imports:MaxRows", "0")]
    [TestCase("Imports:MaxStoredErrors", "0")]
    [TestCase("Imports:Workers", "0")]
    [TestCase("Attachments:Root", "")]
    [TestCase("Attachments:MaxBytes", "-1")]
    [TestCase("Inspections:GraceMinutes", "-1")]
    [TestCase("Reports:Weights:OnTime", "-0.5")]
    [TestCase("Database:SqliteSynchronous", "SOMETIMES")]
    [TestCase("Database:SqlitePoolSize", "-1")]
    [TestCase("Database:CommandTimeoutSeconds", "0")]
    [TestCase("Jobs:WorkerCount", "0")]
    [TestCase("Jobs:SchedulePollingSeconds", "0")]
    [TestCase("Email:From", "not an address")]
    [TestCase("Email:BaseUrl", "hazards.example")]
    [TestCase("Email:MaxAttempts", "0")]
    [TestCase("Email:PickupDirectory", "")]
    [TestCase("Email:Smtp:Port", "70000", "Email:Mode", "Smtp")]
    [TestCase("Email:Smtp:Host", "", "Email:Mode", "Smtp")]
    [TestCase("Auth:Issuer", "")]
    [TestCase("Auth:TokenLifetimeHours", "0")]
    [TestCase("Escalation:WarningWorkingDaysOverdue", "1")]
    [TestCase("Escalation:DailyMissesPerStep", "0")]
    [TestCase("Escalation:RespondWorkingDays", "-1")]
    [TestCase("Deadlines:TriageWorkingDays", "0")]
    [TestCase("Deadlines:MajorMaxCalendarDays", "99999")]
    [TestCase("Deadlines:SectorFixWorkingDays:volcano", "5")]
    [TestCase("Deadlines:SectorFixWorkingDays:fire", "0")]
    [TestCase("Calendar:StampCheckMilliseconds", "-1")]
    [TestCase("Location:MaxVertices", "0")]
    [TestCase("Location:GridToleranceMeters", "-1")]
    [TestCase("Calendar:ExtraDaysFile", "/nonexistent/extra-days.csv")]
    public void Start_WithABadSetting_FailsNamingTheKey(string key, string value, string? withKey = null, string? withValue = null)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (withKey is not null)
        {
            settings[withKey] = withValue;
        }

        using var app = new HazardsApp(settings);

        var failure = Assert.Catch(() => app.CreateClient());

        Assert.That(failure, Is.InstanceOf<OptionsValidationException>());
        Assert.That(failure!.Message, Does.Contain(key));
    }

    [TestCase("Writes:PermitsPerMinute", "many")]
    [TestCase("Imports:RunInBackground", "sometimes")]
    [TestCase("Attachments:MaxBytes", "10 MB")]
    [TestCase("Database:Provider", "Oracle")]
    [TestCase("Jobs:Enabled", "perhaps")]
    [TestCase("Deadlines:SectorFixWorkingDays:fire", "a week")]
    [TestCase("Escalation:ReworksForWarning", "two")]
    [TestCase("OpenApi:Enabled", "maybe")]
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

    [Test]
    public void Start_WithASectorOverrideInAnotherCase_KeepsIt()
    {
        using var app = new HazardsApp(new Dictionary<string, string?> { ["Deadlines:SectorFixWorkingDays:Fire"] = "3" });
        app.CreateClient();

        var policy = app.Services.GetRequiredService<Hazards.Domain.Deadlines.DeadlinePolicy>();

        Assert.That(policy.SectorFixWorkingDays["fire"], Is.EqualTo(3));
    }
}
