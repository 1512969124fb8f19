using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Imports;

/// <summary>Queues an import whose file is already stored and checked (format, headers); the job does the rest.</summary>
public sealed record StartImportCommand(Guid Id, ImportKind Kind, bool DryRun, string FileName, ImportFormat Format) : ICommand<ImportView>;

public sealed class StartImportHandler(DbSession db, ICurrentUser user, ImportQueue queue, TimeProvider clock, ISender sender)
    : ICommandHandler<StartImportCommand, ImportView>
{
    public async ValueTask<ImportView> Handle(StartImportCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        await Queue(db, actor, command, clock.GetUtcNow(), ct);
        db.AfterCommit(() =>
        {
            queue.Enqueue(command.Id);
            return Task.CompletedTask;
        });
        return await sender.Send(new GetImportQuery(command.Id, null, null), ct);
    }

    /// <summary>
    /// 413 for a CSV or XLSX file of more than <see cref="ImportOptions.MaxRows"/> data rows (counted by the upload's header
    /// check), before it is queued: one import's rows are bounded, so are its work and its report. The command binary, run
    /// by the operator in a process of its own, is not bounded.
    /// </summary>
    public static void CheckRows(ImportOptions options, int rows)
    {
        if (rows > options.MaxRows)
        {
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "import.too_many_rows",
                $"The file has more than Imports:MaxRows ({options.MaxRows}) data rows; split it into files of at most that many.")
            {
                Extensions = new Dictionary<string, object?> { ["maxRows"] = options.MaxRows },
            };
        }
    }

    /// <summary>Refuses an overlapping import of the same kind (409) and writes the queued row; the command binary does the same.</summary>
    public static async Task Queue(DbSession db, Actor actor, StartImportCommand command, DateTimeOffset now, CancellationToken ct)
    {
        if (!RoleGrant.MayAdminister(actor))
        {
            throw ProblemException.Forbidden("import.forbidden", "Only township officers and above import.");
        }

        var kind = Wire.Name(command.Kind);
        if (await db.Scalar<int>(ImportStore.Overlapping, new { Kind = kind, ScopePath = actor.OrgPath }, ct) > 0)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "import.overlapping",
                "An import of this kind into an overlapping part of the hierarchy is still queued or running; wait for it to end.");
        }

        await db.Execute(ImportStore.Insert, new
        {
            command.Id,
            Kind = kind,
            command.DryRun,
            ScopePath = actor.OrgPath,
            FileName = command.FileName.Length > 260 ? command.FileName[..260] : command.FileName,
            FileFormat = Wire.Name(command.Format),
            CreatedBy = actor.Login,
            CreatedAt = now,
        }, ct);
    }
}
