using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Features.Demo;

public sealed class SeedDemoTests
{
    [Test]
    public async Task Seed_WhenRunTwice_AddsNothingTheSecondTime()
    {
        using var app = new HazardsApp();
        var seeder = app.Services.GetRequiredService<DemoSeeder>();

        var first = await seeder.Seed(CancellationToken.None);
        var orgUnits = await app.Count("SELECT COUNT(*) FROM org_units");
        var second = await seeder.Seed(CancellationToken.None);

        Assert.That(first, Is.GreaterThan(0));
        Assert.That(second, Is.Zero);
        Assert.That(await app.Count("SELECT COUNT(*) FROM org_units"), Is.EqualTo(orgUnits));
        Assert.That(orgUnits, Is.EqualTo(1 + 38 + (38 * 3) + (38 * 3 * 2) + (38 * 3 * 2 * 2)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM units"), Is.EqualTo(38 * 3 * 2 * 2));
        Assert.That(await app.Count("SELECT COUNT(*) FROM users"), Is.EqualTo(9));
    }

    [Test]
    public async Task Seed_GivesEveryDemoLoginItsRoleAndPlace()
    {
        using var app = await new HazardsApp().WithDemo();

        var rows = await app.Count("""
            SELECT COUNT(*) FROM users WHERE
               (login = 'admin' AND role = 'cityAdmin' AND org_code = '500000')
            OR (login = 'regulator' AND role = 'districtRegulator' AND org_code = '500103')
            OR (login = 'regulator2' AND role = 'districtRegulator' AND org_code = '500112')
            OR (login = 'officer' AND role = 'townshipOfficer' AND org_code LIKE '500103%')
            OR (login = 'grid' AND role = 'gridWorker' AND org_code LIKE '500103001%')
            OR (login = 'grid2' AND role = 'gridWorker' AND org_code LIKE '500103%' AND org_code NOT LIKE '500103001%')
            OR (login = 'unit' AND role = 'unitOfficer')
            OR (login = 'unit2' AND role = 'unitOfficer')
            """);
        var unitInGridsGrid = await app.Count("""
            SELECT COUNT(*) FROM user_units uu JOIN users u ON u.id = uu.user_id JOIN units n ON n.id = uu.unit_id
            WHERE u.login = 'unit' AND n.grid_code = (SELECT org_code FROM users WHERE login = 'grid')
            """);
        var unit2InGrid2sGrid = await app.Count("""
            SELECT COUNT(*) FROM user_units uu JOIN users u ON u.id = uu.user_id JOIN units n ON n.id = uu.unit_id
            WHERE u.login = 'unit2' AND n.grid_code = (SELECT org_code FROM users WHERE login = 'grid2')
            """);

        Assert.That(rows, Is.EqualTo(8));
        Assert.That(unitInGridsGrid, Is.EqualTo(1));
        Assert.That(unit2InGrid2sGrid, Is.EqualTo(1));
    }
}
