using System.ComponentModel.DataAnnotations;
using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Imports;

public sealed class ImportOptions
{
    /// <summary>Where uploaded import files wait for their job (relative to the working directory).</summary>
    [Required]
    public string Root { get; set; } = "data/imports";

    /// <summary>The largest import file; a bigger one is 413 before any work.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Whether this process runs queued imports; off, they wait for a process that does (and overlapping ones are refused meanwhile).</summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>The most data rows one CSV or XLSX import may hold; a file with more is 413 before it is queued.</summary>
    [Range(1, int.MaxValue - 1)]
    public int MaxRows { get; set; } = 200_000;

    /// <summary>The refused rows an import keeps for its report (the first ones); the rest are only counted.</summary>
    [Range(1, int.MaxValue)]
    public int MaxStoredErrors { get; set; } = 1000;

    /// <summary>How many imports this process runs at once, so that one large import does not hold back everyone else's.</summary>
    [Range(1, 16)]
    public int Workers { get; set; } = 2;
}

/// <summary>The statements of the imports table: the job's state and counts, and every refused row.</summary>
public sealed class ImportStore(DbSession db)
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO imports (id, kind, dry_run, state, scope_path, file_name, file_format, rows_read, rows_valid, rows_applied, error_count,
                             failure, created_by, created_at, started_at, finished_at)
        VALUES (@Id, @Kind, @DryRun, 'queued', @ScopePath, @FileName, @FileFormat, 0, 0, 0, 0, NULL, @CreatedBy, @CreatedAt, NULL, NULL)
        """);

    /// <summary>An import of the same kind still queued or running whose subtree contains, or lies in, this one's.</summary>
    internal static readonly Sql Overlapping = new(
        $"""
        SELECT COUNT(*) FROM imports
        WHERE kind = @Kind AND state IN ('queued', 'running') AND {SqliteOverlap("@ScopePath", "scope_path")}
        """,
        $"""
        SELECT COUNT(*) FROM imports
        WHERE kind = @Kind AND state IN ('queued', 'running') AND {SqlServerOverlap("@ScopePath", "scope_path")}
        """);

    /// <summary>
    /// The import a worker runs next: the oldest queued one that no import into an overlapping subtree, of any kind,
    /// is running or was queued before (ties by id), so one subtree's imports run in their order and others' beside them.
    /// </summary>
    internal static readonly Sql Next = new(
        $"""
        SELECT q.id FROM imports q
        WHERE q.state = 'queued'
          AND NOT EXISTS (SELECT 1 FROM imports o
                          WHERE o.id <> q.id AND {SqliteOverlap("q.scope_path", "o.scope_path")}
                            AND (o.state = 'running' OR (o.state = 'queued' AND (o.created_at < q.created_at OR (o.created_at = q.created_at AND o.id < q.id)))))
        ORDER BY q.created_at, q.id
        LIMIT 1
        """,
        $"""
        SELECT TOP (1) q.id FROM imports q
        WHERE q.state = 'queued'
          AND NOT EXISTS (SELECT 1 FROM imports o
                          WHERE o.id <> q.id AND {SqlServerOverlap("q.scope_path", "o.scope_path")}
                            AND (o.state = 'running' OR (o.state = 'queued' AND (o.created_at < q.created_at OR (o.created_at = q.created_at AND o.id < q.id)))))
        ORDER BY q.created_at, q.id
        """);

    internal static readonly Sql Claim = Sql.Portable("""
        UPDATE imports SET state = 'running', started_at = @At WHERE id = @Id AND state = 'queued'
        """);

    internal static readonly Sql Progress = Sql.Portable("""
        UPDATE imports SET rows_read = @RowsRead WHERE id = @Id
        """);

    internal static readonly Sql Finish = Sql.Portable("""
        UPDATE imports SET state = @State, rows_read = @RowsRead, rows_valid = @RowsValid, rows_applied = @RowsApplied,
                           error_count = @ErrorCount, errors_stored = @ErrorsStored, failure = @Failure, finished_at = @At
        WHERE id = @Id
        """);

    internal static readonly Sql InsertError = InsertInto("import_errors");

    /// <summary>What the report says of a row without refusing it (a boundary overlapping a sibling's).</summary>
    internal static readonly Sql InsertWarning = InsertInto("import_warnings");

    internal static readonly Sql ErrorCounts = Sql.Portable("""
        SELECT COUNT(*) AS Errors, COUNT(DISTINCT row_no) AS Rows FROM import_errors WHERE import_id = @Id
        """);

    internal static readonly Sql ById = Sql.Portable("""
        SELECT id AS Id, kind AS Kind, dry_run AS DryRun, state AS State, scope_path AS ScopePath, file_name AS FileName, file_format AS FileFormat,
               rows_read AS RowsRead, rows_valid AS RowsValid, rows_applied AS RowsApplied, error_count AS ErrorCount,
               errors_stored AS ErrorsStored, failure AS Failure,
               created_by AS CreatedBy, created_at AS CreatedAt, started_at AS StartedAt, finished_at AS FinishedAt
        FROM imports WHERE id = @Id
        """);

    /// <summary>A job that was running when the process stopped left its staging half-filled: it fails, and is started again by hand.</summary>
    internal static readonly Sql Interrupted = Sql.Portable("""
        SELECT id FROM imports WHERE state = 'running'
        """);

    public Task<ImportRow?> Find(Guid id, CancellationToken ct) => db.Single<ImportRow>(ById, new { Id = id }, ct);

    public Task AddErrors(Guid importId, IEnumerable<RowError> errors, CancellationToken ct) => Add(InsertError, importId, errors, ct);

    public Task AddWarnings(Guid importId, IEnumerable<RowError> warnings, CancellationToken ct) => Add(InsertWarning, importId, warnings, ct);

    private async Task Add(Sql insert, Guid importId, IEnumerable<RowError> errors, CancellationToken ct)
    {
        var rows = errors.Select(e => new { ImportId = importId, e.RowNo, e.ColumnName, e.Code, Message = e.Message.Length > 400 ? e.Message[..399] + "…" : e.Message }).ToList();
        for (var i = 0; i < rows.Count; i += 5000)
        {
            await db.Execute(insert, rows.Skip(i).Take(5000), ct);
        }
    }

    /// <summary>Whether two subtrees overlap: one's path begins the other's.</summary>
    private static string SqliteOverlap(string a, string b) => $"(substr({a}, 1, length({b})) = {b} OR substr({b}, 1, length({a})) = {a})";

    private static string SqlServerOverlap(string a, string b) => $"(LEFT({a}, LEN({b})) = {b} OR LEFT({b}, LEN({a})) = {a})";

    private static Sql InsertInto(string table) => Sql.Portable($"""
        INSERT INTO {table} (import_id, row_no, column_name, code, message)
        SELECT @ImportId, @RowNo, @ColumnName, @Code, @Message
        WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE import_id = @ImportId AND row_no = @RowNo AND column_name = @ColumnName AND code = @Code)
        """);

    public sealed class ErrorTally
    {
        public long Errors { get; set; }

        public long Rows { get; set; }
    }

    public sealed class ImportRow
    {
        public Guid Id { get; set; }

        public string Kind { get; set; } = "";

        public bool DryRun { get; set; }

        public string State { get; set; } = "";

        public string ScopePath { get; set; } = "";

        public string FileName { get; set; } = "";

        public string FileFormat { get; set; } = "";

        public int RowsRead { get; set; }

        public int RowsValid { get; set; }

        public int RowsApplied { get; set; }

        public int ErrorCount { get; set; }

        public int ErrorsStored { get; set; }

        public string? Failure { get; set; }

        public string CreatedBy { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? FinishedAt { get; set; }
    }
}
