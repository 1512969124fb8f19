using System.Globalization;
using System.Text;
using Hazards.Api.Features.Imports;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Inspections;

namespace Hazards.Api.Infrastructure.Cli;

/// <summary>
/// The demo city. The real 38 districts and counties under city 500000 are reference data and inserted here; the
/// townships, villages, grids, units and people come from the demo files shipped in <c>Data/demo</c> and go in
/// through the bulk import, as a real city's would. Inspection plans are seeded beside them. Every row has
/// a stable key, so a second run changes nothing.
/// </summary>
public sealed class DemoSeeder(ConnectionFactory factory, IServiceScopeFactory scopes, ImportOptions imports, TimeProvider clock)
{
    internal static readonly Sql InsertOrgUnit = Sql.Portable("""
        INSERT INTO org_units (code, name, level, parent_code, path, created_at)
        SELECT @Code, @Name, @Level, @ParentCode, @Path, @CreatedAt
        WHERE NOT EXISTS (SELECT 1 FROM org_units WHERE code = @Code)
        """);

    internal static readonly Sql InsertPlan = Sql.Portable("""
        INSERT INTO inspection_plans (id, name, unit_id, grid_code, org_path, cadence, level, checklist, active_from, active_to, created_at, created_by)
        SELECT @Id, @Name, @UnitId, @GridCode, @OrgPath, @Cadence, @Level, @Checklist, @ActiveFrom, NULL, @CreatedAt, 'seed-demo'
        WHERE NOT EXISTS (SELECT 1 FROM inspection_plans WHERE id = @Id)
        """);

    internal static readonly Sql DemoPlaces = Sql.Portable("""
        SELECT DISTINCT o.code AS Code, o.path AS Path FROM org_units o JOIN units n ON n.grid_code = o.code
        WHERE n.created_by = 'seed-demo' ORDER BY o.code
        """);

    internal static readonly Sql DemoUnits = Sql.Portable("""
        SELECT id AS Code, org_path AS Path FROM units WHERE created_by = 'seed-demo' AND code IS NOT NULL ORDER BY id
        """);

    /// <summary>The importer of the demo files: the city's administration itself, not a person.</summary>
    public static readonly Actor Importer = new(Guid.Empty, "seed-demo", "seed-demo", "seed-demo@hazards.example", Role.CityAdmin, "500000", "/500000/", []);

    private static readonly (Cadence Cadence, InspectionLevel Level, string Name, string Checklist)[] UnitPlans =
    [
        (Cadence.Daily, InspectionLevel.Team, "班组日检", """[{"code":"D1","text":"消防通道畅通"},{"code":"D2","text":"灭火器在位有效"},{"code":"D3","text":"电气线路无私拉乱接"}]"""),
        (Cadence.Weekly, InspectionLevel.Workshop, "车间周检", """[{"code":"W1","text":"特种设备运行记录完整"},{"code":"W2","text":"安全警示标志齐全"}]"""),
        (Cadence.Monthly, InspectionLevel.Principal, "主要负责人月检", """[{"code":"M1","text":"隐患排查治理台账闭环"},{"code":"M2","text":"应急预案演练落实"}]"""),
    ];

    private const string GridChecklist = """[{"code":"G1","text":"沿街商铺消防通道"},{"code":"G2","text":"燃气使用安全"},{"code":"G3","text":"地质灾害隐患点巡查"}]""";

    public static Guid DemoPlanId(string owner, Cadence cadence) => NamedIds.For($"plan:{owner}:{Wire.Name(cadence)}");

    public static IReadOnlyList<(string Code, string Name)> Districts()
    {
        using var reader = new StreamReader(Resource("chongqing-districts.csv"), Encoding.UTF8);
        return reader.ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.Split(','))
            .Select(cols => (cols[0], cols[1]))
            .ToList();
    }

    /// <summary>The demo unit <paramref name="index"/> of a grid: its code in the demo file is <c>grid:index</c>.</summary>
    public static Guid DemoUnitId(string gridCode, int index) => Features.Units.UnitWriter.IdFor($"{gridCode}:{index}");

    public async Task<int> Seed(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var added = await SeedDistricts(ct);

        foreach (var kind in new[] { ImportKind.OrgUnits, ImportKind.Units, ImportKind.Users })
        {
            added += await Import(kind, ct);
        }

        return added + await SeedPlans(now, ct);
    }

    /// <summary>
    /// The demo's made-up boundaries (<see cref="Features.Places.DemoBoundaries"/>, stored synthetic) for every org unit
    /// that has none, in one transaction, so that a report by position finds its grid. Part of <c>seed-demo</c>.
    /// </summary>
    public async Task<int> SeedBoundaries(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<DbSession>();
        await db.Begin(ct);
        var added = await Features.Places.DemoBoundaries.Seed(db, services.GetRequiredService<Features.Places.BoundaryStore>(),
            Districts().Select(d => d.Code).ToList(), clock.GetUtcNow(), ct);
        await db.Commit(ct);
        return added;
    }

    /// <summary>The city and its 38 districts, reference data of every installation (the <c>init-city</c> command and the demo).</summary>
    public async Task<int> SeedDistricts(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var orgUnits = new List<object> { OrgRow("500000", "重庆市", OrgLevel.City, null, "/500000/", now) };
        orgUnits.AddRange(Districts().Select(d => OrgRow(d.Code, d.Name, OrgLevel.District, "500000", $"/500000/{d.Code}/", now)));
        await using var connection = await factory.Open(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(InsertOrgUnit.For(factory.Dialect), orgUnits, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return added;
    }

    /// <summary>The first city admin of a new installation, through the rules of the user routes, as the city's administration.</summary>
    public async Task<IReadOnlyList<Features.Users.RowError>> FirstAdmin(string login, string name, string email, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var writer = scope.ServiceProvider.GetRequiredService<Features.Users.UserWriter>();
        var row = new Features.Users.UserInput(1, login, name, null, email, Wire.Name(Role.CityAdmin), "500000", null, [], []);
        if (Features.Users.UserRules.Check(row).ToList() is { Count: > 0 } invalid)
        {
            return invalid;
        }

        var batch = Guid.NewGuid();
        await db.Begin(ct);
        await writer.Stage(batch, [row], ct);
        var errors = await writer.Verify(batch, Importer, ct);
        if (errors.Count == 0)
        {
            await writer.Apply(batch, Importer, importId: null, clock.GetUtcNow(), ct);
            await writer.Discard(batch, ct);
            await db.Commit(ct);
        }
        else
        {
            await db.Rollback();
        }

        return errors;
    }

    private async Task<int> Import(ImportKind kind, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        Directory.CreateDirectory(imports.Root);
        await using (var target = File.Create(ImportProcessor.FilePath(imports, id)))
        {
            await Resource($"demo.{Wire.Name(kind)}.csv").CopyToAsync(target, ct);
        }

        var view = await ImportCommand.Run(services, Importer, id, kind, dryRun: false, $"{Wire.Name(kind)}.csv", ct);
        return view.State == "succeeded"
            ? view.RowsApplied
            : throw new InvalidOperationException($"The demo {Wire.Name(kind)} did not import: {view.Failure} {string.Join("; ", view.Errors.Take(5).Select(e => $"row {e.Row} {e.Column}: {e.Code}"))}");
    }

    private async Task<int> SeedPlans(DateTimeOffset now, CancellationToken ct)
    {
        var today = ChinaTime.Today(now);
        await using var connection = await factory.Open(ct);
        var grids = await Dapper.SqlMapper.QueryAsync<Place>(connection, new Dapper.CommandDefinition(DemoPlaces.For(factory.Dialect), cancellationToken: ct));
        var units = await Dapper.SqlMapper.QueryAsync<Place>(connection, new Dapper.CommandDefinition(DemoUnits.For(factory.Dialect), cancellationToken: ct));
        var plans = grids.Select(g => PlanRow(DemoPlanId(g.Code, Cadence.Weekly), "网格周巡查", null, g.Code, g.Path, Cadence.Weekly, InspectionLevel.GridPatrol, GridChecklist, today, now))
            .Concat(units.SelectMany(u => UnitPlans.Select(p =>
                PlanRow(DemoPlanId(Guid.Parse(u.Code).ToString("N"), p.Cadence), p.Name, Guid.Parse(u.Code), null, u.Path, p.Cadence, p.Level, p.Checklist, today, now))))
            .ToList();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(InsertPlan.For(factory.Dialect), plans, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return added;
    }

    private static Stream Resource(string name) =>
        typeof(DemoSeeder).Assembly.GetManifestResourceStream("Hazards.Api." + name)
        ?? throw new InvalidOperationException($"The data file {name} is not embedded.");

    private static object PlanRow(Guid id, string name, Guid? unitId, string? grid, string path, Cadence cadence, InspectionLevel level, string checklist, DateOnly from, DateTimeOffset now) =>
        new { Id = id, Name = name, UnitId = unitId, GridCode = grid, OrgPath = path, Cadence = Wire.Name(cadence), Level = Wire.Name(level), Checklist = checklist, ActiveFrom = from, CreatedAt = now };

    private static object OrgRow(string code, string name, OrgLevel level, string? parent, string path, DateTimeOffset now) =>
        new { Code = code, Name = name, Level = Wire.Name(level), ParentCode = parent, Path = path, CreatedAt = now };

    private sealed class Place
    {
        public string Code { get; set; } = "";

        public string Path { get; set; } = "";
    }
}
