namespace Hazards.Bench.Dataset;

/// <summary>
/// Version 7 ids like the service's own <c>Guid.CreateVersion7(now)</c>, ordered by their instant, but
/// with the random bits drawn from a seeded generator so every run produces the same dataset.
/// </summary>
public sealed class BenchIds(int seed)
{
    private readonly Random random = new(seed);

    public string Next(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = at.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)ms;
            ms >>= 8;
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    public bool Chance(double probability) => random.NextDouble() < probability;
}
