using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Jobs;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Infrastructure.Cli;

/// <summary>The commands of the same binary: <c>migrate</c>, <c>seed-demo</c>, <c>token --user &lt;login&gt;</c>.</summary>
public static class Cli
{
    private static readonly string[] Commands = ["migrate", "seed-demo", "token", "jobs", "import", "init-city"];

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
                var seeder = services.GetRequiredService<DemoSeeder>();
                var added = await seeder.Seed(ct);
                var shapes = await seeder.SeedBoundaries(ct);
                Console.WriteLine($"demo data: {added} rows added, {shapes} synthetic boundaries");
                return 0;
            case "token":
                return await Token(services, args, ct);
            case "jobs":
                return await Jobs(services, args, ct);
            case "import":
                return await Import(services, args, ct);
            case "init-city":
                return await InitCity(services, args, ct);
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

    /// <summary>
    /// <c>import --kind orgUnits|units|users|boundaries --file &lt;path&gt; --as &lt;login&gt; [--apply]</c>: the bulk import of the API, run
    /// here and now as that person (a dry run unless <c>--apply</c>); prints the counts and the refused rows. Exit 0 when
    /// every row passed, 1 when rows were refused, 2 on a usage error.
    /// </summary>
    private static async Task<int> Import(IServiceProvider services, string[] args, CancellationToken ct)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var file = Option("--file") is { } given ? CallerPath(given) : null;
        var login = Option("--as");
        if (!Wire.TryParse<Features.Imports.ImportKind>(Option("--kind"), out var kind) || file is null || login is null)
        {
            Console.Error.WriteLine("usage: import --kind <orgUnits|units|users|boundaries> --file <path> --as <login> [--apply]");
            return 2;
        }

        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"no file {file} (a relative --file is read from the directory the command was run in)");
            return 2;
        }

        await services.GetRequiredService<Migrator>().Migrate(ct);
        var actor = await services.GetRequiredService<UserDirectory>().Find(login, ct);
        if (actor is null)
        {
            Console.Error.WriteLine($"no active user '{login}'");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<Features.Imports.ImportOptions>();
        var id = Guid.CreateVersion7();
        Directory.CreateDirectory(options.Root);
        File.Copy(file, Features.Imports.ImportProcessor.FilePath(options, id));
        var view = await Features.Imports.ImportCommand.Run(scope.ServiceProvider, actor, id, kind, dryRun: !args.Contains("--apply"), Path.GetFileName(file), ct);
        Console.WriteLine($"import {view.Id}: {view.State}, {view.RowsRead} rows read, {view.RowsValid} valid, {view.RowsApplied} applied, {view.ErrorCount} errors in {view.ElapsedSeconds:F1} s");
        foreach (var error in view.Errors)
        {
            Console.WriteLine($"row {error.Row}, {error.Column}: {error.Code} {error.Message}");
        }

        return view.ErrorCount == 0 && view.State == "succeeded" ? 0 : 1;
    }

    /// <summary>
    /// A path as the person typing it meant it: relative to their shell's directory (<c>PWD</c>), which <c>dotnet run</c>
    /// leaves behind when it starts the app in the project's folder.
    /// </summary>
    private static string CallerPath(string path) =>
        Path.GetFullPath(path, Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } shell && Directory.Exists(shell) ? shell : Environment.CurrentDirectory);

    /// <summary><c>init-city --admin &lt;login&gt; --name &lt;name&gt; --email &lt;email&gt;</c>: the city, its 38 districts and the first city admin.</summary>
    private static async Task<int> InitCity(IServiceProvider services, string[] args, CancellationToken ct)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        if (Option("--admin") is not { } login || Option("--name") is not { } name || Option("--email") is not { } email)
        {
            Console.Error.WriteLine("usage: init-city --admin <login> --name <name> --email <email>");
            return 2;
        }

        await services.GetRequiredService<Migrator>().Migrate(ct);
        var seeder = services.GetRequiredService<DemoSeeder>();
        var districts = await seeder.SeedDistricts(ct);
        var errors = await seeder.FirstAdmin(login, name, email, ct);
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"{error.ColumnName}: {error.Code} {error.Message}");
        }

        Console.WriteLine($"city: {districts} org units added; admin '{login}': {(errors.Count == 0 ? "ready" : "refused")}");
        return errors.Count == 0 ? 0 : 1;
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
        await services.GetRequiredService<Migrator>().Migrate(ct);
        var directory = services.GetRequiredService<UserDirectory>();
        if (await directory.Find(login, ct) is null)
        {
            Console.Error.WriteLine(await directory.AnyPerson(ct)
                ? $"no active user '{login}': check the login"
                : $"no user '{login}': the database has no people yet; run init-city --admin <login> --name <name> --email <email> first");
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
