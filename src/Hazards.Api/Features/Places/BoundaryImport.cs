using Hazards.Api.Features.Admin;
using Hazards.Api.Features.Imports;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Hazards.Api.Features.Places;

/// <summary>
/// The boundaries import: each feature of the file through the checks of <c>PUT /org-units/{code}/boundary</c>
/// (<see cref="BoundaryCheck"/>), parents before children so that a parent in the same file is the one its children are
/// held to, and siblings in the same file compared with each other rather than with what they replace. Refusals are the
/// report's errors (row: the feature's index), overlaps its warnings. An apply without a refusal writes every changed
/// boundary, its history row and its org unit's version in one transaction, the import's own (<see cref="ImportApply"/>),
/// and moves the stamp once.
/// </summary>
public sealed class BoundaryImport(
    DbSession db, BoundaryCheck check, BoundaryStore store, AdminHistory history, ImportStore imports, BoundaryIndex index,
    LocationOptions options, TimeProvider clock)
{
    public async Task<(int Read, int Applied)> Run(Guid id, bool dryRun, Actor actor, string path, ImportApply applying, CancellationToken ct)
    {
        var read = BoundaryFile.Read(path, options);
        var features = read.Where(f => !f.Example).ToList();
        var errors = new List<RowError>();
        var units = new Dictionary<string, OrgUnitRow>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            if (await Unit(feature, actor, errors, ct) is { } unit)
            {
                units[feature.Code] = unit;
            }
        }

        var inFile = new STRtree<BoundaryFileFeature>();
        foreach (var feature in features)
        {
            inFile.Insert(feature.Shape.EnvelopeInternal, feature);
        }

        inFile.Build();
        var shapeInFile = features.ToDictionary(f => f.Code, f => f.Shape, StringComparer.Ordinal);
        var storedParents = new Dictionary<string, Geometry?>(StringComparer.Ordinal);
        var warnings = read.Where(f => f.Example).Select(f => new RowError(f.Row, "code", "import.example_row",
            $"Feature {f.Row} ({f.Code}) is marked as the template's example (properties.example); it was skipped.")).ToList();
        var changes = new List<Change>();
        foreach (var feature in features.Where(f => units.ContainsKey(f.Code)).OrderBy(f => f.Code.Length).ThenBy(f => f.Row))
        {
            var unit = units[feature.Code];
            var overlaps = new List<BoundaryOverlap>();
            if (unit.ParentCode is { } parentCode)
            {
                var parent = shapeInFile.GetValueOrDefault(parentCode) ?? await StoredShape(parentCode, storedParents, ct);
                if (parent is not null && check.OutsideParent(feature.Shape, parentCode, parent) is { } outside)
                {
                    errors.Add(new RowError(feature.Row, "geometry", outside.Code, outside.Message));
                    continue;
                }

                var stored = (await store.SiblingsNear(unit.Code, parentCode, feature.Shape.EnvelopeInternal, ct)).Where(s => !shapeInFile.ContainsKey(s.Code));
                var fromFile = inFile.Query(feature.Shape.EnvelopeInternal)
                    .Where(f => f.Code != feature.Code && units.GetValueOrDefault(f.Code)?.ParentCode == parentCode)
                    .OrderBy(f => f.Code, StringComparer.Ordinal)
                    .Select(f => (f.Code, f.Shape));
                overlaps.AddRange(check.Overlaps(feature.Shape, stored.Concat(fromFile)));
            }

            if (overlaps.Count > 0)
            {
                warnings.Add(new RowError(feature.Row, "geometry", "boundary.overlap",
                    "The boundary overlaps its siblings' " + string.Join(", ", overlaps.Select(o => $"{o.Code} by {o.SquareMeters:0} m²")) + "."));
            }

            var before = await store.Find(unit.Code, ct);
            if (before is not { Synthetic: false } || before.GeoJson != BoundaryShape.Write(feature.Shape))
            {
                changes.Add(new Change(unit, feature.Shape, before, overlaps));
            }
        }

        await db.RunInTransaction(async () =>
        {
            await imports.AddErrors(id, errors, ct);
            await imports.AddWarnings(id, warnings, ct);
        }, ct);
        if (dryRun || errors.Count > 0 || changes.Count == 0)
        {
            return (features.Count, 0);
        }

        await applying(features.Count, async () =>
        {
            await Apply(id, actor, changes, ct);
            return changes.Count;
        });
        index.Invalidate();
        return (features.Count, changes.Count);
    }

    /// <summary>The org unit a feature names, if the importer may set its boundary; else the row's refusal, as the PUT would refuse it.</summary>
    private async Task<OrgUnitRow?> Unit(BoundaryFileFeature feature, Actor actor, List<RowError> errors, CancellationToken ct)
    {
        try
        {
            var unit = await check.Settable(feature.Code, actor, ct);
            if (unit.RetiredAt is null)
            {
                return unit;
            }

            errors.Add(new RowError(feature.Row, "code", "org_unit.retired", $"The org unit {feature.Code} is retired."));
        }
        catch (ProblemException problem)
        {
            errors.Add(new RowError(feature.Row, "code", problem.Code, $"{feature.Code}: {problem.Message}"));
        }

        return null;
    }

    private async Task<Geometry?> StoredShape(string code, Dictionary<string, Geometry?> cache, CancellationToken ct)
    {
        if (!cache.TryGetValue(code, out var shape))
        {
            cache[code] = shape = await store.Find(code, ct) is { } stored ? BoundaryShape.Read(stored.GeoJson) : null;
        }

        return shape;
    }

    private async Task Apply(Guid id, Actor actor, List<Change> changes, CancellationToken ct)
    {
        var claimed = await db.Execute(OrgUnitAdmin.ClaimVersion, changes.Select(c => new { c.Unit.Code, c.Unit.Version }).ToList(), ct);
        if (claimed != changes.Count)
        {
            throw new InvalidOperationException("An org unit changed or was retired while its boundary was being imported.");
        }

        await store.SaveAll(changes.Select(c => (c.Unit.Code, c.Shape)), synthetic: false, clock.GetUtcNow(), actor.Login, ct);
        await history.AppendAll(
            changes.Select(c => new AdminHistory.Entry(AdminEntity.OrgUnit, c.Unit.Code, "boundary", Boundaries.HistoryBefore(c.Before),
                Boundaries.HistoryAfter(c.Shape, c.Overlaps))),
            actor, id, ct);
    }

    private sealed record Change(OrgUnitRow Unit, Geometry Shape, StoredBoundary? Before, IReadOnlyList<BoundaryOverlap> Overlaps);
}
