using System.Diagnostics;
using System.Net;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Testing;

namespace Hazards.Api.Tests.Reliability;

/// <summary>
/// The service as its own operating-system process, built binary and all, on a SQLite file that outlives it:
/// what a crash test needs, since only a separate process can be killed with SIGKILL.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    public const string SigningKey = "reliability-tests-signing-key-0123456789abcdef";

    private readonly Dictionary<string, string> environment;
    private Process? process;
    private bool ownsFolder;

    public ServiceProcess(string folder, IDictionary<string, string>? extra = null)
    {
        Folder = folder;
        Port = StandaloneService.FreePort();
        environment = StandaloneService.Environment(Port, folder, Path.Combine(folder, "hazards.db"), SigningKey);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
    }

    public string Folder { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The running server's process id, for a test that reads its memory from <c>/proc</c>.</summary>
    public int ProcessId => process?.Id ?? throw new InvalidOperationException("The service is not running.");

    public static string Token(string login) =>
        new TokenIssuer(new AuthOptions { SigningKey = SigningKey }, TimeProvider.System).Issue(login);

    /// <summary>Runs a command of the binary (migrate, seed-demo, jobs run …) to completion.</summary>
    public async Task<int> Run(params string[] args)
    {
        using var command = Start(args);
        await command.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        return command.ExitCode;
    }

    /// <summary>Starts the server and waits until it answers ready.</summary>
    public async Task Start()
    {
        process = Start([]);
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The service did not become ready.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, nothing but what the database already made durable.</summary>
    public void Kill()
    {
        process?.Kill(entireProcessTree: true);
        process?.WaitForExit();
        process?.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Kill();
        if (ownsFolder)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp folder's own clean-up.
            }
        }
    }

    /// <summary>An instance in a fresh folder under the temp folder, removed with it.</summary>
    public static ServiceProcess InTempFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), name, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new ServiceProcess(folder) { ownsFolder = true };
    }

    /// <summary>Starts the binary with this instance's settings and returns at once, for a test that kills it at a chosen moment.</summary>
    public Process Launch(params string[] args) => Start(args);

    private Process Start(string[] args)
    {
        var info = StandaloneService.StartInfo(Path.Combine(AppContext.BaseDirectory, "Hazards.Api.dll"), Folder, environment, args, redirect: true);
        var started = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }
}
