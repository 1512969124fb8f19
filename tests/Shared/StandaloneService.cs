using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hazards.Testing;

/// <summary>
/// How the built service (<c>Hazards.Api.dll</c>) is started as its own process on a SQLite file: production
/// environment, a signing key, no job server, mail to a pickup folder, quiet logs. Shared, as a linked source
/// file, by the crash tests and the HTTP benchmark, which add their own settings on top.
/// </summary>
public static class StandaloneService
{
    public static Dictionary<string, string> Environment(int port, string folder, string databasePath, string signingKey) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["ConnectionStrings__Hazards"] = $"Data Source={databasePath}",
        ["Auth__SigningKey"] = signingKey,
        ["Jobs__Enabled"] = "false",
        ["Email__Mode"] = "Pickup",
        ["Email__BaseUrl"] = $"http://127.0.0.1:{port}",
        ["Email__PickupDirectory"] = Path.Combine(folder, "mail"),
        ["Attachments__Root"] = Path.Combine(folder, "attachments"),
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary><c>dotnet Hazards.Api.dll args…</c> in <paramref name="folder"/> with <paramref name="environment"/>.</summary>
    public static ProcessStartInfo StartInfo(string dll, string folder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, bool redirect)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = redirect, RedirectStandardError = redirect };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
