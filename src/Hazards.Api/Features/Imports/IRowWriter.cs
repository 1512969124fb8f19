using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// The shape every administrative writer has, so an import drives all three the same way: stage rows in chunks,
/// resolve them against the database, check them set-based, apply them set-based, discard the staging.
/// </summary>
public interface IRowWriter<in TInput>
{
    Task StageRows(Guid batch, IEnumerable<TInput> rows, CancellationToken ct);

    Task Resolve(Guid batch, CancellationToken ct);

    Task<IReadOnlyList<RowError>> Verify(Guid batch, Actor actor, CancellationToken ct);

    Task<int> Apply(Guid batch, Actor actor, Guid? importId, DateTimeOffset at, CancellationToken ct);

    Task Discard(Guid batch, CancellationToken ct);
}
