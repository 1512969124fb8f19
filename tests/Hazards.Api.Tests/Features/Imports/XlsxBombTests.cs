using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Reliability;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Imports;

/// <summary>
/// Spreadsheets that are small on the wire and huge once unpacked, sent to the service running as its own process:
/// each is refused (within a second where the file says how large it is), and the process's resident memory (VmHWM, reset before each file) grows by less
/// than 200 MB.
/// </summary>
[NonParallelizable]
[Category("Slow")]
public sealed class XlsxBombTests
{
    private const long MaxGrowth = 200L * 1024 * 1024;

    [Test]
    public async Task Start_WithAnXlsxThatUnpacksHuge_IsRefusedWithinASecondAndMemoryStaysBounded()
    {
        var bombs = new (string Name, byte[] File, int Status, string Code, bool Quick)[]
        {
            ("one 400 MB shared string", Workbooks.OneHugeString(400_000_000), 413, "import.content_too_large", true),
            ("3,000,000 tiny shared strings", Workbooks.ManyTinyStrings(3_000_000, 3_000_000), 413, "import.content_too_large", true),
            ("3,000,000 tiny shared strings declared as 1,000", Workbooks.ManyTinyStrings(3_000_000, 1000), 400, "import.xlsx_malformed", true),

            // Without a declared count every string up to Imports:MaxSharedStrings is read before the refusal: bounded, not quick.
            ("3,000,000 tiny shared strings, no count declared", Workbooks.ManyTinyStrings(3_000_000, null), 413, "import.content_too_large", false),
            ("1,000,000 shared strings of 60 characters, just under every limit", Workbooks.ManyTinyStrings(1_000_000, 1_000_000, 60), 400, "import.invalid_headers", false),
            ("a 1.5 GB sheet of rows", Workbooks.HugeSheet(15_000_000), 413, "import.content_too_large", true),
            ("elements nested 100,000 deep", Workbooks.DeepNesting(100_000), 400, "import.xlsx_malformed", true),
            ("an 8 MB attribute that does not compress", Workbooks.HugeAttribute(8_000_000), 413, "import.content_too_large", true),
        };
        using var service = ServiceProcess.InTempFolder("hazards-bombs");
        Assert.That(await service.Run("seed-demo"), Is.Zero);
        await service.Start();
        using var officer = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        officer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceProcess.Token("officer"));
        var warmUp = await officer.Send("orgUnits", Workbooks.Sheet(["编码", "名称", "上级编码"], ["500103001060", "社区", "500103001"]), fileName: "warm.xlsx");
        Assert.That((int)warmUp.StatusCode, Is.EqualTo(202), await warmUp.Content.ReadAsStringAsync());
        var failures = new List<string>();

        foreach (var (name, file, status, code, quick) in bombs)
        {
            await File.WriteAllTextAsync($"/proc/{service.ProcessId}/clear_refs", "5");
            var before = Memory(service.ProcessId, "VmRSS");
            var watch = Stopwatch.StartNew();
            using var response = await officer.Send("orgUnits", file, fileName: "bomb.xlsx");
            var elapsed = watch.Elapsed;
            var body = await response.Content.ReadAsStringAsync();
            var growth = Memory(service.ProcessId, "VmHWM") - before;

            TestContext.Progress.WriteLine($"{name} ({file.Length / 1024} KiB): {(int)response.StatusCode} in {elapsed.TotalMilliseconds:0} ms, "
                + $"resident memory +{growth / (1024 * 1024)} MB; {body}");
            var answered = (int)response.StatusCode == status && JsonNode.Parse(body)?["code"]?.GetValue<string>() == code;
            if (!answered || (quick && elapsed > TimeSpan.FromSeconds(1)) || growth >= MaxGrowth)
            {
                failures.Add($"{name}: {(int)response.StatusCode} in {elapsed.TotalMilliseconds:0} ms, +{growth / (1024 * 1024)} MB");
            }
        }

        Assert.That(failures, Is.Empty, string.Join('\n', failures));
    }

    /// <summary>A line of <c>/proc/{pid}/status</c> in bytes (VmRSS: resident now; VmHWM: the most resident since the last reset).</summary>
    private static long Memory(int pid, string key)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
