using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.Imports;

public sealed record GetImportQuery(Guid Id, int? Limit, string? Cursor) : IQuery<ImportView>;

public sealed record ImportRowError(int Row, string Column, string Code, string Message);

/// <summary>
/// An import's progress and report: state (queued, running, succeeded, failed, cancelled), rows read / valid / applied,
/// elapsed seconds, the count of its refusals and how many of them were kept (the first Imports:MaxStoredErrors), the kept
/// ones page by page (row, column, stable code, message), in row order; beside them what it noted without refusing (a
/// boundary overlapping a sibling's): the count, and the first 200 in row order.
/// </summary>
public sealed record ImportView(
    Guid Id, ImportKind Kind, bool DryRun, string State, string FileName, int RowsRead, int RowsValid, int RowsApplied, int ErrorCount,
    int ErrorsStored, double ElapsedSeconds, string? Failure, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    IReadOnlyList<ImportRowError> Errors, string? NextCursor, int WarningCount, IReadOnlyList<ImportRowError> Warnings);

public sealed class GetImportHandler(DbSession db, ImportStore store, ICurrentUser user, TimeProvider clock) : IQueryHandler<GetImportQuery, ImportView>
{
    internal static readonly Sql Errors = new(
        """
        SELECT row_no AS RowNo, column_name AS ColumnName, code AS Code, message AS Message
        FROM import_errors
        WHERE import_id = @Id AND (@AfterRow IS NULL OR row_no > @AfterRow OR (row_no = @AfterRow AND (column_name > @AfterColumn OR (column_name = @AfterColumn AND code > @AfterCode))))
        ORDER BY row_no, column_name, code
        LIMIT @Take
        """,
        """
        SELECT TOP (@Take) row_no AS RowNo, column_name AS ColumnName, code AS Code, message AS Message
        FROM import_errors
        WHERE import_id = @Id AND (@AfterRow IS NULL OR row_no > @AfterRow OR (row_no = @AfterRow AND (column_name > @AfterColumn OR (column_name = @AfterColumn AND code > @AfterCode))))
        ORDER BY row_no, column_name, code
        """);

    internal static readonly Sql Warnings = new(
        """
        SELECT row_no AS RowNo, column_name AS ColumnName, code AS Code, message AS Message
        FROM import_warnings WHERE import_id = @Id
        ORDER BY row_no, column_name, code
        LIMIT @Take
        """,
        """
        SELECT TOP (@Take) row_no AS RowNo, column_name AS ColumnName, code AS Code, message AS Message
        FROM import_warnings WHERE import_id = @Id
        ORDER BY row_no, column_name, code
        """);

    internal static readonly Sql WarningCount = Sql.Portable("SELECT COUNT(*) FROM import_warnings WHERE import_id = @Id");

    public async ValueTask<ImportView> Handle(GetImportQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        _ = Paging.Limit(query.Limit); // bounded at the edge, before the import is looked up
        var row = await store.Find(query.Id, ct);
        if (row is null || !RoleGrant.MayAdminister(actor) || !row.ScopePath.StartsWith(actor.OrgPath, StringComparison.Ordinal))
        {
            throw ProblemException.NotFound("import");
        }

        return await Build(db, row, query.Limit, query.Cursor, clock.GetUtcNow(), ct);
    }

    /// <summary>The view of an import already found in scope (or run by the command binary).</summary>
    public static async Task<ImportView> Build(DbSession db, ImportStore.ImportRow row, int? limitAsked, string? cursor, DateTimeOffset now, CancellationToken ct)
    {
        var limit = Paging.Limit(limitAsked);
        var after = Cursor.Decode(cursor, "import-errors", 3);
        var errors = RowError.From(await db.Query<RowError.Row>(Errors, new
        {
            row.Id,
            AfterRow = after is null ? (int?)null : Cursor.Number(after[0]),
            AfterColumn = after?[1],
            AfterCode = after?[2],
            Take = limit + 1,
        }, ct));
        var page = errors.Take(limit).Select(e => new ImportRowError(e.RowNo, e.ColumnName, e.Code, e.Message)).ToList();
        var warnings = RowError.From(await db.Query<RowError.Row>(Warnings, new { row.Id, Take = Paging.MaxLimit }, ct))
            .Select(e => new ImportRowError(e.RowNo, e.ColumnName, e.Code, e.Message)).ToList();
        var warningCount = warnings.Count < Paging.MaxLimit ? warnings.Count : await db.Scalar<int>(WarningCount, new { row.Id }, ct);
        var end = row.FinishedAt ?? now;
        return new ImportView(
            row.Id, Wire.Parse<ImportKind>(row.Kind), row.DryRun, row.State, row.FileName, row.RowsRead, row.RowsValid, row.RowsApplied, row.ErrorCount,
            row.ErrorsStored, row.StartedAt is { } started ? Math.Round((end - started).TotalSeconds, 3) : 0, row.Failure, row.CreatedBy, row.CreatedAt, row.FinishedAt,
            page, errors.Count > limit ? Cursor.Encode("import-errors", page[^1].Row.ToString(System.Globalization.CultureInfo.InvariantCulture), page[^1].Column, page[^1].Code) : null,
            warningCount, warnings);
    }
}
