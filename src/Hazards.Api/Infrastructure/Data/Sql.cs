namespace Hazards.Api.Infrastructure.Data;

public enum SqlDialect
{
    Sqlite,
    SqlServer,
}

/// <summary>
/// One statement the service issues, in both dialects side by side. Every statement lives in a
/// <c>static readonly Sql</c> field so that a test can enumerate them all from the assembly and check the
/// SQL Server text against the SQL Server migrations.
/// </summary>
public sealed record Sql(string Sqlite, string SqlServer)
{
    public static Sql Portable(string text) => new(text, text);

    public string For(SqlDialect dialect) => dialect == SqlDialect.SqlServer ? SqlServer : Sqlite;
}
