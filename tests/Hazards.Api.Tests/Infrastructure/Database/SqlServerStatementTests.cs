using SqlPair = Hazards.Api.Infrastructure.Data.Sql;

namespace Hazards.Api.Tests.Infrastructure.Database;

public sealed class SqlServerStatementTests
{
    private static readonly Lazy<SqlServerSchema> LazySchema = new(SqlServerSchema.FromMigrations);

    private static SqlServerSchema Schema => LazySchema.Value;

    public static IEnumerable<TestCaseData> Statements() =>
        SqlStatementCatalog.All().Select(s => new TestCaseData(s.Sql.SqlServer).SetArgDisplayNames(s.Name));

    [TestCaseSource(nameof(Statements))]
    public void EverySqlServerStatement_ParsesAndNamesKnownColumns(string tsql)
    {
        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.Empty, tsql);
    }

    [Test]
    public void Catalog_FindsStatementsOfEveryKnownHolder()
    {
        var names = SqlStatementCatalog.All().Select(s => s.Name).ToList();

        Assert.That(names, Is.SupersetOf(new[]
        {
            "IdempotencyFilter.Find",
            "IdempotencyFilter.Insert",
            "DemoSeeder.InsertOrgUnit",
            "UserWriter.StageRow",
            "UserDirectory.FindByLogin",
            "Migrator.TakeMigrationLock",
            "GetOrgUnitHandler.Children",
            "UnitReader.UnitById",
            "UnitWriter.Write",
            "DatabaseHealthCheck.Ping",
        }));
    }

    [Test]
    public void Enumerate_WhenFieldsAreHiddenInNestedPrivateClasses_FindsThemAndSkipsOpenGenerics()
    {
        var names = SqlStatementCatalog.Enumerate(typeof(SqlServerStatementTests).Assembly)
            .Select(s => s.Name)
            .Where(n => n.StartsWith("SqlServerStatementTests.", StringComparison.Ordinal))
            .ToList();

        Assert.That(names, Is.EquivalentTo(new[]
        {
            "SqlServerStatementTests.Holders.Hidden.Deep",
            "SqlServerStatementTests.Holders.Hidden.Property",
            "SqlServerStatementTests.Holders.Hidden.Shallow",
        }));
    }

    [Test]
    public void Check_WhenAStatementHasNoSqlServerTwin_FailsOnTheSqliteText()
    {
        // A statement written once with Sql.Portable in SQLite's own syntax gives SQL Server that text too.
        var sqliteOnly = Hazards.Api.Features.Cases.CaseStore.NextCodeValue.Sqlite;

        var problems = SqlServerStatementChecker.Check(sqliteOnly, Schema);

        Assert.That(problems, Has.Some.StartsWith("syntax"));
    }

    [Test]
    public void Check_WhenSyntaxIsBroken_ReportsLineAndColumn()
    {
        const string tsql = "SELECT code FROM org_units WHERE";

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Has.One.StartsWith("syntax (1,"));
    }

    [Test]
    public void Check_WhenTableIsUnknown_ReportsIt()
    {
        const string tsql = "SELECT id FROM hazard_reports WHERE id = @Id";

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Has.Some.Contains("table hazard_reports does not exist"));
    }

    [Test]
    public void Check_WhenQualifiedColumnIsUnknown_ReportsItOnTheAliasedTable()
    {
        const string tsql = """
            SELECT u.id, o.colour
            FROM units u
            JOIN org_units o ON o.code = u.grid_code
            """;

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.EqualTo(new[] { "column o.colour does not exist on table org_units" }));
    }

    [Test]
    public void Check_WhenQualifiedColumnExistsOnlyOnTheOtherTable_ReportsIt()
    {
        const string tsql = "SELECT u.path FROM units u JOIN org_units o ON o.code = u.grid_code";

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.EqualTo(new[] { "column u.path does not exist on table units" }));
    }

    [Test]
    public void Check_WhenUnqualifiedColumnIsUnknown_ReportsIt()
    {
        const string tsql = "SELECT code, colour FROM org_units WHERE code = @Code";

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Has.One.StartsWith("column colour is on none of the tables org_units"));
    }

    [Test]
    public void Check_WhenQualifierIsNoAliasOfTheStatement_ReportsIt()
    {
        const string tsql = "SELECT x.code FROM org_units o";

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Has.One.Contains("x is no table or alias"));
    }

    [Test]
    public void Check_WhenInsertNamesUnknownColumn_ReportsIt()
    {
        const string tsql = "INSERT INTO users (id, login, nickname) VALUES (@Id, @Login, @Nickname)";

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.EqualTo(new[] { "INSERT column nickname does not exist on table users" }));
    }

    [Test]
    public void Check_WhenUpdateThroughAliasSetsUnknownColumn_ReportsIt()
    {
        const string tsql = """
            UPDATE u SET u.colour = @Colour, version = version + 1
            FROM units u
            WHERE u.id = @Id AND u.version = @Version
            """;

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.EqualTo(new[] { "SET column colour does not exist on table units" }));
    }

    [Test]
    public void Check_WhenOutputNamesUnknownInsertedColumn_ReportsIt()
    {
        const string tsql = "DELETE FROM idempotency_records OUTPUT deleted.idem_key, deleted.answer WHERE created_at < @Before";

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.EqualTo(new[] { "column deleted.answer does not exist on table idempotency_records" }));
    }

    [Test]
    public void Check_WhenMergeInsertsUnknownColumn_ReportsIt()
    {
        const string tsql = """
            MERGE INTO user_units AS t
            USING (VALUES (@UserId, @UnitId)) AS s (user_id, unit_id)
            ON t.user_id = s.user_id AND t.unit_id = s.unit_id
            WHEN NOT MATCHED THEN INSERT (user_id, unit_id, since) VALUES (s.user_id, s.unit_id, @Now);
            """;

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.EqualTo(new[] { "MERGE column since does not exist on table user_units" }));
    }

    [Test]
    public void Check_WhenStatementUsesCteAliasesAndOffsetFetch_ReportsNothing()
    {
        const string tsql = """
            WITH scoped (unit_id, grid) AS (
                SELECT u.id, u.grid_code
                FROM units u
                WHERE u.org_path LIKE @Path + '%'
            ),
            counted AS (
                SELECT p.unit_id, COUNT(*) AS persons
                FROM unit_responsible_persons p
                GROUP BY p.unit_id
            )
            SELECT s.unit_id AS Id, o.name AS GridName, c.persons, DATEADD(day, 1, o.created_at) AS Due
            FROM scoped s
            JOIN org_units o ON o.code = s.grid
            LEFT JOIN counted c ON c.unit_id = s.unit_id
            WHERE EXISTS (SELECT 1 FROM user_units uu WHERE uu.unit_id = s.unit_id AND uu.user_id = @UserId)
            ORDER BY GridName, Id
            OFFSET @Skip ROWS FETCH NEXT @Take ROWS ONLY;
            """;

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Check_WhenStatementsAreTypicalWrites_ReportsNothing()
    {
        const string tsql = """
            DECLARE @result int;
            EXEC @result = sp_getapplock @Resource = N'hazards:sweep', @LockMode = N'Exclusive', @LockOwner = N'Transaction';
            UPDATE units SET name = @Name, version = version + 1 WHERE id = @Id AND version = @Version;
            UPDATE u SET u.address = @Address FROM units u JOIN org_units o ON o.code = u.grid_code WHERE o.path LIKE @Path + '%';
            INSERT INTO user_units (user_id, unit_id)
            SELECT us.id, un.id FROM users us JOIN units un ON un.grid_code = us.org_code
            WHERE NOT EXISTS (SELECT 1 FROM user_units x WHERE x.user_id = us.id AND x.unit_id = un.id);
            INSERT INTO units (id, name, grid_code, org_path, sectors, risk_colour, version, created_at, created_by)
            OUTPUT inserted.id, inserted.version
            VALUES (@Id, @Name, @Grid, @Path, @Sectors, @Colour, 1, @Now, @By);
            DELETE FROM idempotency_records WHERE created_at < @Before;
            MERGE INTO unit_responsible_persons AS t
            USING (VALUES (@UnitId, @Kind, @Name)) AS s (unit_id, kind, name)
            ON t.unit_id = s.unit_id AND t.kind = s.kind
            WHEN MATCHED THEN UPDATE SET name = s.name
            WHEN NOT MATCHED THEN INSERT (unit_id, kind, name) VALUES (s.unit_id, s.kind, s.name)
            OUTPUT $action, inserted.unit_id;
            SELECT Job.Id FROM HangFire.Job WHERE Job.StateName = 'Failed';
            """;

        var problems = SqlServerStatementChecker.Check(tsql, Schema);

        Assert.That(problems, Is.Empty);
    }

    private static class Holders
    {
        private static class Hidden
        {
            internal static readonly SqlPair Shallow = SqlPair.Portable("SELECT 1");

            private static readonly SqlPair Deep = new("SELECT 2", "SELECT 2");

            internal static SqlPair Property { get; } = Deep;
        }

        // An open generic type has no field values to read until it is closed.
        private static class Generic<T>
        {
            internal static readonly SqlPair Open = SqlPair.Portable(typeof(T).Name);
        }
    }
}
