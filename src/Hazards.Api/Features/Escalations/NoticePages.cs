using System.ComponentModel.DataAnnotations;
using Hazards.Api.Features.Attachments;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Escalations;

/// <summary>The notice behind a mail link, for the page.</summary>
public sealed record OpenNoticePageQuery(string Token) : IQuery<NoticePageModel>;

/// <summary>签收 from the page: the link names the notice and the person; the form's token proves the page was shown.</summary>
public sealed record AcknowledgeFromPageCommand(string Token, string? FormToken) : ICommand<AcknowledgementView>;

/// <summary>A photo or document of the case behind a mail link.</summary>
public sealed record OpenNoticeFileQuery(string Token, Guid FileId) : IQuery<AttachmentFile>;

/// <summary>One page of all the items of a summed-up digest.</summary>
public sealed record OpenDigestPageQuery(string Token, int Page) : IQuery<DigestPageModel>;

public sealed record DigestPageModel(string ReaderName, int Total, int Page, int Pages, IReadOnlyList<(NoticeMailer.NoticeRow Item, string Link)> Items);

public sealed class OpenNoticePageHandler(NoticePageReader reader) : IQueryHandler<OpenNoticePageQuery, NoticePageModel>
{
    public async ValueTask<NoticePageModel> Handle(OpenNoticePageQuery query, CancellationToken ct) => await reader.Open(query.Token, ct);
}

public sealed class AcknowledgeFromPageHandler(NoticePageReader reader, NoticeLinks links, NoticeAcknowledgements acknowledgements)
    : ICommandHandler<AcknowledgeFromPageCommand, AcknowledgementView>
{
    public async ValueTask<AcknowledgementView> Handle(AcknowledgeFromPageCommand command, CancellationToken ct)
    {
        var (link, person) = await reader.Recipient(command.Token, LinkKind.Notice, ct);
        if (!links.FormTokenMatches(command.Token, command.FormToken))
        {
            throw ProblemException.BadRequest("notice_link.form_token_invalid", "Acknowledge with the button on the notice's page.");
        }

        return await acknowledgements.Acknowledge(person, link.Id, NoticeAcknowledgements.ViaPage, ct);
    }
}

public sealed class OpenNoticeFileHandler(NoticePageReader reader, AttachmentFiles files) : IQueryHandler<OpenNoticeFileQuery, AttachmentFile>
{
    public async ValueTask<AttachmentFile> Handle(OpenNoticeFileQuery query, CancellationToken ct)
    {
        var page = await reader.Open(query.Token, ct);
        if (page.Case?.Attachments?.Any(a => a.Id == query.FileId) != true)
        {
            throw ProblemException.NotFound("attachment");
        }

        return await files.Open(query.FileId, page.Reader, ct);
    }
}

public sealed class OpenDigestPageHandler(NoticePageReader reader, NoticeMailer mailer, NoticeLinks links)
    : IQueryHandler<OpenDigestPageQuery, DigestPageModel>
{
    public const int PageSize = 100;

    public async ValueTask<DigestPageModel> Handle(OpenDigestPageQuery query, CancellationToken ct)
    {
        var (link, person) = await reader.Recipient(query.Token, LinkKind.Digest, ct);
        if (await mailer.DigestOf(link.Id, ct) is not { } digest || digest.UserId != person.UserId)
        {
            throw NoticePageReader.UnknownLink();
        }

        var total = await mailer.ReaderCountOf(digest.SweepId, person, ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        if (query.Page > pages)
        {
            throw ProblemException.NotFound("digest_page");
        }

        var items = await mailer.ReaderPage(digest.SweepId, person, (query.Page - 1) * PageSize, PageSize, ct);
        var expires = link.Expires;
        return new DigestPageModel(person.Name, total, query.Page, pages,
            items.Select(i => (i, links.Path(new SignedLink(LinkKind.Notice, i.Id, person.UserId, expires)))).ToList());
    }
}

/// <summary>
/// The pages behind the mail's links: no token, the link is the credential. Server-rendered Chinese HTML that
/// loads nothing from elsewhere and runs no script; a browser that asks for HTML gets the errors as pages too.
/// </summary>
public static class NoticePages
{
    public const string NoticePrefix = "/notices";
    public const string DigestPrefix = "/digests";
    public const string FormField = "formToken";
    public const int MaxPage = 10_000;

    public static IEndpointRouteBuilder MapNoticePages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").AllowAnonymous().ExcludeFromDescription().AddEndpointFilter(AsPageWhenBrowsing);
        pages.MapGet($"{NoticePrefix}/{{token}}", Notice);
        pages.MapPost($"{NoticePrefix}/{{token}}/acknowledge", Acknowledge).DisableAntiforgery();
        pages.MapGet($"{NoticePrefix}/{{token}}/files/{{id:guid}}", File);
        pages.MapGet($"{DigestPrefix}/{{token}}", Digest);
        return app;
    }

    private static async Task<IResult> Notice(string token, ISender sender, NoticeLinks links, DeadlineCalculator deadlines, CancellationToken ct)
    {
        var model = await sender.Send(new OpenNoticePageQuery(token), ct);
        return Html(NoticePageHtml.Notice(model, links.FormToken(token), deadlines), StatusCodes.Status200OK);
    }

    private static async Task<IResult> Acknowledge(string token, HttpRequest request, ISender sender, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "request.unsupported_media_type",
                "Acknowledge with the button on the notice's page (a form post).");
        }

        var form = await request.ReadFormAsync(ct);
        await sender.Send(new AcknowledgeFromPageCommand(token, form[FormField].Count == 1 ? form[FormField][0] : null), ct);
        return new SeeOther($"{NoticePrefix}/{token}");
    }

    private static async Task<IResult> File(string token, Guid id, ISender sender, CancellationToken ct)
    {
        var file = await sender.Send(new OpenNoticeFileQuery(token, id), ct);
        return Results.File(file.Path, file.ContentType, file.ContentType.StartsWith("image/", StringComparison.Ordinal) ? null : file.FileName);
    }

    private static async Task<IResult> Digest(string token, [Range(1, MaxPage)] int? page, ISender sender, CancellationToken ct)
    {
        if (page is < 1 or > MaxPage)
        {
            throw ProblemException.BadRequest("request.invalid_page", $"page is 1 to {MaxPage}.");
        }

        var model = await sender.Send(new OpenDigestPageQuery(token, page ?? 1), ct);
        return Html(NoticePageHtml.Digest(model, token), StatusCodes.Status200OK);
    }

    private static IResult Html(string html, int status) => Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    // A person who opened the link in a browser reads the refusal as a page; a program gets the problem as JSON.
    private static async ValueTask<object?> AsPageWhenBrowsing(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (WantsHtml(context.HttpContext.Request) && Refusal(e) is { } refusal)
        {
            return Html(NoticePageHtml.Refusal(refusal.Status, refusal.Code, refusal.Detail), refusal.Status);
        }
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private static (int Status, string Code, string Detail)? Refusal(Exception e) => e switch
    {
        ProblemException p => (p.Status, p.Code, p.Message),
        DomainRuleException d => (StatusCodes.Status409Conflict, d.Code, d.Message),
        Hazards.Domain.Cases.DomainForbiddenException f => (StatusCodes.Status403Forbidden, f.Code, f.Message),
        _ => null,
    };

    /// <summary>303 See Other: after the form's POST, the browser GETs the page again (post, redirect, get).</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
