namespace Hazards.Domain;

/// <summary>The five roles of design §2, ordered by rank: a higher role may do what a lower supervising role may.</summary>
public enum Role
{
    GridWorker = 0,
    UnitOfficer = 1,
    TownshipOfficer = 2,
    DistrictRegulator = 3,
    CityAdmin = 4,
}
