using System.Diagnostics;
using System.Text.Json.Nodes;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Reliability;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.ApiDocument;

/// <summary>
/// A client generated from the served document by a generator nobody here wrote (Kiota, a .NET tool
/// of the repository's manifest) runs a hazard's loop against the service as its own process on a real port. The
/// driver, <c>tests/client-loop</c>, uses nothing but the generated client.
/// </summary>
[NonParallelizable]
public sealed class ClientLoopTests
{
    [Test]
    public async Task AGeneratedClient_ReportsAssignsFixesWithAPhotoAndVerifies_AndReadsAStaleVersionAsAProblem()
    {
        var folder = Directory.CreateTempSubdirectory("hazards-client-").FullName;
        using var service = new ServiceProcess(folder, new Dictionary<string, string> { ["OpenApi__Enabled"] = "true" });
        Assert.That(await service.Run("seed-demo"), Is.EqualTo(0));
        await service.Start();
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var document = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(document, await http.GetStringAsync("/openapi/v1.json"));
        var client = Path.Combine(folder, "client");
        var built = Path.Combine(folder, "loop");

        await Run("dotnet", ["kiota", "generate", "-l", "CSharp", "-d", document, "-o", client, "-n", "Hazards.Client", "-c", "HazardsClient",
            "--exclude-backward-compatible", "--clean-output"]);
        await Run("dotnet", ["build", Repository.PathOf("tests", "client-loop", "ClientLoop.csproj"), "-c", "Release", $"-p:GeneratedClient={client}",
            "-o", built, "--nologo", "-v", "q"]);
        var output = await Run("dotnet", [Path.Combine(built, "ClientLoop.dll")], new Dictionary<string, string>
        {
            ["HAZARDS_URL"] = service.BaseAddress.ToString().TrimEnd('/'),
            ["HAZARDS_UNIT_ID"] = DemoSeeder.DemoUnitId(Support.Cases.GridOne, 1).ToString(),
            ["HAZARDS_TOKEN_GRID"] = ServiceProcess.Token("grid"),
            ["HAZARDS_TOKEN_OFFICER"] = ServiceProcess.Token("officer"),
            ["HAZARDS_TOKEN_UNIT"] = ServiceProcess.Token("unit"),
        });
        var facts = JsonNode.Parse(output.Trim().Split('\n')[^1])!;

        Assert.That(facts["retriedId"]!.GetValue<Guid>(), Is.EqualTo(facts["reportedId"]!.GetValue<Guid>()), "the retried report answered the first");
        Assert.That(facts["reportedStatus"]!.GetValue<string>(), Is.EqualTo("Reported"));
        Assert.That(facts["assignedStatus"]!.GetValue<string>(), Is.EqualTo("Rectifying"));
        Assert.That(facts["photoType"]!.GetValue<string>(), Is.EqualTo("image/png"));
        Assert.That(facts["fixedStatus"]!.GetValue<string>(), Is.EqualTo("FixSubmitted"));
        Assert.That(facts["staleStatus"]!.GetValue<int>(), Is.EqualTo(412));
        Assert.That(facts["staleCode"]!.GetValue<string>(), Is.EqualTo("concurrency.stale_version"));
        Assert.That(facts["closedStatus"]!.GetValue<string>(), Is.EqualTo("Closed"));
        Assert.That(facts["closedAttachments"]!.AsArray().Select(a => a!.GetValue<Guid>()), Does.Contain(facts["photoId"]!.GetValue<Guid>()));

        // Read back by hand, not through the client: one case was made of the two reports, and it is closed.
        using var regulator = new HttpClient { BaseAddress = service.BaseAddress };
        regulator.DefaultRequestHeaders.Authorization = new("Bearer", ServiceProcess.Token("regulator"));
        var found = await (await regulator.GetAsync($"/api/v1/cases?code={facts["reportedCode"]}&total=true")).Json();
        Assert.That(found["total"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(found["items"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("closed"));
    }

    /// <summary>A program run to its end in the repository (where the tool manifest is); its output, or its failure with what it said.</summary>
    private static async Task<string> Run(string program, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.EqualTo(0), $"{program} {string.Join(' ', args)}:\n{await output}\n{await error}");
        return await output;
    }
}
