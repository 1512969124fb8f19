using System.Text.Json.Serialization;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// A move of one case. The case comes from the route and the version from If-Match, never from the body,
/// so one endpoint helper (<c>CaseEndpoints.MapCaseAction</c>) fills both for every action.
/// </summary>
public abstract record CaseActionCommand([property: JsonIgnore] Guid CaseId, [property: JsonIgnore] int Version);
