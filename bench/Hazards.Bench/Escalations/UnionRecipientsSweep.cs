using Hazards.Api.Features.Escalations;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Calendar;
using Hazards.Domain.Escalation;

namespace Hazards.Bench.Escalations;

/// <summary>
/// What the sweep costs with the recipient statement rewritten, and nothing else changed: the handler's
/// steps in its order, on the service's own session, ladder and mailer, in one transaction. The service's
/// <see cref="EscalationSql.InsertRecipients"/> joins <c>users</c> on five OR-ed conditions, which no index
/// can serve, so SQLite scans every user for every notice; here each rung of the ladder is its own
/// index-served join, and UNION removes the duplicates that DISTINCT removed.
/// </summary>
public sealed class UnionRecipientsSweep(DbSession db, TimeProvider clock, EscalationLadder ladder, NoticeMailer mailer)
{
    public static readonly Sql InsertRecipients = new(Recipients("substr"), Recipients("SUBSTRING"));

    private static string Recipients(string substring) => $"""
        INSERT INTO notice_recipients (notice_id, user_id)
        SELECT n.id, u.id FROM escalation_notices n
        JOIN user_units uu ON uu.unit_id = n.unit_id
        JOIN users u ON u.id = uu.user_id AND u.role = 'unitOfficer'
        WHERE n.sweep_id = @SweepId
        UNION
        SELECT n.id, u.id FROM escalation_notices n JOIN users u ON u.org_code = n.grid_code AND u.role = 'gridWorker'
        WHERE n.sweep_id = @SweepId
        UNION
        SELECT n.id, u.id FROM escalation_notices n JOIN users u ON u.org_code = {substring}(n.grid_code, 1, 9) AND u.role = 'townshipOfficer'
        WHERE n.sweep_id = @SweepId AND n.step >= 1
        UNION
        SELECT n.id, u.id FROM escalation_notices n JOIN users u ON u.org_code = n.district_code AND u.role = 'districtRegulator'
        WHERE n.sweep_id = @SweepId AND n.step >= 2
        UNION
        SELECT n.id, u.id FROM escalation_notices n JOIN users u ON u.role = 'cityAdmin'
        WHERE n.sweep_id = @SweepId AND n.step >= 3
        """;

    public async Task<EscalationResult> Run(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cuts = ladder.CutsAt(now);
        var sweepId = Guid.CreateVersion7(now);
        var policy = ladder.Policy;
        var parameters = new
        {
            SweepId = sweepId,
            Now = now,
            cuts.WarnBy,
            Cut1 = cuts.Cut[1],
            Cut2 = cuts.Cut[2],
            Cut3 = cuts.Cut[3],
            Cut4 = cuts.Cut[4],
            cuts.RespondBy,
            ChinaTime.LocalDate(now).Year,
            ReworksForWarning = policy.ReworksForWarning,
            DailyPerStep = policy.DailyMissesPerStep,
            WeeklyPerStep = policy.WeeklyMissesPerStep,
            MonthlyPerStep = policy.MonthlyMissesPerStep,
            MissedSince = ChinaTime.LocalDate(now).AddDays(-90),
        };

        await db.Begin(ct);
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

        var recipients = await db.Execute(InsertRecipients, parameters, ct);
        await db.Execute(EscalationSql.UpdateCases, parameters, ct);
        await db.Execute(EscalationSql.InsertHistory, parameters, ct);
        var mails = await mailer.WriteDigests(sweepId, ct);
        await db.Commit(ct);
        return new EscalationResult(notices, recipients, mails);
    }
}
