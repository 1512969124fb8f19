namespace Hazards.Bench.Dataset;

/// <summary>
/// How many of each level a generated city holds. The fan-outs approximate Chongqing (38 districts,
/// ~1,000 townships, ~11,000 villages, ~60,000 grids, 300,000 units); smaller cities keep the fan-outs
/// and have fewer townships.
/// </summary>
public sealed record CityShape(int Units)
{
    public const int ChongqingUnits = 300_000;

    public const int UnitsPerGrid = 5;

    public const int GridsPerVillage = 6;

    public const int VillagesPerTownship = 11;

    public int Grids => CeilDiv(Units, UnitsPerGrid);

    public int Villages => CeilDiv(Grids, GridsPerVillage);

    public int Townships => CeilDiv(Villages, VillagesPerTownship);

    /// <summary>The size relative to Chongqing (1.0 = 300,000 units).</summary>
    public double Scale => (double)Units / ChongqingUnits;

    public override string ToString() =>
        FormattableString.Invariant($"{Townships:N0} townships, {Villages:N0} villages, {Grids:N0} grids, {Units:N0} units");

    private static int CeilDiv(int value, int by) => (value + by - 1) / by;
}
