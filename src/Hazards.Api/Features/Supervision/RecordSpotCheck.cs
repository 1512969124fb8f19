using FluentValidation;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Pipeline;
using Hazards.Domain;
using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>
/// The finding of a drawn spot check: genuine keeps the case closed; not genuine reopens it as a fake fix
/// (假整改), aggravated, with a fresh deadline and so a new round of the escalation ladder. Every pending task
/// of the case is done with it; the task rows keep the unit, verifier and district the finding counts against.
/// </summary>
public sealed record RecordSpotCheckCommand(
    bool? Genuine,
    string? Note,
    IReadOnlyList<Guid>? AttachmentIds,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class RecordSpotCheckValidator : AbstractValidator<RecordSpotCheckCommand>
{
    public RecordSpotCheckValidator()
    {
        RuleFor(c => c.Genuine).NotNull();
        RuleFor(c => c.Note).NotEmpty().When(c => c.Genuine == false).WithMessage("A fake fix needs a note saying what was found.");
        RuleFor(c => c.Note).MaximumLength(2000);
        RuleFor(c => c.AttachmentIds).NotEmpty().WithMessage("A spot check needs evidence from the site.");
        RuleFor(c => c.AttachmentIds).MaxItems(20).WithMessage("At most 20 attachments.");
    }
}

public sealed class RecordSpotCheckHandler(DbSession db, CaseChanges changes, DeadlineCalculator deadlines, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<RecordSpotCheckCommand, CaseView>
{
    internal static readonly Sql PendingTasks = Sql.Portable("""
        SELECT COUNT(*) FROM spot_check_tasks WHERE case_id = @CaseId AND status = 'pending'
        """);

    internal static readonly Sql CompleteTasks = Sql.Portable("""
        UPDATE spot_check_tasks SET status = 'done', finding = @Finding, checked_by = @CheckedBy, checked_at = @CheckedAt
        WHERE case_id = @CaseId AND status = 'pending'
        """);

    public async ValueTask<CaseView> Handle(RecordSpotCheckCommand command, CancellationToken ct)
    {
        var pending = await db.Scalar<long>(PendingTasks, new { command.CaseId }, ct);
        var view = await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
        {
            var change = hazard.SpotCheck(command.Genuine!.Value, command.Note, command.AttachmentIds!, actor, now, deadlines);
            return pending > 0
                ? change
                : throw new DomainRuleException("spot_check.not_drawn", "The case has no pending spot-check task; draw it first.");
        }, ct);

        await db.Execute(CompleteTasks, new
        {
            command.CaseId,
            Finding = command.Genuine!.Value ? "genuine" : "notGenuine",
            CheckedBy = user.Actor.Login,
            CheckedAt = clock.GetUtcNow(),
        }, ct);
        return view;
    }
}
