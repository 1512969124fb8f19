using System.Security.Cryptography;
using System.Text;

namespace Hazards.Api.Infrastructure.Data;

/// <summary>Ids named by a stable key (an imported unit's code, a demo row), the same on every run and machine.</summary>
public static class NamedIds
{
    public static Guid For(string name)
    {
        // The prefix is the demo seed's of old: kept so that the demo's ids stay what they were.
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("hazards-demo:" + name)).AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
