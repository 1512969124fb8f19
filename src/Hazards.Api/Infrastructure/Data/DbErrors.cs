using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Hazards.Api.Infrastructure.Data;

public static class DbErrors
{
    /// <summary>A unique key refused a second row: two requests raced for the same slot, key or number.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException sql => sql.Number is 2627 or 2601,
        _ => false,
    };
}
