using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Hazards.Api.Tests.Infrastructure.Database;

/// <summary>
/// The tables and columns the SQL Server migrations leave behind, read from the scripts with ScriptDom rather
/// than from a live server. Tables of the default schema are keyed by their bare name, any other schema as
/// <c>schema.table</c>; Hangfire installs and owns its own schema, so it stays outside the model.
/// </summary>
public sealed class SqlServerSchema
{
    private const string HangfireSchema = "HangFire";

    private readonly Dictionary<string, HashSet<string>> tables = new(StringComparer.OrdinalIgnoreCase);

    private SqlServerSchema()
    {
    }

    public IReadOnlyCollection<string> TableNames => tables.Keys;

    public static SqlServerSchema FromMigrations() =>
        FromScripts(MigrationScripts.All(MigrationScripts.SqlServerPrefix));

    public static SqlServerSchema FromScripts(IEnumerable<(string FileName, string Text)> scripts)
    {
        var schema = new SqlServerSchema();
        foreach (var (fileName, text) in scripts)
        {
            var fragment = new TSql160Parser(true).Parse(new StringReader(text), out var errors);
            if (errors.Count > 0)
            {
                var first = errors[0];
                throw new InvalidOperationException($"{fileName}({first.Line},{first.Column}): {first.Message}");
            }

            var builder = new Builder(schema, fileName);
            fragment.Accept(builder);
        }

        return schema;
    }

    public bool HasTable(string table) => tables.ContainsKey(table);

    public bool HasColumn(string table, string column) =>
        tables.TryGetValue(table, out var columns) && columns.Contains(column);

    public IReadOnlySet<string> ColumnsOf(string table) =>
        tables.TryGetValue(table, out var columns) ? columns : throw new KeyNotFoundException($"No table {table} in the SQL Server schema.");

    /// <summary>The model's key for a table, or null when the table lies outside the model (Hangfire, temp tables).</summary>
    public static string? KeyOf(SchemaObjectName name)
    {
        var table = name.BaseIdentifier?.Value;
        if (table is null || table.StartsWith('#'))
        {
            return null;
        }

        var owner = name.SchemaIdentifier?.Value;
        if (owner is null || owner.Equals("dbo", StringComparison.OrdinalIgnoreCase))
        {
            return table;
        }

        return IsOutside(owner) ? null : $"{owner}.{table}";
    }

    /// <summary>Schemas whose tables the migrations do not create: Hangfire's and the catalog views.</summary>
    public static bool IsOutside(string owner) =>
        owner.Equals(HangfireSchema, StringComparison.OrdinalIgnoreCase)
        || owner.Equals("sys", StringComparison.OrdinalIgnoreCase)
        || owner.Equals("INFORMATION_SCHEMA", StringComparison.OrdinalIgnoreCase);

    private sealed class Builder(SqlServerSchema schema, string fileName) : TSqlFragmentVisitor
    {
        public override void Visit(CreateTableStatement node)
        {
            if (KeyOf(node.SchemaObjectName) is not { } table)
            {
                return;
            }

            if (!schema.tables.TryAdd(table, new HashSet<string>(StringComparer.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"{fileName}: table {table} is created twice.");
            }

            AddColumns(table, node.Definition);
        }

        public override void Visit(AlterTableAddTableElementStatement node)
        {
            if (KeyOf(node.SchemaObjectName) is { } table)
            {
                AddColumns(table, node.Definition);
            }
        }

        public override void Visit(AlterTableDropTableElementStatement node)
        {
            if (KeyOf(node.SchemaObjectName) is not { } table)
            {
                return;
            }

            foreach (var element in node.AlterTableDropTableElements.Where(e => e.TableElementType == TableElementType.Column))
            {
                if (!Columns(table).Remove(element.Name.Value) && !element.IsIfExists)
                {
                    throw new InvalidOperationException($"{fileName}: drops column {table}.{element.Name.Value}, which does not exist.");
                }
            }
        }

        public override void Visit(DropTableStatement node)
        {
            foreach (var name in node.Objects)
            {
                if (KeyOf(name) is { } table && !schema.tables.Remove(table) && !node.IsIfExists)
                {
                    throw new InvalidOperationException($"{fileName}: drops table {table}, which does not exist.");
                }
            }
        }

        // sp_rename 'table', 'new' and sp_rename 'table.column', 'new', 'COLUMN' with literal arguments.
        public override void Visit(ExecuteStatement node)
        {
            if (node.ExecuteSpecification?.ExecutableEntity is not ExecutableProcedureReference procedure
                || !string.Equals(procedure.ProcedureReference?.ProcedureReference?.Name?.BaseIdentifier?.Value, "sp_rename", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            var args = procedure.Parameters.Select(p => (p.ParameterValue as StringLiteral)?.Value).ToList();
            if (args.Count < 2 || args[0] is not { } from || args[1] is not { } to)
            {
                throw new InvalidOperationException($"{fileName}: sp_rename needs literal arguments for the schema model to follow it.");
            }

            var kind = args.Count > 2 ? args[2] : null;
            if (string.Equals(kind, "COLUMN", StringComparison.OrdinalIgnoreCase))
            {
                var dot = from.LastIndexOf('.');
                var table = TableKey(from[..dot]);
                if (table is null)
                {
                    return;
                }

                if (!Columns(table).Remove(from[(dot + 1)..]))
                {
                    throw new InvalidOperationException($"{fileName}: renames column {from}, which does not exist.");
                }

                Columns(table).Add(to);
            }
            else if (kind is null || string.Equals(kind, "OBJECT", StringComparison.OrdinalIgnoreCase))
            {
                if (TableKey(from) is not { } table || !schema.tables.Remove(table, out var columns))
                {
                    return;
                }

                var owner = table.Contains('.') ? table[..(table.LastIndexOf('.') + 1)] : "";
                schema.tables.Add(owner + to, columns);
            }
        }

        private static string? TableKey(string dotted)
        {
            var parts = dotted.Split('.').Select(p => p.Trim('[', ']')).ToArray();
            var name = new SchemaObjectName();
            if (parts.Length > 1)
            {
                name.Identifiers.Add(new Identifier { Value = parts[^2] });
            }

            name.Identifiers.Add(new Identifier { Value = parts[^1] });
            return KeyOf(name);
        }

        private void AddColumns(string table, TableDefinition? definition)
        {
            var columns = Columns(table);
            foreach (var column in definition?.ColumnDefinitions ?? [])
            {
                if (!columns.Add(column.ColumnIdentifier.Value))
                {
                    throw new InvalidOperationException($"{fileName}: column {table}.{column.ColumnIdentifier.Value} is added twice.");
                }
            }
        }

        private HashSet<string> Columns(string table) =>
            schema.tables.TryGetValue(table, out var columns)
                ? columns
                : throw new InvalidOperationException($"{fileName}: alters table {table}, which no earlier migration creates.");
    }
}
