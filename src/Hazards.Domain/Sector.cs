namespace Hazards.Domain;

/// <summary>The sectors of design §11: safety production first, then natural disasters.</summary>
public enum Sector
{
    RoadTraffic,
    Construction,
    Fire,
    HazardousChemicals,
    Gas,
    HazardousWork,
    SmallWorks,
    Mining,
    SpecialEquipment,
    Flood,
    Geological,
    ForestFire,
    Earthquake,
    Other,
}

/// <summary>The four-colour grading of risks in the national dual-prevention practice (红/橙/黄/蓝).</summary>
public enum RiskColour
{
    Red,
    Orange,
    Yellow,
    Blue,
}

/// <summary>The four responsible persons a unit must publish (行政负责、行业监管、专业监管、企业（单位）).</summary>
public enum ResponsibleKind
{
    Administrative,
    IndustryRegulator,
    ProfessionalRegulator,
    Enterprise,
}

public enum OrgLevel
{
    City,
    District,
    Township,
    Village,
    Grid,
}
