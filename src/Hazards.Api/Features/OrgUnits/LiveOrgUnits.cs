using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.OrgUnits;

/// <summary>The live org unit a code given with new work names: <see cref="Given"/> itself, or the one it was merged into.</summary>
public sealed record LiveOrgUnit(string Code, string Path, string Given)
{
    public const string PlaceGiven = "placeGiven";

    public bool Followed => Code != Given;

    /// <summary>The report's history row, noting the code given when the work landed in the org unit it was merged into.</summary>
    public CaseEvent Noted(CaseEvent change) =>
        Followed ? change with { Details = new Dictionary<string, string>(change.Details, StringComparer.Ordinal) { [PlaceGiven] = Given } } : change;
}

/// <summary>
/// The one home of what a retired or merged code still names. A report or a tip naming a merged code lands in the org unit
/// it was merged into (through later merges too): people read old codes off signs and old lists. Any other new work naming
/// a retired or merged code is refused with 409 <c>org_unit.retired</c> and the successor, if any.
/// </summary>
public sealed class LiveOrgUnits(DbSession db)
{
    internal static readonly Sql Find = Sql.Portable("""
        SELECT code AS Code, path AS Path, retired_at AS RetiredAt, merged_into AS MergedInto FROM org_units WHERE code = @Code AND level = @Level
        """);

    internal static readonly Sql Level = Sql.Portable("SELECT level FROM org_units WHERE code = @Code");

    /// <summary>A merge names a sibling, so a chain is as long as the merges of one place; this only stops a corrupt cycle.</summary>
    private const int MaxMerges = 64;

    /// <summary>
    /// For reports and tips: the org unit of the level with the code, or the live one it was merged into; null when none
    /// has the code or neither it nor its successor is <paramref name="visible"/>; 409 when it was retired without one.
    /// </summary>
    public async Task<LiveOrgUnit?> Following(string code, OrgLevel level, Func<string, bool> visible, CancellationToken ct)
    {
        var (given, live) = await Chain(code, level, ct);
        if (given is null || !(visible(given.Path) || (live is not null && visible(live.Path))))
        {
            return null;
        }

        return live is not null ? new LiveOrgUnit(live.Code, live.Path, code) : throw Retired(code, null);
    }

    /// <summary>For any other new work: the live org unit with the code; null as <see cref="Following"/>; 409 when retired or merged.</summary>
    public async Task<LiveOrgUnit?> Live(string code, OrgLevel level, Func<string, bool> visible, CancellationToken ct)
    {
        var found = await Following(code, level, visible, ct);
        return found is { Followed: true } ? throw Retired(code, found.Code) : found;
    }

    /// <summary>
    /// The refusals of an administrative writer's set-based check worded: each <c>org_unit.retired</c> in the
    /// <paramref name="column"/> that names an org unit, its message the code given, gets the words and the successor of <see cref="Retired"/>.
    /// </summary>
    public async Task<IReadOnlyList<RowError>> Worded(IReadOnlyList<RowError> errors, string column, CancellationToken ct)
    {
        var worded = new List<RowError>(errors.Count);
        var successors = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            if (error is not { Code: "org_unit.retired" } || error.ColumnName != column)
            {
                worded.Add(error);
                continue;
            }

            var given = error.Message;
            if (!successors.TryGetValue(given, out var successor))
            {
                var level = await db.Scalar<string>(Level, new { Code = given }, ct);
                successors[given] = successor = (await Chain(given, Wire.Parse<OrgLevel>(level), ct)).Live?.Code;
            }

            var problem = Retired(given, successor);
            worded.Add(error with { Message = problem.Message, Extensions = problem.Extensions });
        }

        return worded;
    }

    public static ProblemException Retired(string code, string? successor) =>
        new(StatusCodes.Status409Conflict, "org_unit.retired", successor is null
            ? $"The org unit {code} is retired: name a live one."
            : $"The org unit {code} is retired; it was merged into {successor}: name that one.")
        {
            Extensions = new Dictionary<string, object?> { ["successor"] = successor },
        };

    private async Task<(Row? Given, Row? Live)> Chain(string code, OrgLevel level, CancellationToken ct)
    {
        var args = new { Code = code, Level = Wire.Name(level) };
        var given = await db.Single<Row>(Find, args, ct);
        var row = given;
        for (var step = 0; row is { RetiredAt: not null, MergedInto: { } next } && step < MaxMerges; step++)
        {
            row = await db.Single<Row>(Find, args with { Code = next }, ct);
        }

        return (given, row is { RetiredAt: null } ? row : null);
    }

    private sealed class Row
    {
        public string Code { get; set; } = "";

        public string Path { get; set; } = "";

        public DateTimeOffset? RetiredAt { get; set; }

        public string? MergedInto { get; set; }
    }
}
