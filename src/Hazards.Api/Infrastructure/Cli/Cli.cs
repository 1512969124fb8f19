using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Jobs;

namespace Hazards.Api.Infrastructure.Cli;

/// <summary>The commands of the same binary: <c>migrate</c>, <c>seed-demo</c>, <c>token --user &lt;login&gt;</c>.</summary>
public static class Cli
{
    private static readonly string[] Commands = ["migrate", "seed-demo", "token", "jobs"];

    /// <summary>Separates a leading command and its arguments from the arguments meant for the host.</summary>
    public static (string? Command, string[] CommandArgs, string[] HostArgs) Split(string[] args) =>
        args.Length > 0 && Commands.Contains(args[0])
            ? (args[0], args[1..], [])
            : (null, [], args);

    public static async Task<int> Run(IServiceProvider services, string command, string[] args)
    {
        var ct = CancellationToken.None;
        switch (command)
        {
            case "migrate":
                var applied = await services.GetRequiredService<Migrator>().Migrate(ct);
                Console.WriteLine($"migrations applied: {applied}");
                return 0;
            case "seed-demo":
                await services.GetRequiredService<Migrator>().Migrate(ct);
                var added = await services.GetRequiredService<DemoSeeder>().Seed(ct);
                Console.WriteLine($"demo data: {added} rows added");
                return 0;
            case "token":
                return await Token(services, args, ct);
            case "jobs":
                return await Jobs(services, args, ct);
            default:
                Console.Error.WriteLine($"unknown command {command}");
                return 2;
        }
    }

    /// <summary><c>jobs run &lt;name&gt;</c> runs one sweep now, in this process, without the job server.</summary>
    private static async Task<int> Jobs(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args.Length != 2 || args[0] != "run" || JobCatalog.Find(args[1]) is null)
        {
            Console.Error.WriteLine($"usage: jobs run <{string.Join('|', JobCatalog.All.Select(j => j.Name))}>");
            return 2;
        }

        await services.GetRequiredService<Migrator>().Migrate(ct);
        await using var scope = services.CreateAsyncScope();
        var result = await SweepJob.RunNow(scope.ServiceProvider.GetRequiredService<Mediator.ISender>(),
            services.GetRequiredService<Features.Calendar.CalendarSource>(), args[1], ct);
        Console.WriteLine($"{args[1]}: {result}");
        return 0;
    }

    private static async Task<int> Token(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var at = Array.IndexOf(args, "--user");
        if (at < 0 || at + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: token --user <login> [--hours <n>]");
            return 2;
        }

        var login = args[at + 1];
        var hoursAt = Array.IndexOf(args, "--hours");
        TimeSpan? lifetime = hoursAt >= 0 && hoursAt + 1 < args.Length && double.TryParse(args[hoursAt + 1], out var hours)
            ? TimeSpan.FromHours(hours)
            : null;
        if (await services.GetRequiredService<UserDirectory>().Find(login, ct) is null)
        {
            Console.Error.WriteLine($"no user '{login}': run seed-demo first, or check the login");
            return 1;
        }

        var options = services.GetRequiredService<AuthOptions>();
        if (lifetime is { } asked && asked > options.MaxTokenLifetime)
        {
            Console.Error.WriteLine($"--hours may be at most Auth:MaxTokenLifetimeHours ({options.MaxTokenLifetimeHours})");
            return 2;
        }

        Console.WriteLine(services.GetRequiredService<TokenIssuer>().Issue(login, lifetime));
        return 0;
    }
}
