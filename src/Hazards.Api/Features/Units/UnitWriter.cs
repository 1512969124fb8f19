using System.Text.RegularExpressions;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Users;
using Hazards.Api.Features.Imports;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;

namespace Hazards.Api.Features.Units;

/// <summary>One unit as the units import, <c>POST /units</c> and <c>PUT /units/{id}</c> give it.</summary>
public sealed record UnitInput(
    int RowNo, string? Code, string? Name, string? CreditCode, string? GridCode, IReadOnlyList<string> Sectors, string? RiskColour, string? Address,
    IReadOnlyDictionary<ResponsibleKind, ResponsiblePerson> Persons)
{
    /// <summary>Set when the row changes a known unit by id (the update route) rather than by its code.</summary>
    public Guid? ExistingId { get; init; }

    /// <summary>The id a new unit without a code gets, chosen by the caller so it can read the unit back.</summary>
    public Guid? NewId { get; init; }
}

public static partial class UnitRules
{
    public const string CreditCodePattern = "^[0-9A-HJ-NPQRTUWXY]{18}$";
    public const string GridCodePattern = "^[0-9]{15}$";

    /// <summary>The checks one row of the units import passes on its own; the routes' validators use the same patterns.</summary>
    public static IEnumerable<RowError> Check(UnitInput row)
    {
        if (!IsCode(row.Code))
        {
            yield return new RowError(row.RowNo, "code", "unit.invalid_code", "A unit code is 1 to 64 letters, digits, '.', '_', ':' or '-'.");
        }

        if (string.IsNullOrWhiteSpace(row.Name) || row.Name.Trim().Length > 200)
        {
            yield return new RowError(row.RowNo, "name", "unit.invalid_name", "A name is 1 to 200 characters.");
        }

        if (row.CreditCode is not null && !CreditRegex().IsMatch(row.CreditCode))
        {
            yield return new RowError(row.RowNo, "creditCode", "unit.invalid_credit_code", "A unified social credit code has 18 characters.");
        }

        if (row.GridCode is null || !GridRegex().IsMatch(row.GridCode))
        {
            yield return new RowError(row.RowNo, "gridCode", "grid.invalid_code", "A grid code has 15 digits.");
        }

        if (row.Sectors.Count == 0 || row.Sectors.Distinct().Count() != row.Sectors.Count || row.Sectors.Any(s => !Wire.TryParse<Sector>(s, out _)))
        {
            yield return new RowError(row.RowNo, "sectors", "unit.invalid_sectors", "Sectors are one or more of the design's sector names, each once.");
        }

        if (!Wire.TryParse<RiskColour>(row.RiskColour, out _))
        {
            yield return new RowError(row.RowNo, "riskColour", "unit.invalid_risk_colour", "The risk colour is red, orange, yellow or blue.");
        }

        if (row.Address is { Length: > 400 })
        {
            yield return new RowError(row.RowNo, "address", "unit.invalid_address", "An address is at most 400 characters.");
        }

        foreach (var (kind, person) in row.Persons)
        {
            var column = Wire.Name(kind);
            if (string.IsNullOrWhiteSpace(person.Name) || person.Name.Length > 100)
            {
                yield return new RowError(row.RowNo, column + "Name", "unit.invalid_person", "A responsible person has a name of 1 to 100 characters.");
            }

            if (!Contacts.IsPhone(person.Phone))
            {
                yield return new RowError(row.RowNo, column + "Phone", "unit.invalid_phone", "A phone number is 5 to 20 digits, '-' or a leading '+'.");
            }

            if (!Contacts.IsEmail(person.Email))
            {
                yield return new RowError(row.RowNo, column + "Email", "unit.invalid_email", "The e-mail address is not valid.");
            }
        }
    }

    public static bool IsCode(string? code) => code is not null && CodeRegex().IsMatch(code);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeRegex();

    [GeneratedRegex(CreditCodePattern, RegexOptions.CultureInvariant)]
    private static partial Regex CreditRegex();

    [GeneratedRegex(GridCodePattern, RegexOptions.CultureInvariant)]
    private static partial Regex GridRegex();
}

/// <summary>
/// The one home of creating and changing units: the unit routes send one row, the units import a file. A new unit
/// gets its four responsible persons from the row. A known one gets each person its row names, in place of the one on
/// record, with a row of the board's history as the board route writes it; a person the row leaves empty is kept
/// (the board route clears one). <c>PUT /units/{id}</c> names none, so it changes none.
/// </summary>
public sealed class UnitWriter(DbSession db, TimeProvider clock, LiveOrgUnits live) : IRowWriter<UnitInput>
{
    internal static readonly Sql StageRow = Sql.Portable("""
        INSERT INTO import_unit_rows (import_id, row_no, unit_id, code, name, credit_code, grid_code, sectors, risk_colour, address, org_path, existing_id)
        VALUES (@Batch, @RowNo, @UnitId, @Code, @Name, @CreditCode, @GridCode, @Sectors, @RiskColour, @Address, NULL, @ExistingId)
        """);

    internal static readonly Sql StagePerson = Sql.Portable("""
        INSERT INTO import_unit_person_rows (import_id, row_no, kind, name, phone, email) VALUES (@Batch, @RowNo, @Kind, @Name, @Phone, @Email)
        """);

    internal static readonly Sql ResolveRows = new(
        """
        UPDATE import_unit_rows SET org_path = o.path FROM org_units o
        WHERE import_unit_rows.import_id = @Batch AND o.code = import_unit_rows.grid_code AND o.level = 'grid' AND o.retired_at IS NULL;
        UPDATE import_unit_rows SET existing_id = n.id FROM units n
        WHERE import_unit_rows.import_id = @Batch AND import_unit_rows.existing_id IS NULL AND n.code = import_unit_rows.code;
        """,
        """
        UPDATE r SET org_path = o.path FROM import_unit_rows r JOIN org_units o ON o.code = r.grid_code AND o.level = 'grid' AND o.retired_at IS NULL
        WHERE r.import_id = @Batch;
        UPDATE r SET existing_id = n.id FROM import_unit_rows r JOIN units n ON n.code = r.code WHERE r.import_id = @Batch AND r.existing_id IS NULL;
        """);

    /// <summary>The refusals of the staged rows; one naming a retired grid gives the code, which <see cref="LiveOrgUnits.Worded"/> words.</summary>
    internal static readonly Sql Check = Sql.Portable("""
        SELECT r.row_no AS RowNo, 'code' AS ColumnName, 'import.duplicate_key' AS Code, 'The unit code is on an earlier row too.' AS Message
        FROM import_unit_rows r JOIN (SELECT code AS dup_key, MIN(row_no) AS first_row FROM import_unit_rows WHERE import_id = @Batch AND code IS NOT NULL GROUP BY code HAVING COUNT(*) > 1) d ON d.dup_key = r.code
        WHERE r.import_id = @Batch AND r.row_no > d.first_row
        UNION ALL
        SELECT r.row_no, 'gridCode', 'grid.not_found', 'The grid does not exist or is outside your scope.'
        FROM import_unit_rows r
        WHERE r.import_id = @Batch AND (r.org_path IS NULL OR r.org_path < @PathFrom OR r.org_path >= @PathTo)
          AND NOT EXISTS (SELECT 1 FROM org_units o WHERE o.code = r.grid_code AND o.level = 'grid' AND o.retired_at IS NOT NULL
                                                        AND o.path >= @PathFrom AND o.path < @PathTo)
        UNION ALL
        SELECT r.row_no, 'gridCode', 'org_unit.retired', o.code
        FROM import_unit_rows r JOIN org_units o ON o.code = r.grid_code AND o.level = 'grid' AND o.retired_at IS NOT NULL
        WHERE r.import_id = @Batch AND o.path >= @PathFrom AND o.path < @PathTo
        UNION ALL
        SELECT r.row_no, 'code', 'unit.code_taken', 'The unit code belongs to a unit outside your scope.'
        FROM import_unit_rows r JOIN units n ON n.id = r.existing_id
        WHERE r.import_id = @Batch AND (n.org_path < @PathFrom OR n.org_path >= @PathTo)
        UNION ALL
        SELECT r.row_no, 'code', 'unit.closed', 'The unit is closed.'
        FROM import_unit_rows r JOIN units n ON n.id = r.existing_id
        WHERE r.import_id = @Batch AND n.closed_at IS NOT NULL
        ORDER BY RowNo
        """);

    /// <summary>The staged persons of row <c>r</c> that differ from the unit's person of their kind (<c>q</c>, missing when it has none).</summary>
    private static string ChangedPersons(string differs) => $"""
        FROM import_unit_person_rows p LEFT JOIN unit_responsible_persons q ON q.unit_id = r.existing_id AND q.kind = p.kind
        WHERE p.import_id = r.import_id AND p.row_no = r.row_no
          AND (q.unit_id IS NULL OR q.name <> p.name OR q.phone {differs} p.phone OR q.email {differs} p.email)
        """;

    private static string Unchanged(string differs) => $"""
        r.existing_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM units n WHERE n.id = r.existing_id
              AND NOT (n.name {differs} r.name OR n.credit_code {differs} r.credit_code OR n.grid_code {differs} r.grid_code
                       OR n.sectors {differs} r.sectors OR n.risk_colour {differs} r.risk_colour OR n.address {differs} r.address))
        AND NOT EXISTS (SELECT 1 {ChangedPersons(differs)})
        """;

    internal static readonly Sql PruneUnchanged = new(
        $"DELETE FROM import_unit_rows AS r WHERE r.import_id = @Batch AND {Unchanged("IS NOT")}",
        $"DELETE r FROM import_unit_rows r WHERE r.import_id = @Batch AND {Unchanged("IS DISTINCT FROM")}");

    private static readonly string[] PersonKinds = [.. Enum.GetValues<ResponsibleKind>().Select(Wire.Name)];

    private static string SqlitePerson(string table, string match) =>
        $"(SELECT json_object('name', x.name, 'phone', x.phone, 'email', x.email) FROM {table} x WHERE {match})";

    /// <summary>The unit's four persons as a JSON object by kind: as on record, or with the row's persons in their place.</summary>
    private static string SqlitePersons(bool after) => "json_object(" + string.Join(", ", PersonKinds.Select(kind =>
    {
        var recorded = SqlitePerson("unit_responsible_persons", $"x.unit_id = r.existing_id AND x.kind = '{kind}'");
        var staged = SqlitePerson("import_unit_person_rows", $"x.import_id = r.import_id AND x.row_no = r.row_no AND x.kind = '{kind}'");
        return $"'{kind}', json({(after ? $"COALESCE({staged}, {recorded})" : recorded)})";
    })) + ")";

    private static string SqlServerPerson(string table, string match) =>
        $"(SELECT x.name AS name, x.phone AS phone, x.email AS email FROM {table} x WHERE {match} FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES)";

    private static string SqlServerPersons(bool after) => string.Join(", ", PersonKinds.Select(kind =>
    {
        var recorded = SqlServerPerson("unit_responsible_persons", $"x.unit_id = r.existing_id AND x.kind = '{kind}'");
        var staged = SqlServerPerson("import_unit_person_rows", $"x.import_id = r.import_id AND x.row_no = r.row_no AND x.kind = '{kind}'");
        return $"JSON_QUERY({(after ? $"COALESCE({staged}, {recorded})" : recorded)}) AS [persons.{kind}]";
    }));

    private static string SqliteSnapshot(string alias, bool after) =>
        $"json_object('code', {alias}.code, 'name', {alias}.name, 'creditCode', {alias}.credit_code, 'gridCode', {alias}.grid_code, 'sectors', {alias}.sectors, "
        + $"'riskColour', {alias}.risk_colour, 'address', {alias}.address, 'persons', {SqlitePersons(after)})";

    private static string SqlServerSnapshot(string alias, bool after) =>
        $"(SELECT {alias}.code AS code, {alias}.name AS name, {alias}.credit_code AS creditCode, {alias}.grid_code AS gridCode, {alias}.sectors AS sectors, "
        + $"{alias}.risk_colour AS riskColour, {alias}.address AS address, {SqlServerPersons(after)} FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES)";

    /// <summary>The board's history of each person a known unit's row changes, numbered on after the unit's last row, as the board route writes it.</summary>
    private static string BoardHistory(string differs, string person, string recorded) => $"""
        INSERT INTO unit_board_history (unit_id, seq, subject, subject_key, change_kind, old_value, new_value, changed_by, changed_at)
        SELECT r.existing_id, COALESCE((SELECT MAX(h.seq) FROM unit_board_history h WHERE h.unit_id = r.existing_id), 0)
                              + ROW_NUMBER() OVER (PARTITION BY r.existing_id ORDER BY p.kind),
               'person', p.kind, CASE WHEN q.unit_id IS NULL THEN 'set' ELSE 'changed' END,
               CASE WHEN q.unit_id IS NULL THEN NULL ELSE {recorded} END, {person}, @ActorLogin, @At
        FROM import_unit_rows r JOIN import_unit_person_rows p ON p.import_id = r.import_id AND p.row_no = r.row_no
        LEFT JOIN unit_responsible_persons q ON q.unit_id = r.existing_id AND q.kind = p.kind
        WHERE r.import_id = @Batch AND r.existing_id IS NOT NULL
          AND (q.unit_id IS NULL OR q.name <> p.name OR q.phone {differs} p.phone OR q.email {differs} p.email);
        """;

    private static string History(string id, string existingKey, string newKey, string before, string after) => $"""
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'unit', {existingKey}, CASE WHEN n.grid_code <> r.grid_code THEN 'move' ELSE 'update' END, @ActorLogin, @ActorRole, @At, {before}, {after}, @ImportId
        FROM import_unit_rows r JOIN units n ON n.id = r.existing_id
        WHERE r.import_id = @Batch;
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'unit', {newKey}, 'create', @ActorLogin, @ActorRole, @At, NULL, {after}, @ImportId
        FROM import_unit_rows r
        WHERE r.import_id = @Batch AND r.existing_id IS NULL;
        """;

    internal static readonly Sql WriteHistory = new(
        History(EscalationSql.SqliteId, "r.existing_id", "r.unit_id", SqliteSnapshot("n", after: false), SqliteSnapshot("r", after: true))
        + "\n" + BoardHistory("IS NOT", "json_object('name', p.name, 'phone', p.phone, 'email', p.email)", "json_object('name', q.name, 'phone', q.phone, 'email', q.email)"),
        History("NEWID()", "LOWER(CONVERT(varchar(36), r.existing_id))", "LOWER(CONVERT(varchar(36), r.unit_id))",
            SqlServerSnapshot("n", after: false), SqlServerSnapshot("r", after: true))
        + "\n" + BoardHistory("IS DISTINCT FROM", "(SELECT p.name AS name, p.phone AS phone, p.email AS email FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES)",
            "(SELECT q.name AS name, q.phone AS phone, q.email AS email FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES)"));

    /// <summary>The new units, and the persons of every row (a known unit's in place of those its row names): the same text in both dialects.</summary>
    private const string WriteNew = """
        INSERT INTO units (id, name, credit_code, grid_code, org_path, sectors, risk_colour, address, version, created_at, created_by, code, closed_at)
        SELECT r.unit_id, r.name, r.credit_code, r.grid_code, r.org_path, r.sectors, r.risk_colour, r.address, 1, @At, @ActorLogin, r.code, NULL
        FROM import_unit_rows r
        WHERE r.import_id = @Batch AND r.existing_id IS NULL;
        INSERT INTO unit_responsible_persons (unit_id, kind, name, phone, email)
        SELECT COALESCE(r.existing_id, r.unit_id), p.kind, p.name, p.phone, p.email
        FROM import_unit_rows r JOIN import_unit_person_rows p ON p.import_id = r.import_id AND p.row_no = r.row_no
        WHERE r.import_id = @Batch;
        """;

    internal static readonly Sql Write = new(
        """
        UPDATE inspection_plans SET org_path = r.org_path
        FROM (SELECT existing_id, org_path FROM import_unit_rows WHERE import_id = @Batch AND existing_id IS NOT NULL) AS r
        WHERE inspection_plans.unit_id = r.existing_id AND inspection_plans.org_path <> r.org_path;
        UPDATE units SET name = r.name, credit_code = r.credit_code, grid_code = r.grid_code, org_path = r.org_path, sectors = r.sectors,
                         risk_colour = r.risk_colour, address = r.address, version = units.version + 1
        FROM import_unit_rows r
        WHERE r.import_id = @Batch AND units.id = r.existing_id;
        DELETE FROM unit_responsible_persons
        WHERE (unit_id, kind) IN (SELECT r.existing_id, p.kind FROM import_unit_rows r JOIN import_unit_person_rows p ON p.import_id = r.import_id AND p.row_no = r.row_no
                                  WHERE r.import_id = @Batch AND r.existing_id IS NOT NULL);
        """ + "\n" + WriteNew,
        """
        UPDATE p SET org_path = r.org_path
        FROM inspection_plans p JOIN import_unit_rows r ON p.unit_id = r.existing_id
        WHERE r.import_id = @Batch AND p.org_path <> r.org_path;
        UPDATE n SET name = r.name, credit_code = r.credit_code, grid_code = r.grid_code, org_path = r.org_path, sectors = r.sectors,
                     risk_colour = r.risk_colour, address = r.address, version = n.version + 1
        FROM units n JOIN import_unit_rows r ON n.id = r.existing_id
        WHERE r.import_id = @Batch;
        DELETE q FROM unit_responsible_persons q
        JOIN import_unit_person_rows p ON p.kind = q.kind
        JOIN import_unit_rows r ON r.import_id = p.import_id AND r.row_no = p.row_no AND r.existing_id = q.unit_id
        WHERE r.import_id = @Batch;
        """ + "\n" + WriteNew);

    private static ApplyStatements Applying => new(PruneUnchanged, CountStaged, WriteHistory, Write);

    internal static readonly Sql CountStaged = Sql.Portable("SELECT COUNT(*) FROM import_unit_rows WHERE import_id = @Batch");

    internal static readonly Sql Clear = Sql.Portable("""
        DELETE FROM import_unit_person_rows WHERE import_id = @Batch;
        DELETE FROM import_unit_rows WHERE import_id = @Batch;
        """);

    /// <summary>A unit with a code gets an id named by its code, so the same file always names the same units.</summary>
    public static Guid IdFor(string code) => NamedIds.For("unit:" + code);

    public async Task Resolve(Guid batch, CancellationToken ct) => await db.Execute(ResolveRows, new { Batch = batch }, ct);

    public async Task StageRows(Guid batch, IEnumerable<UnitInput> rows, CancellationToken ct)
    {
        var units = new List<object>();
        var persons = new List<object>();
        foreach (var row in rows)
        {
            units.Add(new
            {
                Batch = batch,
                row.RowNo,
                UnitId = row.NewId ?? (row.Code is { } code ? IdFor(code) : Guid.CreateVersion7(clock.GetUtcNow())),
                row.Code,
                Name = row.Name!.Trim(),
                row.CreditCode,
                GridCode = row.GridCode!,
                Sectors = string.Join(',', row.Sectors),
                RiskColour = row.RiskColour!,
                row.Address,
                row.ExistingId,
            });
            persons.AddRange(row.Persons.Select(p => (object)new { Batch = batch, row.RowNo, Kind = Wire.Name(p.Key), p.Value.Name, p.Value.Phone, p.Value.Email }));
            if (units.Count >= Staging.Chunk)
            {
                await db.Flush(ct, (StageRow, units), (StagePerson, persons));
            }
        }

        await db.Flush(ct, (StageRow, units), (StagePerson, persons));
    }

    public async Task<IReadOnlyList<RowError>> Verify(Guid batch, Actor actor, CancellationToken ct) =>
        await live.Worded(RowError.From(await db.Query<RowError.Row>(Check, new { Batch = batch, actor.PathFrom, actor.PathTo }, ct)), "gridCode", ct);

    public Task<int> Apply(Guid batch, Actor actor, Guid? importId, DateTimeOffset at, CancellationToken ct) =>
        Applying.Run(db, batch, actor, importId, at, ct);

    public async Task Discard(Guid batch, CancellationToken ct) => await db.Execute(Clear, new { Batch = batch }, ct);
}
