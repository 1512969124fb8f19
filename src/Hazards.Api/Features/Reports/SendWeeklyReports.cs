using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Infrastructure.Pipeline;
using Hazards.Domain.Calendar;
using Hazards.Domain.Inspections;
using Mediator;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// <c>reports:weekly</c>, Monday 08:00 Asia/Shanghai: each district's report for last week (Mon–Sun) goes to
/// each of its district regulators as a mail with the headline figures and the XLSX attached. A district
/// and week is delivered once: its row in <c>report_deliveries</c> is written in the transaction that puts
/// the mails in the outbox, and its key stops a second, late or concurrent run.
/// </summary>
/// <remarks>The reports are read outside any transaction, and each district commits on its own.</remarks>
[OwnTransactions]
public sealed record SendWeeklyReportsCommand : ICommand<WeeklyReportResult>;

public sealed record WeeklyReportResult(string Week, int Districts, int Mails, int Failed = 0);

public sealed class SendWeeklyReportsHandler(
    DbSession db, ClearanceReportBuilder builder, MailOutbox outbox, TimeProvider clock, ILogger<SendWeeklyReportsHandler> logger)
    : ICommandHandler<SendWeeklyReportsCommand, WeeklyReportResult>
{
    public const string JobName = "reports:weekly";

    internal static readonly Sql Pending = Sql.Portable("""
        SELECT o.code AS Code, o.name AS Name, o.level AS Level, o.path AS Path
        FROM org_units o
        WHERE o.level = 'district'
          AND EXISTS (SELECT 1 FROM users u WHERE u.org_code = o.code AND u.role = 'districtRegulator' AND u.active = 1)
          AND NOT EXISTS (SELECT 1 FROM report_deliveries d WHERE d.district_code = o.code AND d.week_key = @WeekKey)
        ORDER BY o.code
        """);

    internal static readonly Sql City = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level, path AS Path FROM org_units WHERE level = 'city' ORDER BY code
        """);

    internal static readonly Sql Regulators = Sql.Portable("""
        SELECT email AS Email, name AS Name FROM users WHERE org_code = @Code AND role = 'districtRegulator' AND active = 1 ORDER BY login
        """);

    internal static readonly Sql InsertDelivery = new(
        """
        INSERT INTO report_deliveries (district_code, week_key, week_start, week_end, mails, created_at)
        SELECT @Code, @WeekKey, @WeekStart, @WeekEnd, @Mails, @Now
        WHERE NOT EXISTS (SELECT 1 FROM report_deliveries d WHERE d.district_code = @Code AND d.week_key = @WeekKey)
        """,
        """
        INSERT INTO report_deliveries (district_code, week_key, week_start, week_end, mails, created_at)
        SELECT @Code, @WeekKey, @WeekStart, @WeekEnd, @Mails, @Now
        WHERE NOT EXISTS (SELECT 1 FROM report_deliveries d WITH (UPDLOCK, HOLDLOCK) WHERE d.district_code = @Code AND d.week_key = @WeekKey)
        """);

    public async ValueTask<WeeklyReportResult> Handle(SendWeeklyReportsCommand command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var week = Period.Containing(Cadence.Weekly, ChinaTime.Today(now)).Previous();
        var districts = await db.Query<ReportOrgUnit>(Pending, new { WeekKey = week.Key }, ct);
        if (districts.Count == 0)
        {
            return new WeeklyReportResult(week.Key, 0, 0);
        }

        // The city report ranks every district against the others, for the 全市排名 line of each mail.
        var city = await db.Single<ReportOrgUnit>(City, null, ct);
        var ranks = await Ranks(city, week, now, ct);
        var ranked = ranks.Values.Count(r => r.Rank is not null);
        var (delivered, mails, failed) = (0, 0, 0);
        foreach (var district in districts)
        {
            // One district whose report cannot be computed is logged and left for the next run; the others still go.
            try
            {
                var report = await builder.Build(district, week.Start, week.End, now, ct);
                var attachment = new MailAttachment(ReportLabels.FileName(report, "xlsx"), ClearanceXlsx.ContentType, ClearanceXlsx.Render(report));
                var recipients = await db.Query<Recipient>(Regulators, new { district.Code }, ct);
                var standing = ranks.GetValueOrDefault(district.Code) is { Rank: { } rank } ? new Standing(rank, ranked) : null;
                var sent = await Deliver(district, week, report, standing, attachment, recipients, now, ct);
                delivered += sent > 0 ? 1 : 0;
                mails += sent;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                logger.LogError(ex, "The weekly report of district {District} for {Week} could not be computed; the other districts go on", district.Code, week.Key);
            }
        }

        return new WeeklyReportResult(week.Key, delivered, mails, failed);
    }

    /// <summary>The city's ranking of its districts; without it each mail simply leaves out the 全市排名 line.</summary>
    private async Task<Dictionary<string, UnitMetrics>> Ranks(ReportOrgUnit? city, Period week, DateTimeOffset now, CancellationToken ct)
    {
        if (city is null)
        {
            return [];
        }

        try
        {
            return (await builder.Build(city, week.Start, week.End, now, ct)).Children.ToDictionary(c => c.Code);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The city's ranking for {Week} could not be computed; the districts' reports go without it", week.Key);
            return [];
        }
    }

    private Task<int> Deliver(ReportOrgUnit district, Period week, ClearanceReport report, Standing? standing, MailAttachment attachment,
        IReadOnlyList<Recipient> recipients, DateTimeOffset now, CancellationToken ct) =>
        db.RunInTransaction(async () =>
        {
            var claimed = await db.Execute(InsertDelivery, new
            {
                district.Code,
                WeekKey = week.Key,
                WeekStart = week.Start,
                WeekEnd = week.End,
                Mails = recipients.Count,
                Now = now,
            }, ct);
            if (claimed == 0)
            {
                // Another run delivered this district and week; nothing was written here.
                return 0;
            }

            foreach (var recipient in recipients)
            {
                await outbox.Enqueue(WeeklyReportMail.Compose(report, week.Key, standing, recipient.Email, recipient.Name, attachment), ct);
            }

            return recipients.Count;
        }, ct);

    private sealed class Recipient
    {
        public string Email { get; set; } = "";
        public string Name { get; set; } = "";
    }
}
