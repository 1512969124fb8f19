using System.ComponentModel.DataAnnotations;

namespace Hazards.Api.Features.Places;

/// <summary>The <c>Location</c> section: the limits of a boundary, the tolerances of the checks, and how often an instance looks for another's change.</summary>
public sealed class LocationOptions
{
    /// <summary>A boundary has at most this many vertices, all rings together.</summary>
    [Range(4, 10_000_000)]
    public int MaxVertices { get; set; } = 200_000;

    /// <summary>A boundaries import holds at most this many vertices, all its features together.</summary>
    [Range(4, 100_000_000)]
    public long MaxImportVertices { get; set; } = 5_000_000;

    /// <summary>The body of <c>PUT /org-units/{code}/boundary</c> is at most this big; more is 413.</summary>
    [Range(1024, 64L * 1024 * 1024)]
    public long MaxBoundaryBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How far a child's boundary may stick out of its parent's (surveys of neighbouring levels rarely match to the metre).</summary>
    [Range(0, 10_000)]
    public double ParentToleranceMeters { get; set; } = 20;

    /// <summary>Overlaps with a sibling smaller than this are not reported.</summary>
    [Range(0, 1_000_000_000)]
    public double OverlapToleranceSquareMeters { get; set; } = 100;

    /// <summary>A report's position may lie this far outside the grid it names before it is refused as naming another place.</summary>
    [Range(0, 10_000)]
    public double GridToleranceMeters { get; set; } = 50;

    /// <summary>How often, at most, an instance reads the boundaries' stamp before a lookup (0: before every lookup).</summary>
    [Range(0, 3_600_000)]
    public int StampCheckMilliseconds { get; set; } = 1000;

    /// <summary>
    /// A new report lists the open cases of its sector within this many metres as possible duplicates; at most the
    /// radius its geohash cells cover (<see cref="Hazards.Domain.Places.Geohash.MaxRadiusMeters"/>).
    /// </summary>
    [Range(1, Hazards.Domain.Places.Geohash.MaxRadiusMeters)]
    public double DuplicateMeters { get; set; } = 50;

    /// <summary>… and reported within this many days before it.</summary>
    [Range(1, 3660)]
    public int DuplicateDays { get; set; } = 30;
}
