using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hazards.Api.Infrastructure.Auth;

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

    public ServiceProcess(string folder, IDictionary<string, string>? extra = null)
    {
        Folder = folder;
        Port = FreePort();
        environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["ConnectionStrings__Hazards"] = $"Data Source={Path.Combine(folder, "hazards.db")}",
            ["Auth__SigningKey"] = SigningKey,
            ["Jobs__Enabled"] = "false",
            ["Email__Mode"] = "Pickup",
            ["Email__PickupDirectory"] = Path.Combine(folder, "mail"),
            ["Attachments__Root"] = Path.Combine(folder, "attachments"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
    }

    public string Folder { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

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

    public void Dispose() => Kill();

    /// <summary>Starts the binary with this instance's settings and returns at once, for a test that kills it at a chosen moment.</summary>
    public Process Launch(params string[] args) => Start(args);

    private Process Start(string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Hazards.Api.dll");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var started = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
