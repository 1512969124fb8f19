using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Imports;

/// <summary>Whether a queued import may still run as the person who started it: checked as it starts and in its apply.</summary>
public static class ImportStarter
{
    public static string NoLongerActive(ImportStore.ImportRow row) => $"{row.CreatedBy}, who started the import, is no longer active: nothing was applied.";

    /// <summary>
    /// Why the import may no longer run as its starter, or null: they must still be active, with the role and the place
    /// in the hierarchy they had when it began, over the part of the hierarchy it was started for. Read in the session's
    /// transaction when there is one, so that a deactivation cannot slip in between this check and the apply.
    /// </summary>
    public static async Task<string?> Unable(DbSession db, ImportStore.ImportRow row, Actor actor, CancellationToken ct)
    {
        var now = await db.Single<Starter>(UserDirectory.FindByLogin, new { Login = row.CreatedBy }, ct);
        if (now is null)
        {
            return NoLongerActive(row);
        }

        return now.Role == Wire.Name(actor.Role) && now.OrgPath == actor.OrgPath && RoleGrant.MayAdminister(actor)
            && row.ScopePath.StartsWith(actor.OrgPath, StringComparison.Ordinal)
            ? null
            : $"{row.CreatedBy}, who started the import, no longer holds the role or the part of the hierarchy it was started for: nothing was applied.";
    }

    private sealed class Starter
    {
        public string Role { get; set; } = "";

        public string OrgPath { get; set; } = "";
    }
}
