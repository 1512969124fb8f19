using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Pipeline;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Infrastructure.Pipeline;

public sealed class TransactionBehaviorTests
{
    private static readonly Sql InsertMarker = Sql.Portable("""
        INSERT INTO org_units (code, name, level, parent_code, path, created_at)
        VALUES (@Code, 'marker', 'city', NULL, @Path, @At)
        """);

    private HazardsApp app = null!;

    [SetUp]
    public void Start() => app = new HazardsApp();

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task Command_WhenHandlerReturns_CommitsItsWrites()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var behavior = new TransactionBehavior<MarkerCommand, int>(session);

        await behavior.Handle(new MarkerCommand("900001"), (command, ct) => Insert(session, command, ct), CancellationToken.None);

        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units WHERE code = '900001'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Command_WhenHandlerThrowsAfterWriting_RollsBack()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var behavior = new TransactionBehavior<MarkerCommand, int>(session);

        Assert.That(
            async () => await behavior.Handle(new MarkerCommand("900002"), async (command, ct) =>
            {
                await Insert(session, command, ct);
                throw new InvalidOperationException("the handler failed after its write");
            }, CancellationToken.None),
            Throws.InvalidOperationException);

        Assert.That(session.InTransaction, Is.False);
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units WHERE code = '900002'"), Is.Zero);
    }

    [Test]
    public async Task Query_RunsWithoutATransaction()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var behavior = new TransactionBehavior<MarkerQuery, bool>(session);

        var inTransaction = await behavior.Handle(new MarkerQuery(), (_, _) => ValueTask.FromResult(session.InTransaction), CancellationToken.None);

        Assert.That(inTransaction, Is.False);
    }

    private static async ValueTask<int> Insert(DbSession session, MarkerCommand command, CancellationToken ct)
    {
        Assert.That(session.InTransaction, Is.True);
        return await session.Execute(InsertMarker, new { command.Code, Path = $"/{command.Code}/", At = DateTimeOffset.UnixEpoch }, ct);
    }

    public sealed record MarkerCommand(string Code) : ICommand<int>;

    public sealed record MarkerQuery : IQuery<bool>;
}
