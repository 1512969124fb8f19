using Hazards.Api.Infrastructure.Data;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Tests.Infrastructure.Database;

public sealed class DbErrorsTests
{
    [Test]
    public async Task IsUniqueViolation_ForARealDuplicateKeyInSqlite_IsTrue()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, "CREATE TABLE t (k TEXT PRIMARY KEY, u TEXT UNIQUE, n TEXT NOT NULL); INSERT INTO t VALUES ('a', 'x', '1');");

        var primary = Catch(() => Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO t VALUES ('a', 'y', '1')"));
        var unique = Catch(() => Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO t VALUES ('b', 'x', '1')"));
        var notNull = Catch(() => Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO t VALUES ('c', 'z', NULL)"));

        Assert.That(DbErrors.IsUniqueViolation(await primary), Is.True);
        Assert.That(DbErrors.IsUniqueViolation(await unique), Is.True);
        Assert.That(DbErrors.IsUniqueViolation(await notNull), Is.False);
        Assert.That(DbErrors.IsUniqueViolation(new InvalidOperationException()), Is.False);
    }

    private static async Task<Exception> Catch(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new AssertionException("The statement did not fail.");
    }
}
