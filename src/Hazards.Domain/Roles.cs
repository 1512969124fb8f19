namespace Hazards.Domain;

/// <summary>The five roles of design §2, ordered by rank: a higher role may do what a lower supervising role may.</summary>
public enum Role
{
    /// <summary>The anonymous public: never a user, only the tip intake's reporter (举报).</summary>
    Public = -1,
    GridWorker = 0,
    UnitOfficer = 1,
    TownshipOfficer = 2,
    DistrictRegulator = 3,
    CityAdmin = 4,
}
