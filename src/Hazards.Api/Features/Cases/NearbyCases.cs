using Hazards.Api.Features.Places;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Cases;
using Hazards.Domain.Places;

namespace Hazards.Api.Features.Cases;

/// <summary>An open case near a new report, for the reporter to check before triage rejects one with <c>duplicateOf</c>.</summary>
public sealed record PossibleDuplicate(Guid Id, string Code, string Title, CaseStatus Status, double DistanceMeters, DateTimeOffset ReportedAt);

/// <summary>
/// The open cases of a report's sector within <c>Location:DuplicateMeters</c> reported in the last
/// <c>Location:DuplicateDays</c>, in the reporter's scope, nearest first. They are read by the geohash cells of the
/// position and its eight neighbours (index <c>ix_cases_geocell</c>), never by a scan, and their distance is then measured.
/// </summary>
public sealed class NearbyCases(DbSession db, LocationOptions options)
{
    public const int MaxListed = 10;

    /// <summary>The most recent candidates read: a spot where hundreds of cases stand open is not read whole for ten.</summary>
    public const int MaxCandidates = 200;

    // The open states are a CASE, not a plain IN: without statistics SQLite would search the status index instead and
    // read every open case of the city; this way the nine cells are searched (NearbyDuplicateTests reads the plan).
    private static readonly string CandidatesWhere = $"""
        FROM cases c
        WHERE c.geocell IN (@C0, @C1, @C2, @C3, @C4, @C5, @C6, @C7, @C8)
          AND c.sector = @Sector AND c.reported_at >= @Since AND c.id <> @Id
          AND (CASE WHEN c.status IN ('reported', 'rectifying', 'fixSubmitted') THEN 1 ELSE 0 END) = 1
          AND {CaseScope.Predicate}
        ORDER BY c.reported_at DESC
        """;

    private const string CandidateColumns = """
        c.id AS Id, c.code AS Code, c.title AS Title, c.status AS Status, c.latitude AS Latitude, c.longitude AS Longitude,
        c.reported_at AS ReportedAt
        """;

    internal static readonly Sql Candidates = new(
        $"SELECT {CandidateColumns} {CandidatesWhere} LIMIT {MaxCandidates}",
        $"SELECT {CandidateColumns} {CandidatesWhere} OFFSET 0 ROWS FETCH NEXT {MaxCandidates} ROWS ONLY");

    public async Task<IReadOnlyList<PossibleDuplicate>> Of(CaseView reported, Actor actor, CancellationToken ct)
    {
        if (reported.Location is not { Latitude: { } latitude, Longitude: { } longitude })
        {
            return [];
        }

        var position = new LatLng(latitude, longitude);
        var parameters = new Dapper.DynamicParameters(CaseScope.Parameters(actor));
        var cells = Geohash.Block(position);
        for (var i = 0; i < cells.Count; i++)
        {
            parameters.Add("C" + i, cells[i]);
        }

        parameters.AddDynamicParams(new { reported.Id, Sector = Wire.Name(reported.Sector), Since = reported.ReportedAt.AddDays(-options.DuplicateDays) });
        var rows = await db.Query<Candidate>(Candidates, parameters, ct);
        return rows
            .Select(r => new PossibleDuplicate(r.Id, r.Code, r.Title, r.Status, Math.Round(Geohash.Meters(position, new LatLng(r.Latitude, r.Longitude)), 1), r.ReportedAt))
            .Where(d => d.DistanceMeters <= options.DuplicateMeters)
            .OrderBy(d => d.DistanceMeters)
            .ThenByDescending(d => d.ReportedAt)
            .Take(MaxListed)
            .ToList();
    }

    private sealed record Candidate(Guid Id, string Code, string Title, CaseStatus Status, double Latitude, double Longitude, DateTimeOffset ReportedAt);
}
