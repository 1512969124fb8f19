using System.Globalization;
using System.Text.Json;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// The case aggregate's SQL and the only writer of <c>cases</c>: load within the caller's scope, insert, and save a
/// change together with its history row. The statements are built from <see cref="CaseColumns"/>.
/// </summary>
public sealed class CaseStore(DbSession db, CaseHistory history)
{
    internal static readonly Sql ById = Sql.Portable($"SELECT {CaseColumns.Select} FROM cases c WHERE c.id = @Id");

    // The read of an action: the case and the last row of its history, where the action's row continues the chain. The
    // row is held until the action commits (SQLite: the session's writer gate; SQL Server: an update lock on the row),
    // so the version compared after this read is the one the update replaces, and the update needs no second check.
    private static string ForChangeText(string hint) => $"""
        SELECT {CaseColumns.Select}, h.seq AS Seq, h.hash AS Hash
        FROM cases c{hint}
        LEFT JOIN case_history h ON h.case_id = c.id AND h.seq = (SELECT MAX(l.seq) FROM case_history l WHERE l.case_id = c.id)
        WHERE c.id = @Id
        """;

    internal static readonly Sql ForChange = new(ForChangeText(""), ForChangeText(" WITH (UPDLOCK, ROWLOCK)"));

    internal static readonly Sql Insert = Sql.Portable(CaseColumns.InsertText);

    internal static readonly Sql Update = Sql.Portable(CaseColumns.UpdateText);

    internal static readonly Sql NextCodeValue = new(
        """
        INSERT INTO case_code_sequences (district_code, year, last_value) VALUES (@DistrictCode, @Year, 1)
        ON CONFLICT (district_code, year) DO UPDATE SET last_value = last_value + 1
        RETURNING last_value
        """,
        """
        MERGE case_code_sequences WITH (HOLDLOCK) AS t
        USING (SELECT @DistrictCode AS district_code, @Year AS year) AS s
        ON t.district_code = s.district_code AND t.year = s.year
        WHEN MATCHED THEN UPDATE SET last_value = t.last_value + 1
        WHEN NOT MATCHED THEN INSERT (district_code, year, last_value) VALUES (s.district_code, s.year, 1)
        OUTPUT inserted.last_value;
        """);

    internal static readonly Sql BindEvidence = Sql.Portable("""
        UPDATE attachments SET case_id = @CaseId WHERE id = @Id AND (case_id = @CaseId OR (case_id IS NULL AND uploaded_by = @Login))
        """);

    /// <summary>The case if it exists and the actor's scope covers it; otherwise 404, so ids cannot be probed.</summary>
    public async Task<(HazardCase Case, CasePlace Place)> Load(Guid id, Actor actor, CancellationToken ct)
    {
        var rows = await db.Query<HazardCaseState, CasePlace, (HazardCaseState, CasePlace)>(
            ById, new { Id = id }, CaseColumns.PlaceStart, (state, place) => (state, place), ct);
        var (state, place) = Visible(rows, actor);
        return (HazardCase.Restore(state), place);
    }

    /// <summary>The case to change, within scope, with the tail of its history; the row stays held until the action commits.</summary>
    public async Task<(HazardCase Case, CasePlace Place, HistoryTail? Tail)> LoadForChange(Guid id, Actor actor, CancellationToken ct)
    {
        var rows = await db.Query<HazardCaseState, CasePlace, HistoryTail?, (HazardCaseState, CasePlace, HistoryTail?)>(
            ForChange, new { Id = id }, $"{CaseColumns.PlaceStart},{nameof(HistoryTail.Seq)}", (state, place, tail) => (state, place, tail), ct);
        var (state, place) = Visible(rows.Select(r => (r.Item1, r.Item2)).ToList(), actor);
        return (HazardCase.Restore(state), place, rows[0].Item3);
    }

    private static (HazardCaseState State, CasePlace Place) Visible(IReadOnlyList<(HazardCaseState State, CasePlace Place)> rows, Actor actor) =>
        rows is [var (state, place)] && CaseScope.Covers(actor, place.OrgPath, state.UnitId, state.ResponsibleUnitId)
            ? (state, place)
            : throw ProblemException.NotFound("case");

    /// <summary>The next code of a district and year (YH-500103-2026-000123); rolled back with the report if it fails.</summary>
    public async Task<string> NextCode(string districtCode, DateTimeOffset reportedAt, CancellationToken ct)
    {
        var year = ChinaTime.LocalDate(reportedAt).Year;
        var value = await db.Scalar<int>(NextCodeValue, new { DistrictCode = districtCode, Year = year }, ct);
        return string.Create(CultureInfo.InvariantCulture, $"YH-{districtCode}-{year}-{value:000000}");
    }

    public async Task Add(HazardCase hazard, CasePlace place, CaseEvent change, string actorLogin, CancellationToken ct)
    {
        await db.Execute(Insert, CaseColumns.Parameters(hazard.ToState(), place, change.At), ct);
        await Bind(hazard.Id, change.EvidenceIds, actorLogin, ct);
        await history.Append(Draft(hazard.Id, change), null, ct);
    }

    /// <summary>
    /// Writes a move read by <see cref="LoadForChange"/>, whose version the caller compared, with its history row after
    /// <paramref name="tail"/>; returns the case as now stored.
    /// </summary>
    public async Task<HazardCase> Save(HazardCase hazard, CasePlace place, CaseEvent change, HistoryTail? tail, CancellationToken ct)
    {
        var state = hazard.ToState();
        await db.Execute(Update, CaseColumns.Parameters(state, place, change.At), ct);
        await Bind(hazard.Id, change.EvidenceIds, change.Login, ct);
        await history.Append(Draft(hazard.Id, change), tail, ct);
        return HazardCase.Restore(state with { Version = state.Version + 1 });
    }

    private async Task Bind(Guid caseId, IReadOnlyList<Guid> evidence, string login, CancellationToken ct)
    {
        foreach (var id in evidence.Distinct())
        {
            if (await db.Execute(BindEvidence, new { CaseId = caseId, Id = id, Login = login }, ct) == 0)
            {
                throw ProblemException.BadRequest("case.evidence_invalid",
                    $"Attachment {id} does not exist, belongs to another case, or was uploaded by someone else.");
            }
        }
    }

    private static HistoryDraft Draft(Guid caseId, CaseEvent change) =>
        new(caseId, Wire.Name(change.Action), Wire.NameOrNull(change.From), Wire.Name(change.To), change.Login, Wire.Name(change.Role),
            change.At, change.Reason, JsonSerializer.Serialize(change.EvidenceIds), JsonSerializer.Serialize(change.Details));
}
