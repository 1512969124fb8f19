using System.Data;
using System.Globalization;
using Dapper;
using Hazards.Domain;
using Hazards.Domain.Cases;

namespace Hazards.Api.Infrastructure.Data;

/// <summary>
/// SQLite stores ids, instants and days as fixed-width text, so that comparisons in SQL sort correctly;
/// SQL Server uses its native types and only needs <see cref="DateOnly"/> taught to Dapper. On both, the enums of a
/// case are stored by their camelCase <see cref="Wire"/> name, read and bound by name so that a record maps as it is.
/// </summary>
public static class DapperTypes
{
    private static int registered;

    public static void Register(SqlDialect dialect)
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        SqlMapper.AddTypeHandler(new DateOnlyHandler(dialect));
        SqlMapper.Settings.PreferTypeHandlersForEnums = true;
        SqlMapper.AddTypeHandler(new EnumNameHandler<CaseStatus>());
        SqlMapper.AddTypeHandler(new EnumNameHandler<CaseAction>());
        SqlMapper.AddTypeHandler(new EnumNameHandler<HazardLevel>());
        SqlMapper.AddTypeHandler(new EnumNameHandler<Sector>());
        SqlMapper.AddTypeHandler(new EnumNameHandler<Origin>());
        SqlMapper.AddTypeHandler(new EnumNameHandler<Role>());
        SqlMapper.AddTypeHandler(new EnumNameHandler<Penalty>());
        SqlMapper.AddTypeHandler(new EnumNameHandler<ListingLevel>());
        if (dialect == SqlDialect.Sqlite)
        {
            // Dapper consults its built-in type map before any handler when it binds a parameter, so the
            // built-in entries must go for the handlers' fixed-width text to be what is stored.
            SqlMapper.RemoveTypeMap(typeof(Guid));
            SqlMapper.RemoveTypeMap(typeof(Guid?));
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
            SqlMapper.AddTypeHandler(new GuidTextHandler());
            SqlMapper.AddTypeHandler(new InstantTextHandler());
        }
    }

    public static string FormatInstant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed class EnumNameHandler<TEnum> : SqlMapper.TypeHandler<TEnum>
        where TEnum : struct, Enum
    {
        public override void SetValue(IDbDataParameter parameter, TEnum value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = Wire.Name(value);
        }

        public override TEnum Parse(object value) => Wire.Parse<TEnum>((string)value);
    }

    private sealed class GuidTextHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("D");
        }

        public override Guid Parse(object value) => value is Guid g ? g : Guid.Parse((string)value);
    }

    private sealed class InstantTextHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = FormatInstant(value);
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d,
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        };
    }

    private sealed class DateOnlyHandler(SqlDialect dialect) : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (dialect == SqlDialect.Sqlite)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return;
            }

            parameter.DbType = DbType.Date;
            parameter.Value = value.ToDateTime(TimeOnly.MinValue);
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateTime d => DateOnly.FromDateTime(d),
            DateOnly d => d,
            _ => DateOnly.ParseExact((string)value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }
}
