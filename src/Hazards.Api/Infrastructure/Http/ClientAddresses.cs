namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// The address an anonymous client is known by: the last entry of the header the operator's own reverse proxy sets
/// (<c>PublicTips:ClientAddressHeader</c>), since earlier ones come from the client, or else the connection's address.
/// Rate limits and anonymous idempotency records both key on it.
/// </summary>
public sealed class ClientAddresses(string? header)
{
    public string Of(HttpContext http)
    {
        if (!string.IsNullOrWhiteSpace(header) && http.Request.Headers[header].ToString() is { Length: > 0 } forwarded)
        {
            return forwarded.Split(',')[^1].Trim();
        }

        return http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
