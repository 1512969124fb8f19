using System.Text.RegularExpressions;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Users;
using Hazards.Api.Features.Imports;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;

namespace Hazards.Api.Features.OrgUnits;

/// <summary>One township, village or grid as the org units import and <c>POST /org-units</c> give it.</summary>
public sealed record OrgUnitInput(int RowNo, string? Code, string? Name, string? ParentCode);

/// <summary>
/// The code scheme of design §3: a district has 6 digits, and each level below extends its parent's code by three
/// (township 9, village 12, grid 15). Districts are reference data; townships, villages and grids are administered.
/// </summary>
public static partial class OrgCodes
{
    public const int MaxCodeLength = 15;
    public const int MaxNameLength = 100;
    public const string CodeMessage = "A township has 9 digits, a village 12 and a grid 15; districts are reference data.";
    public const string PrefixMessage = "A code extends its parent's code by three digits.";
    public const string NameMessage = "A name is 1 to 100 characters.";

    public static OrgLevel? LevelOf(string code) => code.Length switch
    {
        6 when code == "500000" => OrgLevel.City,
        6 => OrgLevel.District,
        9 => OrgLevel.Township,
        12 => OrgLevel.Village,
        15 => OrgLevel.Grid,
        _ => null,
    };

    public static bool IsCode(string? code) => code is not null && CodeRegex().IsMatch(code);

    public static string? ParentOf(string code) => code.Length > 6 ? code[..^3] : null;

    public static IEnumerable<RowError> Check(OrgUnitInput row)
    {
        if (!IsCode(row.Code) || LevelOf(row.Code!) is not (OrgLevel.Township or OrgLevel.Village or OrgLevel.Grid))
        {
            yield return new RowError(row.RowNo, "code", "org_unit.invalid_code", CodeMessage);
        }
        else if (row.ParentCode != ParentOf(row.Code!))
        {
            yield return new RowError(row.RowNo, "parentCode", "org_unit.wrong_prefix", PrefixMessage);
        }

        if (!IsName(row.Name))
        {
            yield return new RowError(row.RowNo, "name", "org_unit.invalid_name", NameMessage);
        }
    }

    public static bool IsName(string? name) => !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= MaxNameLength && !name.Any(char.IsControl);

    [GeneratedRegex("^[0-9]{6,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeRegex();
}

/// <summary>
/// The one home of creating org units: the route sends one row, the import a file. Rows are staged, their paths
/// found from the database or from their parent's row in the same file, checked set-based and applied set-based.
/// </summary>
public sealed class OrgUnitWriter(DbSession db, LiveOrgUnits live) : IRowWriter<OrgUnitInput>
{
    internal static readonly Sql StageRow = Sql.Portable("""
        INSERT INTO import_org_unit_rows (import_id, row_no, code, name, parent_code, level, path, parent_ok, existing)
        VALUES (@Batch, @RowNo, @Code, @Name, @ParentCode, @Level, NULL, 0, 0)
        """);

    private static string FromFile(string concat) => $"""
        UPDATE import_org_unit_rows SET path = {concat}, parent_ok = 1
        FROM import_org_unit_rows p
        WHERE import_org_unit_rows.import_id = @Batch AND import_org_unit_rows.path IS NULL AND import_org_unit_rows.level = @Level
          AND p.import_id = @Batch AND p.code = import_org_unit_rows.parent_code AND p.path IS NOT NULL;
        """;

    internal static readonly Sql ResolveRows = new(
        """
        UPDATE import_org_unit_rows SET existing = 1
        WHERE import_id = @Batch AND EXISTS (SELECT 1 FROM org_units o WHERE o.code = import_org_unit_rows.code);
        UPDATE import_org_unit_rows SET path = o.path || import_org_unit_rows.code || '/', parent_ok = 1
        FROM org_units o
        WHERE import_org_unit_rows.import_id = @Batch AND o.code = import_org_unit_rows.parent_code AND o.retired_at IS NULL;
        """,
        """
        UPDATE r SET existing = 1 FROM import_org_unit_rows r WHERE r.import_id = @Batch AND EXISTS (SELECT 1 FROM org_units o WHERE o.code = r.code);
        UPDATE r SET path = o.path + r.code + '/', parent_ok = 1
        FROM import_org_unit_rows r JOIN org_units o ON o.code = r.parent_code AND o.retired_at IS NULL
        WHERE r.import_id = @Batch;
        """);

    /// <summary>A parent created by the same file: run once per level, township to grid.</summary>
    internal static readonly Sql ResolveFromFile = new(
        FromFile("p.path || import_org_unit_rows.code || '/'"),
        """
        UPDATE r SET path = p.path + r.code + '/', parent_ok = 1
        FROM import_org_unit_rows r JOIN import_org_unit_rows p ON p.import_id = r.import_id AND p.code = r.parent_code AND p.path IS NOT NULL
        WHERE r.import_id = @Batch AND r.path IS NULL AND r.level = @Level;
        """);

    /// <summary>The refusals of the staged rows; one naming a retired parent gives its code, which <see cref="LiveOrgUnits.Worded"/> words.</summary>
    internal static readonly Sql Check = Sql.Portable("""
        SELECT r.row_no AS RowNo, 'code' AS ColumnName, 'import.duplicate_key' AS Code, 'The code is on an earlier row too.' AS Message
        FROM import_org_unit_rows r JOIN (SELECT code AS dup_key, MIN(row_no) AS first_row FROM import_org_unit_rows WHERE import_id = @Batch GROUP BY code HAVING COUNT(*) > 1) d ON d.dup_key = r.code
        WHERE r.import_id = @Batch AND r.row_no > d.first_row
        UNION ALL
        SELECT r.row_no, 'parentCode', 'org_unit.unknown_parent', 'The parent is neither an active org unit nor on another row of the file.'
        FROM import_org_unit_rows r
        WHERE r.import_id = @Batch AND r.path IS NULL
          AND NOT EXISTS (SELECT 1 FROM org_units o WHERE o.code = r.parent_code AND o.retired_at IS NOT NULL AND o.path >= @PathFrom AND o.path < @PathTo)
        UNION ALL
        SELECT r.row_no, 'parentCode', 'org_unit.retired', o.code
        FROM import_org_unit_rows r JOIN org_units o ON o.code = r.parent_code AND o.retired_at IS NOT NULL
        WHERE r.import_id = @Batch AND r.path IS NULL AND o.path >= @PathFrom AND o.path < @PathTo
        UNION ALL
        SELECT r.row_no, 'code', 'org_unit.not_found', 'The org unit would lie outside your scope.'
        FROM import_org_unit_rows r
        WHERE r.import_id = @Batch AND r.path IS NOT NULL AND (r.path <= @PathFrom OR r.path >= @PathTo)
        UNION ALL
        SELECT r.row_no, 'code', 'org_unit.retired', 'The code was retired; a retired code is not used again.'
        FROM import_org_unit_rows r JOIN org_units o ON o.code = r.code
        WHERE r.import_id = @Batch AND o.retired_at IS NOT NULL
        UNION ALL
        SELECT r.row_no, 'parentCode', 'org_unit.parent_changed', 'The org unit has another parent now (merged); a move is a merge, not an import.'
        FROM import_org_unit_rows r JOIN org_units o ON o.code = r.code
        WHERE r.import_id = @Batch AND o.parent_code <> r.parent_code
        ORDER BY RowNo
        """);

    internal static readonly Sql PruneUnchanged = new(
        """
        DELETE FROM import_org_unit_rows AS r
        WHERE r.import_id = @Batch AND r.existing = 1 AND EXISTS (SELECT 1 FROM org_units o WHERE o.code = r.code AND o.name = r.name)
        """,
        """
        DELETE r FROM import_org_unit_rows r
        WHERE r.import_id = @Batch AND r.existing = 1 AND EXISTS (SELECT 1 FROM org_units o WHERE o.code = r.code AND o.name = r.name)
        """);

    private static string History(string id, string before, string after) => $"""
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'orgUnit', r.code, 'rename', @ActorLogin, @ActorRole, @At, {before}, {after}, @ImportId
        FROM import_org_unit_rows r JOIN org_units o ON o.code = r.code
        WHERE r.import_id = @Batch AND r.existing = 1;
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'orgUnit', r.code, 'create', @ActorLogin, @ActorRole, @At, NULL, {after}, @ImportId
        FROM import_org_unit_rows r
        WHERE r.import_id = @Batch AND r.existing = 0;
        """;

    internal static readonly Sql WriteHistory = new(
        History(EscalationSql.SqliteId, "json_object('name', o.name)",
            "json_object('code', r.code, 'name', r.name, 'level', r.level, 'parentCode', r.parent_code)"),
        History("NEWID()", "(SELECT o.name AS name FOR JSON PATH, WITHOUT_ARRAY_WRAPPER)",
            "(SELECT r.code AS code, r.name AS name, r.level AS level, r.parent_code AS parentCode FOR JSON PATH, WITHOUT_ARRAY_WRAPPER)"));

    internal static readonly Sql Write = new(
        """
        UPDATE org_units SET name = r.name, version = org_units.version + 1
        FROM import_org_unit_rows r
        WHERE r.import_id = @Batch AND r.existing = 1 AND org_units.code = r.code;
        INSERT INTO org_units (code, name, level, parent_code, path, created_at, retired_at, merged_into, version)
        SELECT r.code, r.name, r.level, r.parent_code, r.path, @At, NULL, NULL, 1
        FROM import_org_unit_rows r
        WHERE r.import_id = @Batch AND r.existing = 0
        ORDER BY length(r.code), r.code;
        """,
        """
        UPDATE o SET name = r.name, version = o.version + 1
        FROM org_units o JOIN import_org_unit_rows r ON o.code = r.code
        WHERE r.import_id = @Batch AND r.existing = 1;
        INSERT INTO org_units (code, name, level, parent_code, path, created_at, retired_at, merged_into, version)
        SELECT r.code, r.name, r.level, r.parent_code, r.path, @At, NULL, NULL, 1
        FROM import_org_unit_rows r
        WHERE r.import_id = @Batch AND r.existing = 0
        ORDER BY LEN(r.code), r.code;
        """);

    private static ApplyStatements Applying => new(PruneUnchanged, CountStaged, WriteHistory, Write);

    internal static readonly Sql CountStaged = Sql.Portable("SELECT COUNT(*) FROM import_org_unit_rows WHERE import_id = @Batch");

    internal static readonly Sql Clear = Sql.Portable("DELETE FROM import_org_unit_rows WHERE import_id = @Batch");

    public async Task Resolve(Guid batch, CancellationToken ct)
    {
        await db.Execute(ResolveRows, new { Batch = batch }, ct);
        foreach (var level in new[] { OrgLevel.Township, OrgLevel.Village, OrgLevel.Grid })
        {
            await db.Execute(ResolveFromFile, new { Batch = batch, Level = Wire.Name(level) }, ct);
        }
    }

    public async Task StageRows(Guid batch, IEnumerable<OrgUnitInput> rows, CancellationToken ct)
    {
        var staged = new List<object>();
        foreach (var row in rows)
        {
            staged.Add(new { Batch = batch, row.RowNo, Code = row.Code!, Name = row.Name!.Trim(), ParentCode = row.ParentCode!, Level = Wire.Name(OrgCodes.LevelOf(row.Code!)!.Value) });
            if (staged.Count >= Staging.Chunk)
            {
                await db.Flush(ct, (StageRow, staged));
            }
        }

        await db.Flush(ct, (StageRow, staged));
    }

    public async Task<IReadOnlyList<RowError>> Verify(Guid batch, Actor actor, CancellationToken ct) =>
        await live.Worded(RowError.From(await db.Query<RowError.Row>(Check, new { Batch = batch, actor.PathFrom, actor.PathTo }, ct)), "parentCode", ct);

    public Task<int> Apply(Guid batch, Actor actor, Guid? importId, DateTimeOffset at, CancellationToken ct) =>
        Applying.Run(db, batch, actor, importId, at, ct);

    public async Task Discard(Guid batch, CancellationToken ct) => await db.Execute(Clear, new { Batch = batch }, ct);
}
