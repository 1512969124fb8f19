using System.Collections.Concurrent;
using Dapper;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hazards.Api.Infrastructure.Cli;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Jobs;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Api.Tests.Support;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MimeKit;
using SmtpServer.Protocol;
using ServerResponse = SmtpServer.Protocol.SmtpResponse;

namespace Hazards.Api.Tests.Infrastructure.Mail;

/// <summary>The outbox and its dispatcher against a real SMTP server on 127.0.0.1 (design §7).</summary>
[NonParallelizable]
public sealed class MailDispatchTests
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(10);

    private SmtpTestServer smtp = null!;

    [SetUp]
    public void StartServer() => smtp = new SmtpTestServer().Start();

    [TearDown]
    public void StopServer() => smtp.Dispose();

    [Test]
    public async Task Dispatch_WhenMailIsDue_DeliversItOnceAsTextAndHtmlWithItsMessageId()
    {
        using var app = SmtpApp();
        var id = await Enqueue(app, Mail("【提示函】渝中区 2 起隐患整改逾期"));

        var first = await Dispatch(app);
        var second = await Dispatch(app);

        Assert.That(first, Is.EqualTo(new DispatchResult(1, 0, 0)));
        Assert.That(second, Is.EqualTo(new DispatchResult(0, 0, 0)));
        var message = smtp.Messages.Single();
        var row = await Row(app, id);
        Assert.That(message.Subject, Is.EqualTo("【提示函】渝中区 2 起隐患整改逾期"));
        Assert.That(message.From.Mailboxes.Single().Address, Is.EqualTo("hazards@hazards.example"));
        Assert.That(message.From.Mailboxes.Single().Name, Is.EqualTo("重庆市安全隐患排查治理系统"));
        Assert.That(message.To.Mailboxes.Single().Address, Is.EqualTo("wang@yuzhong.example"));
        Assert.That(message.To.Mailboxes.Single().Name, Is.EqualTo("王主任"));
        Assert.That(message.TextBody, Does.Contain("逾期 3 个工作日"));
        Assert.That(message.HtmlBody, Does.Contain("<b>逾期 3 个工作日</b>"));
        Assert.That(message.Body!.ContentType.MimeType, Is.EqualTo("multipart/alternative"));
        Assert.That(message.MessageId, Is.EqualTo(row.MessageId).And.EqualTo(MailOutbox.MessageIdFor(id)));
        Assert.That(message.Headers[MailComposer.KindHeader], Is.EqualTo("test"));
        Assert.That(row.Status, Is.EqualTo("sent"));
        Assert.That(row.Attempts, Is.EqualTo(1));
        Assert.That(row.SentAt, Is.EqualTo(app.Clock.GetUtcNow()));
        Assert.That(row.ClaimedUntil, Is.Null);
    }

    [Test]
    public async Task Dispatch_WhenServerIsDownForAWhile_RetriesWithBackoffAndDeliversOnceWhenBack()
    {
        using var app = SmtpApp();
        var id = await Enqueue(app, Mail("【警示函】江北区 1 起隐患整改逾期"));
        var start = app.Clock.GetUtcNow();
        smtp.Stop();

        var down = await Dispatch(app);
        var afterFirst = await Row(app, id);
        app.Clock.Advance(TimeSpan.FromSeconds(59));
        var tooEarly = await Dispatch(app);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var stillDown = await Dispatch(app);
        var afterSecond = await Row(app, id);
        app.Clock.Advance(TimeSpan.FromSeconds(120));
        smtp.Start();
        var back = await Dispatch(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var later = await Dispatch(app);

        Assert.That(down, Is.EqualTo(new DispatchResult(0, 1, 0)));
        Assert.That(afterFirst.Status, Is.EqualTo("pending"));
        Assert.That(afterFirst.Attempts, Is.EqualTo(1));
        Assert.That(afterFirst.NextAttemptAt, Is.EqualTo(start + TimeSpan.FromSeconds(60)));
        Assert.That(afterFirst.LastError, Is.Not.Empty);
        Assert.That(afterFirst.ClaimedUntil, Is.Null);
        Assert.That(tooEarly, Is.EqualTo(new DispatchResult(0, 0, 0)));
        Assert.That(stillDown, Is.EqualTo(new DispatchResult(0, 1, 0)));
        Assert.That(afterSecond.Attempts, Is.EqualTo(2));
        Assert.That(afterSecond.NextAttemptAt, Is.EqualTo(start + TimeSpan.FromSeconds(60 + 120)));
        Assert.That(back, Is.EqualTo(new DispatchResult(1, 0, 0)));
        Assert.That(later, Is.EqualTo(new DispatchResult(0, 0, 0)));
        Assert.That(smtp.Messages, Has.Count.EqualTo(1));
        Assert.That(smtp.Messages[0].MessageId, Is.EqualTo(MailOutbox.MessageIdFor(id)));
        Assert.That((await Row(app, id)).Status, Is.EqualTo("sent"));
    }

    [Test]
    public async Task Dispatch_WhenServerIsDown_LeavesTheRestOfTheBatchForTheNextRun()
    {
        using var app = SmtpApp();
        var first = await Enqueue(app, Mail("第一封"));
        var second = await Enqueue(app, Mail("第二封"));
        smtp.Stop();

        var down = await Dispatch(app);
        var attempts = new[] { (await Row(app, first)).Attempts, (await Row(app, second)).Attempts };
        var statuses = new[] { (await Row(app, first)).Status, (await Row(app, second)).Status };
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        smtp.Start();
        var back = await Dispatch(app);

        Assert.That(down, Is.EqualTo(new DispatchResult(0, 1, 0)));
        Assert.That(attempts, Is.EquivalentTo(new[] { 0, 1 }), "only the mail tried before the outage showed counts an attempt");
        Assert.That(statuses, Is.All.EqualTo("pending"));
        Assert.That(back, Is.EqualTo(new DispatchResult(2, 0, 0)));
        Assert.That(smtp.Messages.Select(m => m.MessageId), Is.EquivalentTo(new[] { MailOutbox.MessageIdFor(first), MailOutbox.MessageIdFor(second) }));
    }

    [TestCase(451, TestName = "Dispatch_WhenServerKeepsDeferring_MarksTheMailFailedAfterMaxAttempts")]
    [TestCase(554, TestName = "Dispatch_WhenServerKeepsRejecting_MarksTheMailFailedAfterMaxAttempts")]
    [TestCase(0, TestName = "Dispatch_WhenServerStaysDown_MarksTheMailFailedAfterMaxAttempts")]
    public async Task Dispatch_WhenMailKeepsFailing_MarksItFailedAfterMaxAttempts(int reply)
    {
        using var app = SmtpApp();
        var id = await Enqueue(app, Mail("总是失败"));
        if (reply == 0)
        {
            smtp.Stop();
        }
        else
        {
            smtp.Rejecting = new ServerResponse((SmtpReplyCode)reply, "not today");
        }

        var results = new List<DispatchResult>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            results.Add(await Dispatch(app));
            app.Clock.Advance(TimeSpan.FromHours(6));
        }

        smtp.Rejecting = null;
        smtp.Start();
        var afterwards = await Dispatch(app);
        var row = await Row(app, id);

        Assert.That(results, Is.EqualTo(new[] { new DispatchResult(0, 1, 0), new DispatchResult(0, 1, 0), new DispatchResult(0, 0, 1) }));
        Assert.That(afterwards, Is.EqualTo(new DispatchResult(0, 0, 0)));
        Assert.That(row.Status, Is.EqualTo("failed"));
        Assert.That(row.Attempts, Is.EqualTo(3));
        Assert.That(row.LastError, reply == 0 ? Is.Not.Empty : Does.StartWith(reply.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(smtp.Rejected, Is.EqualTo(reply == 0 ? 0 : 3));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task Dispatch_WhenTwoDispatchersRunAtOnce_DeliversEachMailOnce()
    {
        using var app = SmtpApp();
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await Enqueue(app, Mail($"第 {i} 封")));
        }

        var results = await Task.WhenAll(Dispatch(app), Dispatch(app));
        var arrived = await smtp.WaitFor(20, Arrival);

        Assert.That(arrived, Is.True);
        Assert.That(results.Sum(r => r.Sent), Is.EqualTo(20));
        Assert.That(smtp.Messages.Select(m => m.MessageId), Is.EquivalentTo(ids.Select(MailOutbox.MessageIdFor)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND attempts = 1"), Is.EqualTo(20));
    }

    [Test]
    public async Task Dispatch_WhenMoreThanABatchIsDue_SendsBatchAfterBatchInOneRunOverOneConnection()
    {
        using var app = SmtpApp();
        await EnqueueInOneTransaction(app, commit: true, Enumerable.Range(0, 120).Select(i => Mail($"积压第 {i} 封")).ToArray());

        var sessions = smtp.Sessions;

        var run = await Dispatch(app);
        var arrived = await smtp.WaitFor(120, Arrival);

        Assert.That(run, Is.EqualTo(new DispatchResult(120, 0, 0)));
        Assert.That(arrived, Is.True);
        Assert.That(smtp.Sessions - sessions, Is.EqualTo(1), "one SMTP connection carries the run's mail");
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent'"), Is.EqualTo(120));
    }

    [Test]
    public async Task Dispatch_WithAttachment_DeliversItIntact()
    {
        using var app = SmtpApp();
        var content = new byte[200_000];
        new Random(7).NextBytes(content);
        await Enqueue(app, Mail("附件", new MailAttachment("渝中安提〔2026〕12号.pdf", "application/pdf", content)));

        await Dispatch(app);

        var attachment = smtp.Messages.Single().Attachments.OfType<MimePart>().Single();
        using var decoded = new MemoryStream();
        await attachment.Content!.DecodeToAsync(decoded);
        Assert.That(attachment.FileName, Is.EqualTo("渝中安提〔2026〕12号.pdf"));
        Assert.That(attachment.ContentType.MimeType, Is.EqualTo("application/pdf"));
        Assert.That(decoded.ToArray(), Is.EqualTo(content));
        Assert.That(smtp.Messages.Single().TextBody, Does.Contain("逾期 3 个工作日"));
    }

    [Test]
    public async Task Dispatch_InPickupMode_WritesOneEmlPerMailAndOverwritesItOnResend()
    {
        using var app = new HazardsApp();
        var folder = Path.Combine(app.Folder, "mail");
        var first = await Enqueue(app, Mail("落地文件一"));
        await Enqueue(app, Mail("落地文件二"));

        var sent = await Dispatch(app);
        var files = Directory.GetFiles(folder);
        await using (var connection = new SqliteConnection(app.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE mail_outbox SET status = 'pending', sent_at = NULL WHERE id = @Id", new { Id = first.ToString() });
        }

        var resent = await Dispatch(app);
        var written = MimeMessage.Load(Path.Combine(folder, $"{first}.eml"));

        Assert.That(sent, Is.EqualTo(new DispatchResult(2, 0, 0)));
        Assert.That(files.Select(Path.GetExtension), Is.EqualTo(new[] { ".eml", ".eml" }));
        Assert.That(resent, Is.EqualTo(new DispatchResult(1, 0, 0)));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(files.Select(Path.GetFileName)));
        Assert.That(written.MessageId, Is.EqualTo(MailOutbox.MessageIdFor(first)));
        Assert.That(written.Subject, Is.EqualTo("落地文件一"));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task JobsRun_MailDispatch_SendsTheDueMail()
    {
        using var app = new HazardsApp();
        var id = await Enqueue(app, Mail("命令行发送"));

        var status = await Cli.Run(app.Services, "jobs", ["run", "mail:dispatch"]);

        Assert.That(status, Is.Zero);
        Assert.That(File.Exists(Path.Combine(app.Folder, "mail", $"{id}.eml")), Is.True);
        Assert.That(JobCatalog.Find("mail:dispatch")?.Cron, Is.EqualTo("* * * * *"));
    }

    [TestCase("escalation-digest", "is not a digest")]
    [TestCase("no-such-renderer", "No renderer named 'no-such-renderer'")]
    public async Task Dispatch_WhenAQueuedMailCannotBeRendered_RetriesThenLeavesItFailedUnsent(string renderer, string error)
    {
        using var app = SmtpApp();
        _ = app.Services; // starting the app migrates its database file
        var id = Guid.CreateVersion7();
        await using (var connection = new SqliteConnection(app.ConnectionString))
        {
            await connection.ExecuteAsync("""
                INSERT INTO mail_outbox (id, message_id, kind, to_email, to_name, subject, html_body, text_body, status, attempts,
                                         next_attempt_at, created_at, render)
                VALUES (@Id, @MessageId, 'escalation', 'wang@yuzhong.example', '王主任', '', '', '', 'pending', 0, @Now, @Now, @Renderer)
                """, new { Id = id.ToString(), MessageId = MailOutbox.MessageIdFor(id), Now = DapperTypes.FormatInstant(app.Clock.GetUtcNow()), Renderer = renderer });
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await Dispatch(app);
            app.Clock.Advance(TimeSpan.FromHours(2));
        }

        var row = await Row(app, id);
        Assert.That(row.Status, Is.EqualTo("failed"));
        Assert.That(row.Attempts, Is.EqualTo(3));
        Assert.That(row.LastError, Does.Contain(error));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task Enqueue_WhenTheTransactionRollsBack_LeavesNoMail()
    {
        using var app = SmtpApp();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            await db.Begin(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<MailOutbox>().Enqueue(Mail("不该发出"), CancellationToken.None);
            await db.Rollback();
        }

        var result = await Dispatch(app);

        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox"), Is.Zero);
        Assert.That(result, Is.EqualTo(new DispatchResult(0, 0, 0)));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task Enqueue_WithoutATransaction_Throws()
    {
        using var app = SmtpApp();
        await using var scope = app.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();

        Assert.That(async () => await outbox.Enqueue(Mail("无事务"), CancellationToken.None), Throws.InvalidOperationException);
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox"), Is.Zero);
    }

    [Test]
    public async Task Enqueue_WithAJobServer_WakesTheDispatcherOncePerCommitAndNotOnRollback()
    {
        using var app = new HazardsApp();
        var jobs = new RecordingJobClient(fail: false);
        var withJobs = WithJobServer(app, jobs);

        await EnqueueInOneTransaction(withJobs, commit: true, Mail("一"), Mail("二"), Mail("三"));
        var afterFirst = jobs.Created.Count;
        await EnqueueInOneTransaction(withJobs, commit: false, Mail("回滚"));
        await EnqueueInOneTransaction(withJobs, commit: true, Mail("四"));

        Assert.That(afterFirst, Is.EqualTo(1));
        Assert.That(jobs.Created, Has.Count.EqualTo(2));
        Assert.That(jobs.Created.Select(j => (j.Type, j.Method.Name, j.Args[0])),
            Is.All.EqualTo((typeof(SweepJob), nameof(SweepJob.Run), (object)DispatchMailHandler.JobName)));
        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox"), Is.EqualTo(4));
    }

    [Test]
    public async Task Enqueue_WhenTheWakeUpFails_StillCommitsTheMail()
    {
        using var app = new HazardsApp();
        var withJobs = WithJobServer(app, new RecordingJobClient(fail: true));

        await EnqueueInOneTransaction(withJobs, commit: true, Mail("唤醒失败"));

        Assert.That(await app.Count("SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'"), Is.EqualTo(1));
    }

    [TestCase(1, 60)]
    [TestCase(2, 120)]
    [TestCase(5, 960)]
    [TestCase(9, 15360)]
    [TestCase(10, 6 * 3600)]
    [TestCase(60, 6 * 3600)]
    public void BackoffAfter_WhenAttemptsFailed_DoublesUpToSixHours(int attempts, int seconds)
    {
        var options = new EmailOptions();

        var wait = options.BackoffAfter(attempts);

        Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    private HazardsApp SmtpApp() => new(new Dictionary<string, string?>
    {
        ["Email:Mode"] = "Smtp",
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:MaxAttempts"] = "3",
        ["Email:TimeoutSeconds"] = "5",
    });

    private static OutgoingMail Mail(string subject, MailAttachment? attachment = null) => new(
        "test", "wang@yuzhong.example", "王主任", subject,
        "<p>渝中区解放碑街道：<b>逾期 3 个工作日</b></p>", "渝中区解放碑街道：逾期 3 个工作日", attachment);

    private static async Task<Guid> Enqueue(HazardsApp app, OutgoingMail mail)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        await db.Begin(CancellationToken.None);
        var id = await scope.ServiceProvider.GetRequiredService<MailOutbox>().Enqueue(mail, CancellationToken.None);
        await db.Commit(CancellationToken.None);
        return id;
    }

    private static async Task EnqueueInOneTransaction(WebApplicationFactory<Program> app, bool commit, params OutgoingMail[] mails)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();
        await db.Begin(CancellationToken.None);
        foreach (var mail in mails)
        {
            await outbox.Enqueue(mail, CancellationToken.None);
        }

        if (commit)
        {
            await db.Commit(CancellationToken.None);
        }
        else
        {
            await db.Rollback();
        }
    }

    private static async Task<DispatchResult> Dispatch(HazardsApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DispatchMailCommand());
    }

    private static async Task<OutboxState> Row(HazardsApp app, Guid id)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        return await connection.QuerySingleAsync<OutboxState>("""
            SELECT message_id AS MessageId, status AS Status, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
                   claimed_until AS ClaimedUntil, last_error AS LastError, sent_at AS SentAt
            FROM mail_outbox WHERE id = @Id
            """, new { Id = id.ToString() });
    }

    /// <summary>The app with a job server as far as the outbox can tell, and the given job client in Hangfire's place.</summary>
    private static WebApplicationFactory<Program> WithJobServer(HazardsApp app, RecordingJobClient jobs) =>
        app.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
        {
            services.RemoveAll<JobServerPlacement>();
            services.AddSingleton(new JobServerPlacement(RunsServer: true, SharedStorage: false));
            services.RemoveAll<IBackgroundJobClient>();
            services.AddSingleton<IBackgroundJobClient>(jobs);
        }));

    private sealed class OutboxState
    {
        public string MessageId { get; set; } = "";

        public string Status { get; set; } = "";

        public int Attempts { get; set; }

        public DateTimeOffset NextAttemptAt { get; set; }

        public DateTimeOffset? ClaimedUntil { get; set; }

        public string? LastError { get; set; }

        public DateTimeOffset? SentAt { get; set; }
    }

    private sealed class RecordingJobClient(bool fail) : IBackgroundJobClient
    {
        private readonly ConcurrentQueue<Job> created = new();

        public IReadOnlyCollection<Job> Created => created;

        public string Create(Job job, IState state)
        {
            if (fail)
            {
                throw new InvalidOperationException("The job storage is unreachable.");
            }

            created.Enqueue(job);
            return created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
