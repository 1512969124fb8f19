using System.Diagnostics;
using System.Globalization;
using System.Net;

using Hazards.Testing;

namespace Hazards.Bench.Http;

/// <summary>
/// The built service (<c>Hazards.Api.dll</c>) as its own process on a SQLite file, configured the way the
/// reliability tests start it: production environment, a signing key, no job server (so no sweep runs
/// during a measurement), and write limits raised out of the way of a load test. Its output goes to a log
/// file, where failures such as SQLITE_BUSY can be counted afterwards.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string SigningKey = "hazards-bench-http-signing-key-not-for-production-0123456789";

    private readonly string dll;
    private readonly string folder;
    private readonly Dictionary<string, string> environment;
    private Process? process;
    private StreamWriter? log;

    public ServiceProcess(string dll, string folder, string databasePath, IReadOnlyDictionary<string, string>? extra = null)
    {
        this.dll = dll;
        this.folder = folder;
        Port = StandaloneService.FreePort();
        LogPath = Path.Combine(folder, "service.log");
        environment = StandaloneService.Environment(Port, folder, databasePath, SigningKey);
        environment["Database__Provider"] = "Sqlite";
        // 120 writes a minute per user is the production guard against a runaway client; a load test is one on purpose.
        environment["Writes__PermitsPerMinute"] = "100000000";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string LogPath { get; }

    public int Pid => process?.Id ?? throw new InvalidOperationException("The service is not running.");

    /// <summary>Runs a command of the binary (<c>token --user …</c>) to completion and returns its standard output.</summary>
    public async Task<string> Run(CancellationToken ct, params string[] args)
    {
        using var command = Process.Start(Info(args, redirect: true)) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = command.StandardOutput.ReadToEndAsync(ct);
        var error = command.StandardError.ReadToEndAsync(ct);
        await command.WaitForExitAsync(ct);
        if (command.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', args)}' exited with {command.ExitCode}: {await error}");
        }

        return (await output).Trim();
    }

    /// <summary>Starts the server and waits until it answers ready.</summary>
    public async Task Start(CancellationToken ct)
    {
        log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        process = Process.Start(Info([], redirect: true)) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {process.ExitCode}; see {LogPath}.");
            }

            try
            {
                if ((await http.GetAsync("/health/ready", ct)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"The service did not become ready; see {LogPath}.");
    }

    /// <summary>A field of <c>/proc/&lt;pid&gt;/status</c> in MB: <c>VmRSS</c> now, <c>VmHWM</c> the peak so far.</summary>
    public double MemoryMb(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return double.Parse(kb, CultureInfo.InvariantCulture) / 1024;
            }
        }

        throw new InvalidOperationException($"No {field} in /proc/{Pid}/status.");
    }

    /// <summary>Lines of the service's log that contain <paramref name="text"/>.</summary>
    public int LogLines(string text)
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
            process = null;
        }

        if (log is not null)
        {
            await log.DisposeAsync();
            log = null;
        }
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (environment)
            {
                log?.WriteLine(line);
            }
        }
    }

    private ProcessStartInfo Info(string[] args, bool redirect) => StandaloneService.StartInfo(dll, folder, environment, args, redirect);
}
