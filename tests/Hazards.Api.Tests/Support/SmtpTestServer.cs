using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using ServerResponse = SmtpServer.Protocol.SmtpResponse;

namespace Hazards.Api.Tests.Support;

/// <summary>
/// A real SMTP server on 127.0.0.1 that keeps what it receives. It keeps its port across
/// <see cref="Stop"/> and <see cref="Start"/>, so a test can take it down and bring it back; with
/// <see cref="Rejecting"/> set it refuses every message with that reply instead.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    private readonly List<MimeMessage> messages = [];
    private readonly SemaphoreSlim received = new(0);
    private SmtpServer.SmtpServer? server;
    private Task? running;
    private int rejected;
    private int sessions;

    public SmtpTestServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    /// <summary>When set, every message is answered with this reply (a 4xx or 5xx) and not kept.</summary>
    public ServerResponse? Rejecting { get; set; }

    public int Rejected => Volatile.Read(ref rejected);

    /// <summary>Connections the server has taken since it was created, the start-up probe's included.</summary>
    public int Sessions => Volatile.Read(ref sessions);

    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            lock (messages)
            {
                return messages.ToList();
            }
        }
    }

    public SmtpTestServer Start()
    {
        if (server is not null)
        {
            return this;
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("127.0.0.1")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref sessions);
        running = server.StartAsync(CancellationToken.None);
        WaitUntilListening();
        return this;
    }

    public void Stop()
    {
        if (server is null)
        {
            return;
        }

        server.Shutdown();
        server.ShutdownTask.Wait(TimeSpan.FromSeconds(10));
        running?.Wait(TimeSpan.FromSeconds(10));
        server = null;
        running = null;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived; returns whether they did.</summary>
    public async Task<bool> WaitFor(int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Messages.Count < count)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await received.WaitAsync(left))
            {
                return Messages.Count >= count;
            }
        }

        return true;
    }

    public void Dispose()
    {
        Stop();
        received.Dispose();
    }

    private void WaitUntilListening()
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new InvalidOperationException($"The test SMTP server did not start on port {Port}.");
    }

    private sealed class Store(SmtpTestServer owner) : MessageStore
    {
        public override async Task<ServerResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (owner.Rejecting is { } reply)
            {
                Interlocked.Increment(ref owner.rejected);
                return reply;
            }

            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            lock (owner.messages)
            {
                owner.messages.Add(message);
            }

            owner.received.Release();
            return ServerResponse.Ok;
        }
    }
}
