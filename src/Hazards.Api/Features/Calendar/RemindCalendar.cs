using System.Net;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Domain.Calendar;
using Mediator;

namespace Hazards.Api.Features.Calendar;

/// <summary>
/// <c>calendar:remind</c>: when a day of the next 90 lies in a provisional year, the city admins get one mail
/// through the outbox, "load the State Council's notice for YEAR". Once per year across restarts and
/// instances: the year's row in <c>calendar_reminders</c> is written in the transaction that queues the mails.
/// </summary>
public sealed record RemindCalendarCommand : ICommand<CalendarReminderResult>;

public sealed record CalendarReminderResult(int? ProvisionalYear, int Mails);

public sealed class RemindCalendarHandler(DbSession db, WorkdayCalendar calendar, MailOutbox outbox, TimeProvider clock)
    : ICommandHandler<RemindCalendarCommand, CalendarReminderResult>
{
    public const string JobName = "calendar:remind";
    public const string MailKind = "calendarReminder";

    internal static readonly Sql CityAdmins = Sql.Portable("SELECT email AS Email, name AS Name FROM users WHERE role = 'cityAdmin' ORDER BY login");

    internal static readonly Sql InsertReminder = new(
        """
        INSERT INTO calendar_reminders (year, noticed_at, mails)
        SELECT @Year, @Now, @Mails WHERE NOT EXISTS (SELECT 1 FROM calendar_reminders r WHERE r.year = @Year)
        """,
        """
        INSERT INTO calendar_reminders (year, noticed_at, mails)
        SELECT @Year, @Now, @Mails WHERE NOT EXISTS (SELECT 1 FROM calendar_reminders r WITH (UPDLOCK, HOLDLOCK) WHERE r.year = @Year)
        """);

    public async ValueTask<CalendarReminderResult> Handle(RemindCalendarCommand command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (CalendarHealthCheck.ProvisionalYearAhead(calendar, now) is not { } year)
        {
            return new CalendarReminderResult(null, 0);
        }

        var admins = await db.Query<Admin>(CityAdmins, null, ct);
        if (await db.Execute(InsertReminder, new { Year = year, Now = now, Mails = admins.Count }, ct) == 0)
        {
            return new CalendarReminderResult(year, 0);
        }

        foreach (var admin in admins)
        {
            await outbox.Enqueue(Compose(year, admin), ct);
        }

        return new CalendarReminderResult(year, admins.Count);
    }

    // The route takes a PUT with a token and an If-Match: no address in a mail can do that, so the mail says what to do.
    private static OutgoingMail Compose(int year, Admin admin)
    {
        var route = $"PUT /api/v1/calendar/{year}";
        var subject = $"请载入国务院{year}年部分节假日安排的通知 / Load the State Council's notice for {year}";
        var text = $"""
            {admin.Name}：

            {year}年的节假日安排尚未载入，系统对{year}年按《全国年节及纪念日放假办法》的法定节假日临时计算工作日（不含调休）。
            国务院通知发布后，请以城市管理员身份，按通知列出{year}年的全部节假日与调休上班日，通过日历接口（{route}）载入；载入后，未到期的期限将按正式日历重新计算（只延长，不缩短）。

            Load the State Council's notice for {year}: as a city admin, send every holiday and make-up workday it lists to the calendar route ({route}).
            Until then {year} is provisional: weekends and the statutory holidays only.
            """;
        var html = $"""
            <p>{WebUtility.HtmlEncode(admin.Name)}：</p>
            <p>{year}年的节假日安排尚未载入，系统按法定节假日临时计算工作日（不含调休）。国务院通知发布后，请以城市管理员身份，按通知列出{year}年的全部节假日与调休上班日，通过日历接口（<code>{WebUtility.HtmlEncode(route)}</code>）载入。</p>
            <p>Load the State Council's notice for {year}: as a city admin, send every holiday and make-up workday it lists to the calendar route (<code>{WebUtility.HtmlEncode(route)}</code>).</p>
            """;
        return new OutgoingMail(MailKind, admin.Email, admin.Name, subject, html, text);
    }

    private sealed class Admin
    {
        public string Email { get; set; } = "";
        public string Name { get; set; } = "";
    }
}
