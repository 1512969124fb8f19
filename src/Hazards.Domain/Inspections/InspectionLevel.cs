namespace Hazards.Domain.Inspections;

/// <summary>Who runs a check: the team daily (班组), the workshop weekly (车间), the enterprise and its principal monthly, a grid's patrol.</summary>
public enum InspectionLevel
{
    Team,
    Workshop,
    Enterprise,
    Principal,
    GridPatrol,
}

/// <summary>A slot as the inbox shows it: open in its period, filled on time or within grace, or found empty.</summary>
public enum SlotState
{
    Due,
    Done,
    Late,
    Missed,
}
