using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Inspections;

namespace Hazards.Api.Infrastructure.Cli;

/// <summary>
/// The real 38 districts and counties under city 500000, a small generated hierarchy below them, demo
/// units and one user of each role. Every row has a deterministic key and is inserted only when missing,
/// so a second run adds nothing.
/// </summary>
public sealed class DemoSeeder(ConnectionFactory factory, IConfiguration configuration, TimeProvider clock)
{
    internal static readonly Sql InsertOrgUnit = Sql.Portable("""
        INSERT INTO org_units (code, name, level, parent_code, path, created_at)
        SELECT @Code, @Name, @Level, @ParentCode, @Path, @CreatedAt
        WHERE NOT EXISTS (SELECT 1 FROM org_units WHERE code = @Code)
        """);

    internal static readonly Sql InsertUnit = Sql.Portable("""
        INSERT INTO units (id, name, credit_code, grid_code, org_path, sectors, risk_colour, address, version, created_at, created_by)
        SELECT @Id, @Name, NULL, @GridCode, @OrgPath, @Sectors, @RiskColour, @Address, 1, @CreatedAt, 'seed-demo'
        WHERE NOT EXISTS (SELECT 1 FROM units WHERE id = @Id)
        """);

    internal static readonly Sql InsertPerson = Sql.Portable("""
        INSERT INTO unit_responsible_persons (unit_id, kind, name, phone, email)
        SELECT @UnitId, @Kind, @Name, @Phone, @Email
        WHERE NOT EXISTS (SELECT 1 FROM unit_responsible_persons WHERE unit_id = @UnitId AND kind = @Kind)
        """);

    internal static readonly Sql InsertUser = Sql.Portable("""
        INSERT INTO users (id, login, name, email, role, org_code, created_at)
        SELECT @Id, @Login, @Name, @Email, @Role, @OrgCode, @CreatedAt
        WHERE NOT EXISTS (SELECT 1 FROM users WHERE login = @Login)
        """);

    internal static readonly Sql InsertUserUnit = Sql.Portable("""
        INSERT INTO user_units (user_id, unit_id)
        SELECT @UserId, @UnitId
        WHERE NOT EXISTS (SELECT 1 FROM user_units WHERE user_id = @UserId AND unit_id = @UnitId)
        """);

    internal static readonly Sql InsertPlan = Sql.Portable("""
        INSERT INTO inspection_plans (id, name, unit_id, grid_code, org_path, cadence, level, checklist, active_from, active_to, created_at, created_by)
        SELECT @Id, @Name, @UnitId, @GridCode, @OrgPath, @Cadence, @Level, @Checklist, @ActiveFrom, NULL, @CreatedAt, 'seed-demo'
        WHERE NOT EXISTS (SELECT 1 FROM inspection_plans WHERE id = @Id)
        """);

    private static readonly (Cadence Cadence, InspectionLevel Level, string Name, string Checklist)[] UnitPlans =
    [
        (Cadence.Daily, InspectionLevel.Team, "班组日检", """[{"code":"D1","text":"消防通道畅通"},{"code":"D2","text":"灭火器在位有效"},{"code":"D3","text":"电气线路无私拉乱接"}]"""),
        (Cadence.Weekly, InspectionLevel.Workshop, "车间周检", """[{"code":"W1","text":"特种设备运行记录完整"},{"code":"W2","text":"安全警示标志齐全"}]"""),
        (Cadence.Monthly, InspectionLevel.Principal, "主要负责人月检", """[{"code":"M1","text":"隐患排查治理台账闭环"},{"code":"M2","text":"应急预案演练落实"}]"""),
    ];

    private const string GridChecklist = """[{"code":"G1","text":"沿街商铺消防通道"},{"code":"G2","text":"燃气使用安全"},{"code":"G3","text":"地质灾害隐患点巡查"}]""";

    public static Guid DemoPlanId(string owner, Cadence cadence) => StableGuid($"plan:{owner}:{Wire.Name(cadence)}");

    private static readonly Sector[] SectorCycle = [Sector.Fire, Sector.Gas, Sector.Construction, Sector.HazardousChemicals, Sector.SmallWorks, Sector.SpecialEquipment];
    private static readonly RiskColour[] ColourCycle = [RiskColour.Blue, RiskColour.Yellow, RiskColour.Orange, RiskColour.Red];

    public static IReadOnlyList<(string Code, string Name)> Districts()
    {
        using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream("Hazards.Api.chongqing-districts.csv")
            ?? throw new InvalidOperationException("The districts data file is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.Split(','))
            .Select(cols => (cols[0], cols[1]))
            .ToList();
    }

    public static Guid DemoUnitId(string gridCode, int index) => StableGuid($"unit:{gridCode}:{index}");

    public async Task<int> Seed(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var townships = configuration.GetValue("Demo:TownshipsPerDistrict", 3);
        var villages = configuration.GetValue("Demo:VillagesPerTownship", 2);
        var grids = configuration.GetValue("Demo:GridsPerVillage", 2);
        var unitsPerGrid = configuration.GetValue("Demo:UnitsPerGrid", 1);

        var orgUnits = new List<object> { OrgRow("500000", "重庆市", OrgLevel.City, null, "/500000/", now) };
        var units = new List<object>();
        var plans = new List<object>();
        var today = ChinaTime.Today(now);
        var persons = new List<object>();
        foreach (var (districtCode, districtName) in Districts())
        {
            var districtPath = $"/500000/{districtCode}/";
            orgUnits.Add(OrgRow(districtCode, districtName, OrgLevel.District, "500000", districtPath, now));
            for (var t = 1; t <= townships; t++)
            {
                var township = $"{districtCode}{t:000}";
                var townshipName = $"{districtName}第{t}街道";
                var townshipPath = $"{districtPath}{township}/";
                orgUnits.Add(OrgRow(township, townshipName, OrgLevel.Township, districtCode, townshipPath, now));
                for (var v = 1; v <= villages; v++)
                {
                    var village = $"{township}{v:000}";
                    var villagePath = $"{townshipPath}{village}/";
                    orgUnits.Add(OrgRow(village, $"{townshipName}第{v}社区", OrgLevel.Village, township, villagePath, now));
                    for (var g = 1; g <= grids; g++)
                    {
                        var grid = $"{village}{g:000}";
                        var gridPath = $"{villagePath}{grid}/";
                        var gridName = $"{townshipName}第{v}社区第{g}网格";
                        orgUnits.Add(OrgRow(grid, gridName, OrgLevel.Grid, village, gridPath, now));
                        plans.Add(PlanRow(DemoPlanId(grid, Cadence.Weekly), "网格周巡查", null, grid, gridPath, Cadence.Weekly, InspectionLevel.GridPatrol, GridChecklist, today, now));
                        for (var u = 1; u <= unitsPerGrid; u++)
                        {
                            AddUnit(units, persons, grid, gridPath, $"{gridName}示范企业{u}", u, now);
                            var unitId = DemoUnitId(grid, u);
                            plans.AddRange(UnitPlans.Select(p => PlanRow(DemoPlanId(unitId.ToString("N"), p.Cadence), p.Name, unitId, null, gridPath, p.Cadence, p.Level, p.Checklist, today, now)));
                        }
                    }
                }
            }
        }

        await using var connection = await factory.Open(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = 0;
        added += await Execute(connection, transaction, InsertOrgUnit, orgUnits, ct);
        added += await Execute(connection, transaction, InsertUnit, units, ct);
        added += await Execute(connection, transaction, InsertPerson, persons, ct);
        added += await Execute(connection, transaction, InsertPlan, plans, ct);
        foreach (var user in DemoUsers())
        {
            var userId = StableGuid($"user:{user.Login}");
            added += await Execute(connection, transaction, InsertUser, [new
            {
                Id = userId,
                user.Login,
                user.Name,
                Email = $"{user.Login}@hazards.example",
                Role = Wire.Name(user.Role),
                user.OrgCode,
                CreatedAt = now,
            }], ct);
            if (user.Role == Role.UnitOfficer)
            {
                added += await Execute(connection, transaction, InsertUserUnit, [new { UserId = userId, UnitId = DemoUnitId(user.OrgCode, 1) }], ct);
            }
        }

        await transaction.CommitAsync(ct);
        return added;
    }

    private static IEnumerable<(string Login, string Name, Role Role, string OrgCode)> DemoUsers() =>
    [
        ("admin", "市安委办管理员", Role.CityAdmin, "500000"),
        ("regulator", "渝中区安委办监管员", Role.DistrictRegulator, "500103"),
        ("regulator2", "渝北区安委办监管员", Role.DistrictRegulator, "500112"),
        ("officer", "渝中区第1街道安办干部", Role.TownshipOfficer, "500103001"),
        ("officer2", "渝中区第2街道安办干部", Role.TownshipOfficer, "500103002"),
        ("grid", "渝中区第1街道网格员", Role.GridWorker, "500103001001001"),
        ("grid2", "渝中区第2街道网格员", Role.GridWorker, "500103002001001"),
        ("unit", "渝中区第1街道示范企业安全员", Role.UnitOfficer, "500103001001001"),
        ("unit2", "渝中区第2街道示范企业安全员", Role.UnitOfficer, "500103002001001"),
    ];

    private void AddUnit(List<object> units, List<object> persons, string grid, string gridPath, string name, int index, DateTimeOffset now)
    {
        var id = DemoUnitId(grid, index);
        var n = int.Parse(grid[^3..], CultureInfo.InvariantCulture) + index;
        units.Add(new
        {
            Id = id,
            Name = name,
            GridCode = grid,
            OrgPath = gridPath,
            Sectors = Wire.Name(SectorCycle[n % SectorCycle.Length]),
            RiskColour = Wire.Name(ColourCycle[n % ColourCycle.Length]),
            Address = $"{name}所在地",
            CreatedAt = now,
        });
        foreach (var kind in Enum.GetValues<ResponsibleKind>())
        {
            var who = Wire.Name(kind);
            persons.Add(new { UnitId = id, Kind = who, Name = $"{name}{who}负责人", Phone = "023-00000000", Email = $"{who}.{grid}.{index}@hazards.example" });
        }
    }

    private static object PlanRow(Guid id, string name, Guid? unitId, string? grid, string path, Cadence cadence, InspectionLevel level, string checklist, DateOnly from, DateTimeOffset now) =>
        new { Id = id, Name = name, UnitId = unitId, GridCode = grid, OrgPath = path, Cadence = Wire.Name(cadence), Level = Wire.Name(level), Checklist = checklist, ActiveFrom = from, CreatedAt = now };

    private static object OrgRow(string code, string name, OrgLevel level, string? parent, string path, DateTimeOffset now) =>
        new { Code = code, Name = name, Level = Wire.Name(level), ParentCode = parent, Path = path, CreatedAt = now };

    private async Task<int> Execute(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Sql sql, IEnumerable<object> rows, CancellationToken ct) =>
        await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(sql.For(factory.Dialect), rows, transaction, cancellationToken: ct));

    private static Guid StableGuid(string name)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("hazards-demo:" + name)).AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
