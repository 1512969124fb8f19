using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Imports;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;

namespace Hazards.Api.Features.Users;

/// <summary>
/// The one home of the rules that create and change people: the user routes send one row through it, the users
/// import a whole file. Rows are staged, checked set-based against the database and the caller's scope, and applied
/// set-based: a new login is created, a changed row updates its person (with a history row), an unchanged one is left.
/// </summary>
public sealed class UserWriter(DbSession db, TimeProvider clock, LiveOrgUnits live) : IRowWriter<UserInput>
{
    internal static readonly Sql StageRow = Sql.Portable("""
        INSERT INTO import_user_rows (import_id, row_no, user_id, login, name, phone, email, role, org_code, place_level, external_subject)
        VALUES (@Batch, @RowNo, @UserId, @Login, @Name, @Phone, @Email, @Role, @OrgCode, @PlaceLevel, @ExternalSubject)
        """);

    internal static readonly Sql StageUnit = Sql.Portable("""
        INSERT INTO import_user_unit_rows (import_id, row_no, unit_code, unit_id) VALUES (@Batch, @RowNo, @UnitCode, @UnitId)
        """);

    internal static readonly Sql ResolveRows = new(
        """
        UPDATE import_user_rows SET org_path = o.path FROM org_units o
        WHERE import_user_rows.import_id = @Batch AND o.code = import_user_rows.org_code AND o.retired_at IS NULL;
        UPDATE import_user_rows SET existing_id = u.id FROM users u
        WHERE import_user_rows.import_id = @Batch AND u.login = import_user_rows.login;
        UPDATE import_user_unit_rows SET unit_id = n.id FROM units n
        WHERE import_user_unit_rows.import_id = @Batch AND import_user_unit_rows.unit_id IS NULL AND n.code = import_user_unit_rows.unit_code;
        """,
        """
        UPDATE r SET org_path = o.path FROM import_user_rows r JOIN org_units o ON o.code = r.org_code AND o.retired_at IS NULL
        WHERE r.import_id = @Batch;
        UPDATE r SET existing_id = u.id FROM import_user_rows r JOIN users u ON u.login = r.login WHERE r.import_id = @Batch;
        UPDATE x SET unit_id = n.id FROM import_user_unit_rows x JOIN units n ON n.code = x.unit_code
        WHERE x.import_id = @Batch AND x.unit_id IS NULL;
        """);

    private static string Checks(string within, string grantable, string differs) => $"""
        SELECT r.row_no AS RowNo, 'login' AS ColumnName, 'import.duplicate_key' AS Code, 'The login is on an earlier row too.' AS Message
        FROM import_user_rows r JOIN (SELECT login AS dup_key, MIN(row_no) AS first_row FROM import_user_rows WHERE import_id = @Batch GROUP BY login HAVING COUNT(*) > 1) d ON d.dup_key = r.login
        WHERE r.import_id = @Batch AND r.row_no > d.first_row
        UNION ALL
        SELECT r.row_no, 'orgUnit', 'org_unit.not_found', 'The org unit does not exist or is outside your scope.'
        FROM import_user_rows r
        WHERE r.import_id = @Batch AND (r.org_path IS NULL OR r.org_path < @PathFrom OR r.org_path >= @PathTo)
          AND NOT EXISTS (SELECT 1 FROM org_units o WHERE o.code = r.org_code AND o.retired_at IS NOT NULL AND o.path >= @PathFrom AND o.path < @PathTo)
        UNION ALL
        SELECT r.row_no, 'orgUnit', 'org_unit.retired', o.code
        FROM import_user_rows r JOIN org_units o ON o.code = r.org_code AND o.retired_at IS NOT NULL
        WHERE r.import_id = @Batch AND o.path >= @PathFrom AND o.path < @PathTo
        UNION ALL
        SELECT r.row_no, 'orgUnit', 'user.wrong_place', 'This role sits at an org unit of another level.'
        FROM import_user_rows r JOIN org_units o ON o.code = r.org_code
        WHERE r.import_id = @Batch AND r.org_path IS NOT NULL AND o.level <> r.place_level
        UNION ALL
        SELECT r.row_no, 'role', 'user.role_not_grantable', 'You may not grant this role.'
        FROM import_user_rows r
        WHERE r.import_id = @Batch AND {grantable}
        UNION ALL
        SELECT r.row_no, 'login', 'user.login_taken', 'The login belongs to someone you do not administer.'
        FROM import_user_rows r JOIN users u ON u.id = r.existing_id JOIN org_units o ON o.code = u.org_code
        WHERE r.import_id = @Batch AND (o.path < @PathFrom OR o.path >= @PathTo OR {grantable.Replace("r.role", "u.role")})
        UNION ALL
        SELECT r.row_no, 'login', 'user.deactivated', 'The person was deactivated; deactivated people stay so.'
        FROM import_user_rows r JOIN users u ON u.id = r.existing_id
        WHERE r.import_id = @Batch AND u.active = 0
        UNION ALL
        SELECT r.row_no, 'externalSubject', 'user.subject_taken', 'Another person has this external subject.'
        FROM import_user_rows r JOIN users u ON u.external_subject = r.external_subject
        WHERE r.import_id = @Batch AND u.login <> r.login
        UNION ALL
        SELECT r.row_no, 'externalSubject', 'user.subject_link_forbidden', 'Only a city admin links a person to an external subject or changes the link; send the person''s current one.'
        FROM import_user_rows r LEFT JOIN users u ON u.id = r.existing_id
        WHERE r.import_id = @Batch AND @MayLinkSubjects = 0 AND u.external_subject {differs} r.external_subject
        UNION ALL
        SELECT r.row_no, 'externalSubject', 'import.duplicate_key', 'The external subject is on an earlier row too.'
        FROM import_user_rows r JOIN (SELECT external_subject AS dup_key, MIN(row_no) AS first_row FROM import_user_rows WHERE import_id = @Batch AND external_subject IS NOT NULL GROUP BY external_subject HAVING COUNT(*) > 1) d ON d.dup_key = r.external_subject
        WHERE r.import_id = @Batch AND r.row_no > d.first_row
        UNION ALL
        SELECT x.row_no, 'units', 'unit.not_found', 'A unit does not exist, is closed or lies outside the person''s org unit.'
        FROM import_user_unit_rows x
        JOIN import_user_rows r ON r.import_id = x.import_id AND r.row_no = x.row_no
        LEFT JOIN units n ON n.id = x.unit_id
        WHERE x.import_id = @Batch AND r.org_path IS NOT NULL AND (n.id IS NULL OR n.closed_at IS NOT NULL OR NOT ({within}))
        ORDER BY RowNo
        """;

    /// <summary>The refusals of the staged rows; one naming a retired org unit gives the code, which <see cref="LiveOrgUnits.Worded"/> words.</summary>
    internal static readonly Sql Check = new(
        Checks("substr(n.org_path, 1, length(r.org_path)) = r.org_path", "instr(@Grantable, ',' || r.role || ',') = 0", "IS NOT"),
        Checks("LEFT(n.org_path, LEN(r.org_path)) = r.org_path", "CHARINDEX(',' + r.role + ',', @Grantable) = 0", "IS DISTINCT FROM"));

    private static string Unchanged(string differs) => $"""
        r.existing_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM users u WHERE u.id = r.existing_id
              AND NOT (u.name {differs} r.name OR u.phone {differs} r.phone OR u.email {differs} r.email OR u.role {differs} r.role
                       OR u.org_code {differs} r.org_code OR u.external_subject {differs} r.external_subject))
        AND NOT EXISTS (
            SELECT 1 FROM import_user_unit_rows x WHERE x.import_id = r.import_id AND x.row_no = r.row_no
              AND NOT EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = r.existing_id AND uu.unit_id = x.unit_id))
        AND NOT EXISTS (
            SELECT 1 FROM user_units uu WHERE uu.user_id = r.existing_id
              AND NOT EXISTS (SELECT 1 FROM import_user_unit_rows x WHERE x.import_id = r.import_id AND x.row_no = r.row_no AND x.unit_id = uu.unit_id))
        """;

    /// <summary>Rows that would change nothing leave the staging before the apply, so they write no history.</summary>
    internal static readonly Sql PruneUnchanged = new(
        $"DELETE FROM import_user_rows AS r WHERE r.import_id = @Batch AND {Unchanged("IS NOT")}",
        $"DELETE r FROM import_user_rows r WHERE r.import_id = @Batch AND {Unchanged("IS DISTINCT FROM")}");

    private const string SqliteAfter =
        "json_object('login', r.login, 'name', r.name, 'phone', r.phone, 'email', r.email, 'role', r.role, 'orgUnit', r.org_code, 'externalSubject', r.external_subject)";

    private const string SqliteBefore =
        "json_object('login', u.login, 'name', u.name, 'phone', u.phone, 'email', u.email, 'role', u.role, 'orgUnit', u.org_code, 'externalSubject', u.external_subject)";

    private const string SqlServerAfter =
        "(SELECT r.login AS login, r.name AS name, r.phone AS phone, r.email AS email, r.role AS role, r.org_code AS orgUnit, r.external_subject AS externalSubject FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES)";

    private const string SqlServerBefore =
        "(SELECT u.login AS login, u.name AS name, u.phone AS phone, u.email AS email, u.role AS role, u.org_code AS orgUnit, u.external_subject AS externalSubject FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES)";

    private static string History(string id, string key, string before, string after) => $"""
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'user', {key}, CASE WHEN u.org_code <> r.org_code THEN 'move' ELSE 'update' END, @ActorLogin, @ActorRole, @At, {before}, {after}, @ImportId
        FROM import_user_rows r JOIN users u ON u.id = r.existing_id
        WHERE r.import_id = @Batch;
        INSERT INTO admin_history (id, entity, entity_key, action, actor_login, actor_role, at, before_json, after_json, import_id)
        SELECT {id}, 'user', {key.Replace("existing_id", "user_id")}, 'create', @ActorLogin, @ActorRole, @At, NULL, {after}, @ImportId
        FROM import_user_rows r
        WHERE r.import_id = @Batch AND r.existing_id IS NULL;
        """;

    internal static readonly Sql WriteHistory = new(
        History(EscalationSql.SqliteId, "r.existing_id", SqliteBefore, SqliteAfter),
        History("NEWID()", "LOWER(CONVERT(varchar(36), r.existing_id))", SqlServerBefore, SqlServerAfter));

    internal static readonly Sql Write = new(
        """
        UPDATE users SET name = r.name, phone = r.phone, email = r.email, role = r.role, org_code = r.org_code,
                         external_subject = r.external_subject, version = users.version + 1,
                         sessions_since = CASE WHEN users.external_subject IS NOT r.external_subject THEN @At ELSE users.sessions_since END
        FROM import_user_rows r
        WHERE r.import_id = @Batch AND users.id = r.existing_id;
        INSERT INTO users (id, login, name, email, role, org_code, created_at, phone, external_subject, active, deactivated_at, version)
        SELECT r.user_id, r.login, r.name, r.email, r.role, r.org_code, @At, r.phone, r.external_subject, 1, NULL, 1
        FROM import_user_rows r
        WHERE r.import_id = @Batch AND r.existing_id IS NULL;
        DELETE FROM user_units
        WHERE user_id IN (SELECT r.existing_id FROM import_user_rows r WHERE r.import_id = @Batch AND r.existing_id IS NOT NULL)
          AND NOT EXISTS (
            SELECT 1 FROM import_user_rows r JOIN import_user_unit_rows x ON x.import_id = r.import_id AND x.row_no = r.row_no
            WHERE r.import_id = @Batch AND r.existing_id = user_units.user_id AND x.unit_id = user_units.unit_id);
        INSERT INTO user_units (user_id, unit_id)
        SELECT DISTINCT COALESCE(r.existing_id, r.user_id), x.unit_id
        FROM import_user_rows r JOIN import_user_unit_rows x ON x.import_id = r.import_id AND x.row_no = r.row_no
        WHERE r.import_id = @Batch
          AND NOT EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = COALESCE(r.existing_id, r.user_id) AND uu.unit_id = x.unit_id);
        """,
        """
        UPDATE u SET name = r.name, phone = r.phone, email = r.email, role = r.role, org_code = r.org_code,
                     external_subject = r.external_subject, version = u.version + 1,
                     sessions_since = CASE WHEN u.external_subject IS DISTINCT FROM r.external_subject THEN @At ELSE u.sessions_since END
        FROM users u JOIN import_user_rows r ON u.id = r.existing_id
        WHERE r.import_id = @Batch;
        INSERT INTO users (id, login, name, email, role, org_code, created_at, phone, external_subject, active, deactivated_at, version)
        SELECT r.user_id, r.login, r.name, r.email, r.role, r.org_code, @At, r.phone, r.external_subject, 1, NULL, 1
        FROM import_user_rows r
        WHERE r.import_id = @Batch AND r.existing_id IS NULL;
        DELETE uu FROM user_units uu
        JOIN import_user_rows r ON r.existing_id = uu.user_id AND r.import_id = @Batch
        WHERE NOT EXISTS (SELECT 1 FROM import_user_unit_rows x WHERE x.import_id = r.import_id AND x.row_no = r.row_no AND x.unit_id = uu.unit_id);
        INSERT INTO user_units (user_id, unit_id)
        SELECT DISTINCT COALESCE(r.existing_id, r.user_id), x.unit_id
        FROM import_user_rows r JOIN import_user_unit_rows x ON x.import_id = r.import_id AND x.row_no = r.row_no
        WHERE r.import_id = @Batch
          AND NOT EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = COALESCE(r.existing_id, r.user_id) AND uu.unit_id = x.unit_id);
        """);

    private static ApplyStatements Applying => new(PruneUnchanged, CountStaged, WriteHistory, Write);

    internal static readonly Sql CountStaged = Sql.Portable("""
        SELECT COUNT(*) FROM import_user_rows WHERE import_id = @Batch
        """);

    internal static readonly Sql Clear = Sql.Portable("""
        DELETE FROM import_user_unit_rows WHERE import_id = @Batch;
        DELETE FROM import_user_rows WHERE import_id = @Batch;
        """);

    public async Task Resolve(Guid batch, CancellationToken ct) => await db.Execute(ResolveRows, new { Batch = batch }, ct);

    /// <summary>Stages rows that passed <see cref="UserRules.Check"/>; a new person's id is chosen here.</summary>
    public async Task StageRows(Guid batch, IEnumerable<UserInput> rows, CancellationToken ct)
    {
        var people = new List<object>();
        var units = new List<object>();
        foreach (var row in rows)
        {
            var role = Wire.Parse<Role>(row.Role!);
            people.Add(new
            {
                Batch = batch,
                row.RowNo,
                UserId = Guid.CreateVersion7(clock.GetUtcNow()),
                Login = row.Login!,
                Name = row.Name!.Trim(),
                Phone = row.Phone,
                Email = row.Email!,
                Role = Wire.Name(role),
                OrgCode = row.OrgUnit!,
                PlaceLevel = Wire.Name(RoleGrant.PlaceOf(role)),
                row.ExternalSubject,
            });
            units.AddRange(row.UnitCodes.Distinct().Select(code => (object)new { Batch = batch, row.RowNo, UnitCode = code, UnitId = (Guid?)null }));
            units.AddRange(row.UnitIds.Distinct().Select(id => (object)new { Batch = batch, row.RowNo, UnitCode = (string?)null, UnitId = (Guid?)id }));
            if (people.Count >= Staging.Chunk)
            {
                await db.Flush(ct, (StageRow, people), (StageUnit, units));
            }
        }

        await db.Flush(ct, (StageRow, people), (StageUnit, units));
    }

    public async Task<IReadOnlyList<RowError>> Verify(Guid batch, Actor actor, CancellationToken ct) =>
        await live.Worded(RowError.From(await db.Query<RowError.Row>(Check, new
        {
            Batch = batch, actor.PathFrom, actor.PathTo, Grantable = RoleGrant.GrantableList(actor), MayLinkSubjects = RoleGrant.MayLinkSubjects(actor),
        }, ct)), "orgUnit", ct);

    public Task<int> Apply(Guid batch, Actor actor, Guid? importId, DateTimeOffset at, CancellationToken ct) =>
        Applying.Run(db, batch, actor, importId, at, ct);

    public async Task Discard(Guid batch, CancellationToken ct) => await db.Execute(Clear, new { Batch = batch }, ct);
}
