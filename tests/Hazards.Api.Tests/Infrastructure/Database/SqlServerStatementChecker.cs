using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Hazards.Api.Tests.Infrastructure.Database;

/// <summary>
/// Checks a T-SQL text against the schema the SQL Server migrations build: it must parse, every table it names
/// must exist, and every column it names must exist on the table its qualifier points at (or, unqualified, on
/// some table of the statement, or be an alias the statement itself defines). ScriptDom only checks syntax;
/// the name resolution here is deliberately simple — one scope per statement — and is made for the SQL an OLTP
/// service writes, not for every corner of T-SQL.
/// </summary>
public static class SqlServerStatementChecker
{
    public static IReadOnlyList<string> Check(string tsql, SqlServerSchema schema)
    {
        var fragment = new TSql160Parser(true).Parse(new StringReader(tsql), out var errors);
        if (errors.Count > 0)
        {
            return errors.Select(e => $"syntax ({e.Line},{e.Column}): {e.Message}").ToList();
        }

        var locals = new LocalTables();
        fragment.Accept(locals);

        var problems = new List<string>();
        if (fragment is TSqlScript script)
        {
            foreach (var statement in script.Batches.SelectMany(b => b.Statements))
            {
                CheckStatement(statement, schema, locals.Columns, problems);
            }
        }

        return problems;
    }

    // Control flow is walked through so that each statement inside it is its own scope.
    private static void CheckStatement(TSqlStatement statement, SqlServerSchema schema, IReadOnlySet<string> locals, List<string> problems)
    {
        switch (statement)
        {
            case BeginEndBlockStatement block:
                block.StatementList.Statements.ToList().ForEach(s => CheckStatement(s, schema, locals, problems));
                break;
            case TryCatchStatement tryCatch:
                tryCatch.TryStatements.Statements.Concat(tryCatch.CatchStatements.Statements).ToList()
                    .ForEach(s => CheckStatement(s, schema, locals, problems));
                break;
            case IfStatement ifStatement:
                CheckScope(ifStatement.Predicate, schema, locals, problems);
                CheckStatement(ifStatement.ThenStatement, schema, locals, problems);
                if (ifStatement.ElseStatement is not null)
                {
                    CheckStatement(ifStatement.ElseStatement, schema, locals, problems);
                }

                break;
            case WhileStatement whileStatement:
                CheckScope(whileStatement.Predicate, schema, locals, problems);
                CheckStatement(whileStatement.Statement, schema, locals, problems);
                break;
            default:
                CheckScope(statement, schema, locals, problems);
                break;
        }
    }

    private static void CheckScope(TSqlFragment fragment, SqlServerSchema schema, IReadOnlySet<string> locals, List<string> problems)
    {
        var scope = new Scope();
        fragment.Accept(scope);
        scope.Resolve(schema, locals, problems);
    }

    private enum SourceKind
    {
        Table,
        Cte,
        Derived,
        Outside,
    }

    /// <summary>Something a FROM clause or DML target exposes under a name: a real table or something opaque.</summary>
    private sealed record Source(SourceKind Kind, string? Table);

    /// <summary>Columns of temp tables and table variables declared in the batch; they may be named unqualified.</summary>
    private sealed class LocalTables : TSqlFragmentVisitor
    {
        public HashSet<string> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(DeclareTableVariableBody node) => Add(node.Definition);

        public override void Visit(CreateTableStatement node)
        {
            if (node.SchemaObjectName.BaseIdentifier.Value.StartsWith('#'))
            {
                Add(node.Definition);
            }
        }

        private void Add(TableDefinition? definition)
        {
            foreach (var column in definition?.ColumnDefinitions ?? [])
            {
                Columns.Add(column.ColumnIdentifier.Value);
            }
        }
    }

    private sealed class Scope : TSqlFragmentVisitor
    {
        private static readonly HashSet<string> DatePartFunctions = new(StringComparer.OrdinalIgnoreCase)
        {
            "DATEADD", "DATEDIFF", "DATEDIFF_BIG", "DATENAME", "DATEPART", "DATETRUNC", "DATE_BUCKET",
        };

        private readonly HashSet<string> ctes = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> outputNames = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<(string Name, Source Source, NamedTableReference? Reference)> sources = [];
        private readonly List<(TableReference Target, Identifier? Alias, List<ColumnReferenceExpression> Columns, string Clause)> targets = [];
        private readonly List<NamedTableReference> namedTables = [];
        private readonly List<ColumnReferenceExpression> columns = [];
        private readonly HashSet<ColumnReferenceExpression> notColumns = new(ReferenceEqualityComparer.Instance);
        private bool unknownColumnsInScope;

        public override void Visit(CommonTableExpression node)
        {
            ctes.Add(node.ExpressionName.Value);
            AddOutputNames(node.Columns);
        }

        public override void Visit(SelectScalarExpression node)
        {
            if (node.ColumnName?.Value is { } alias)
            {
                outputNames.Add(alias);
            }
        }

        // Classified only once the whole statement is seen: ScriptDom visits the main query before its CTEs.
        public override void Visit(NamedTableReference node) => namedTables.Add(node);

        public override void Visit(QueryDerivedTable node) => AddDerived(node);

        public override void Visit(InlineDerivedTable node) => AddDerived(node);

        public override void Visit(VariableTableReference node) =>
            sources.Add((node.Alias?.Value ?? node.Variable.Name, new Source(SourceKind.Outside, null), null));

        public override void Visit(TableReferenceWithAlias node)
        {
            if (node is NamedTableReference or QueryDerivedTable or InlineDerivedTable or VariableTableReference)
            {
                return;
            }

            // Table-valued functions, OPENJSON and the like: their columns are whatever they declare.
            var declared = node switch
            {
                TableReferenceWithAliasAndColumns withColumns when withColumns.Columns.Count > 0 => withColumns.Columns,
                OpenJsonTableReference json when json.SchemaDeclarationItems.Count > 0 =>
                    json.SchemaDeclarationItems.Select(i => i.ColumnDefinition.ColumnIdentifier).ToList(),
                _ => null,
            };
            AddOutputNames(declared ?? []);
            unknownColumnsInScope |= declared is null;
            if (node.Alias is not null)
            {
                sources.Add((node.Alias.Value, new Source(SourceKind.Outside, null), null));
            }
        }

        public override void Visit(InsertSpecification node) => AddTarget(node.Target, null, node.Columns, "INSERT");

        public override void Visit(UpdateSpecification node) => AddTarget(node.Target, null, SetColumns(node.SetClauses), "SET");

        public override void Visit(DeleteSpecification node) => AddTarget(node.Target, null, [], "DELETE");

        public override void Visit(MergeSpecification node)
        {
            var actionColumns = node.ActionClauses.SelectMany(a => MergeColumns(a.Action));
            AddTarget(node.Target, node.TableAlias, actionColumns.ToList(), "MERGE");
        }

        // The first argument of DATEADD and friends is a date part, which ScriptDom parses as a column.
        public override void Visit(FunctionCall node)
        {
            if (DatePartFunctions.Contains(node.FunctionName.Value) && node.Parameters.Count > 0 && node.Parameters[0] is ColumnReferenceExpression part)
            {
                notColumns.Add(part);
            }
        }

        public override void Visit(ColumnReferenceExpression node)
        {
            if (node.ColumnType == ColumnType.Regular && node.MultiPartIdentifier is not null)
            {
                columns.Add(node);
            }
        }

        public void Resolve(SqlServerSchema schema, IReadOnlySet<string> locals, List<string> problems)
        {
            outputNames.UnionWith(locals);
            sources.AddRange(namedTables.Select(Classify));
            var resolvedTargets = ResolveTargets();
            sources.RemoveAll(s => s.Reference is not null && resolvedTargets.Aliased.Contains(s.Reference));

            foreach (var (_, source, _) in sources)
            {
                if (source.Kind == SourceKind.Table && !schema.HasTable(source.Table!))
                {
                    problems.Add($"table {source.Table} does not exist");
                }
            }

            foreach (var (target, column, clause) in resolvedTargets.Columns)
            {
                var name = column.MultiPartIdentifier.Identifiers[^1].Value;
                if (target.Kind == SourceKind.Table && schema.HasTable(target.Table!) && !schema.HasColumn(target.Table!, name))
                {
                    problems.Add($"{clause} column {name} does not exist on table {target.Table}");
                }
            }

            var tablesInScope = sources.Where(s => s.Source.Kind == SourceKind.Table)
                .Select(s => s.Source.Table!).Where(schema.HasTable).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            foreach (var column in columns.Where(c => !notColumns.Contains(c)))
            {
                var problem = CheckColumn(column, schema, tablesInScope, resolvedTargets.Sources);
                if (problem is not null)
                {
                    problems.Add(problem);
                }
            }
        }

        private string? CheckColumn(ColumnReferenceExpression column, SqlServerSchema schema, List<string> tablesInScope, List<Source> dmlTargets)
        {
            var parts = column.MultiPartIdentifier.Identifiers;
            var name = parts[^1].Value;
            if (parts.Count == 1)
            {
                return outputNames.Contains(name) || unknownColumnsInScope || tablesInScope.Any(t => schema.HasColumn(t, name))
                    ? null
                    : $"column {name} is on none of the tables {string.Join(", ", tablesInScope)} and is no alias of the statement";
            }

            var qualifier = parts[^2].Value;
            var candidates = qualifier.Equals("inserted", StringComparison.OrdinalIgnoreCase) || qualifier.Equals("deleted", StringComparison.OrdinalIgnoreCase)
                ? dmlTargets
                : sources.Where(s => s.Name.Equals(qualifier, StringComparison.OrdinalIgnoreCase)).Select(s => s.Source).ToList();
            if (candidates.Count == 0)
            {
                return $"column {qualifier}.{name}: {qualifier} is no table or alias of the statement";
            }

            if (candidates.Any(c => c.Kind != SourceKind.Table || !schema.HasTable(c.Table!)))
            {
                return null;
            }

            return candidates.Any(c => schema.HasColumn(c.Table!, name))
                ? null
                : $"column {qualifier}.{name} does not exist on table {string.Join(", ", candidates.Select(c => c.Table))}";
        }

        // UPDATE u ... FROM units u names an alias as its target, not a table.
        private (HashSet<NamedTableReference> Aliased, List<Source> Sources, List<(Source Target, ColumnReferenceExpression Column, string Clause)> Columns) ResolveTargets()
        {
            var aliased = new HashSet<NamedTableReference>(ReferenceEqualityComparer.Instance);
            var resolved = new List<Source>();
            var targetColumns = new List<(Source, ColumnReferenceExpression, string)>();
            foreach (var (target, alias, setColumns, clause) in targets)
            {
                Source source;
                if (target is NamedTableReference named)
                {
                    var aliasOf = named.SchemaObject.Count == 1 && named.Alias is null
                        ? sources.Where(s => !ReferenceEquals(s.Reference, named) && s.Name.Equals(named.SchemaObject.BaseIdentifier.Value, StringComparison.OrdinalIgnoreCase))
                            .Select(s => s.Source).FirstOrDefault()
                        : null;
                    if (aliasOf is not null)
                    {
                        aliased.Add(named);
                        source = aliasOf;
                    }
                    else
                    {
                        source = sources.First(s => ReferenceEquals(s.Reference, named)).Source;
                    }
                }
                else
                {
                    source = new Source(SourceKind.Outside, null);
                }

                if (alias is not null)
                {
                    sources.Add((alias.Value, source, null));
                }

                resolved.Add(source);
                targetColumns.AddRange(setColumns.Select(c => (source, c, clause)));
            }

            return (aliased, resolved, targetColumns);
        }

        private (string Name, Source Source, NamedTableReference? Reference) Classify(NamedTableReference node)
        {
            var name = node.SchemaObject;
            var exposed = node.Alias?.Value ?? name.BaseIdentifier.Value;
            if (name.Count == 1 && ctes.Contains(name.BaseIdentifier.Value))
            {
                return (exposed, new Source(SourceKind.Cte, null), node);
            }

            return SqlServerSchema.KeyOf(name) is { } table
                ? (exposed, new Source(SourceKind.Table, table), node)
                : (exposed, new Source(SourceKind.Outside, null), node);
        }

        private void AddTarget(TableReference target, Identifier? alias, IList<ColumnReferenceExpression> targetColumns, string clause)
        {
            targets.Add((target, alias, targetColumns.ToList(), clause));
            notColumns.UnionWith(targetColumns);
        }

        private void AddDerived(TableReferenceWithAliasAndColumns node)
        {
            AddOutputNames(node.Columns);
            if (node.Alias is not null)
            {
                sources.Add((node.Alias.Value, new Source(SourceKind.Derived, null), null));
            }
        }

        private void AddOutputNames(IEnumerable<Identifier> names) => outputNames.UnionWith(names.Select(n => n.Value));

        private static IEnumerable<ColumnReferenceExpression> MergeColumns(MergeAction action) => action switch
        {
            InsertMergeAction insert => insert.Columns,
            UpdateMergeAction update => SetColumns(update.SetClauses),
            _ => [],
        };

        private static List<ColumnReferenceExpression> SetColumns(IEnumerable<SetClause> clauses) =>
            clauses.OfType<AssignmentSetClause>().Select(c => c.Column).OfType<ColumnReferenceExpression>().ToList();
    }
}
