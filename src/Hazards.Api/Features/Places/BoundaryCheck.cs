using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using NetTopologySuite.Geometries;

namespace Hazards.Api.Features.Places;

/// <summary>
/// The checks of a boundary beyond its shape, one home for <c>PUT /org-units/{code}/boundary</c> and the boundaries
/// import: whose boundary the caller may set, whether it lies within its parent's, and which siblings it overlaps.
/// </summary>
public sealed class BoundaryCheck(OrgUnitReader reader, OrgUnitAdmin admin, LocationOptions options)
{
    /// <summary>A city admin sets any org unit's boundary, other administrators those strictly below their own (as for every change of the hierarchy).</summary>
    public async Task<OrgUnitRow> Settable(string code, Actor actor, CancellationToken ct) =>
        actor.Role == Role.CityAdmin ? await reader.Find(code, actor, ct) : await admin.Require(code, actor, ct);

    /// <summary>422 <c>boundary.outside_parent</c> when the shape reaches outside its parent's by more than <c>Location:ParentToleranceMeters</c>; else null.</summary>
    public ProblemException? OutsideParent(Geometry shape, string parentCode, Geometry parent)
    {
        var outside = shape.Difference(parent.Buffer(options.ParentToleranceMeters / BoundaryShape.MetersPerDegree));
        if (outside.IsEmpty)
        {
            return null;
        }

        var point = outside.InteriorPoint;
        return new ProblemException(StatusCodes.Status422UnprocessableEntity, "boundary.outside_parent",
            $"The boundary reaches {SquareMeters(outside):0} m² outside its parent {parentCode}'s, for example at {point.Y:0.######}, {point.X:0.######} (latitude, longitude).");
    }

    /// <summary>The siblings the shape overlaps by more than <c>Location:OverlapToleranceSquareMeters</c>, in the order given.</summary>
    public IReadOnlyList<BoundaryOverlap> Overlaps(Geometry shape, IEnumerable<(string Code, Geometry Shape)> siblings)
    {
        var overlaps = new List<BoundaryOverlap>();
        foreach (var (code, sibling) in siblings)
        {
            if (!sibling.EnvelopeInternal.Intersects(shape.EnvelopeInternal))
            {
                continue;
            }

            var area = SquareMeters(shape.Intersection(sibling));
            if (area > options.OverlapToleranceSquareMeters)
            {
                overlaps.Add(new BoundaryOverlap(code, Math.Round(area)));
            }
        }

        return overlaps;
    }

    /// <summary>An area in degrees² as square metres at its own latitude (an equirectangular approximation, good to a few percent at a city's size).</summary>
    public static double SquareMeters(Geometry area) => area.IsEmpty ? 0
        : area.Area * BoundaryShape.MetersPerDegree * BoundaryShape.MetersPerDegree * Math.Cos(area.Centroid.Y * Math.PI / 180);
}
