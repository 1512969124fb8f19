using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Calendar;
using Hazards.Domain.Escalation;
using Mediator;

namespace Hazards.Api.Features.Escalations;

/// <summary>
/// The 快警快控快处 sweep: recomputes from the database which subjects reached which step, inserts the
/// missing notices set-based with their letter numbers and recipients, moves the cases' steps and listings (the
/// lifecycle's <c>escalate</c> transition, applied by <see cref="CaseStore.Escalate"/>),
/// chases the warnings nobody of their addressees acknowledged in time (叫应), and writes each recipient one digest
/// mail into the outbox — all in one transaction, so a doubled, late or concurrent run sends nothing twice.
/// </summary>
public sealed record EscalateCasesCommand : ICommand<EscalationResult>;

/// <summary>What a sweep wrote: new notices, their recipients and the chases' (叫应), the digests queued, and the warnings chased.</summary>
public sealed record EscalationResult(int Notices, int Recipients, int Mails, int Chases);

public sealed class EscalateCasesHandler(DbSession db, TimeProvider clock, EscalationLadder ladder, NoticeMailer mailer, CaseStore cases)
    : ICommandHandler<EscalateCasesCommand, EscalationResult>
{
    public async ValueTask<EscalationResult> Handle(EscalateCasesCommand command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var sweepId = Guid.CreateVersion7(now);
        var parameters = SweepParameters(ladder, now, sweepId);

        await db.WidenCache(ct);
        await db.Scalar<int>(EscalationSql.Lock, null, ct);
        var notices = 0;
        foreach (var kind in new[] { EscalationSql.InsertFix, EscalationSql.InsertTriage, EscalationSql.InsertVerification, EscalationSql.InsertInspection })
        {
            var added = await db.Execute(kind, parameters, ct);
            if (added > 0)
            {
                notices += added;
                await db.Execute(EscalationSql.AdvanceLetterSequences, parameters, ct);
            }
        }

        var chases = await db.Execute(EscalationSql.InsertChases, parameters, ct);
        if (notices == 0 && chases == 0)
        {
            return new EscalationResult(0, 0, 0, 0);
        }

        var recipients = 0;
        if (notices > 0)
        {
            recipients += await db.Execute(EscalationSql.InsertRecipients, parameters, ct);
            await cases.Escalate(parameters, now, ct);
        }

        if (chases > 0)
        {
            recipients += await db.Execute(EscalationSql.InsertChaseRecipients, parameters, ct);
        }

        var mails = await mailer.WriteDigests(sweepId, now, ct);
        return new EscalationResult(notices, recipients, mails, chases);
    }

    /// <summary>What every statement of one sweep binds: the ladder's cuts at <paramref name="now"/> and its policy.</summary>
    internal static object SweepParameters(EscalationLadder ladder, DateTimeOffset now, Guid sweepId)
    {
        var cuts = ladder.CutsAt(now);
        var policy = ladder.Policy;
        return new
        {
            SweepId = sweepId,
            Now = now,
            cuts.WarnBy,
            Cut1 = cuts.Cut[1],
            Cut2 = cuts.Cut[2],
            Cut3 = cuts.Cut[3],
            Cut4 = cuts.Cut[4],
            cuts.RespondBy,
            AcknowledgeBy = now.AddHours(policy.AcknowledgeHours),
            ChinaTime.LocalDate(now).Year,
            ReworksForWarning = policy.ReworksForWarning,
            DailyPerStep = policy.DailyMissesPerStep,
            WeeklyPerStep = policy.WeeklyMissesPerStep,
            MonthlyPerStep = policy.MonthlyMissesPerStep,
            MissedSince = ChinaTime.LocalDate(now).AddDays(-90),
        };
    }
}
