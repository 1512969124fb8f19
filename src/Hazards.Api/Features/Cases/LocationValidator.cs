using FluentValidation;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// A position as reports, tips and inspection hazards send it: degrees in range (a number like 1e309 reads as
/// infinity), a bounded address, and a datum name short enough to be one (which one is checked where it is converted).
/// </summary>
public sealed class LocationValidator : AbstractValidator<Location>
{
    public LocationValidator()
    {
        RuleFor(l => l.Latitude).InclusiveBetween(-90, 90).When(l => l.Latitude is not null);
        RuleFor(l => l.Longitude).InclusiveBetween(-180, 180).When(l => l.Longitude is not null);
        RuleFor(l => l.Address).MaximumLength(400);
        RuleFor(l => l.Crs).MaximumLength(10);
    }
}
