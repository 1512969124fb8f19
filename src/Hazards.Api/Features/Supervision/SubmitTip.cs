using FluentValidation;
using Hazards.Api.Features.Attachments;
using Hazards.Api.Features.Cases;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>
/// 举报 from anyone, without a token. Where: the grid code on a grid's sign (网格牌, 15 digits), or the township or
/// street (街道/乡镇, 9 digits) picked from <c>GET /api/v1/public/places</c> as the 12345 forms ask for it; the tip then
/// waits in that township's triage queue. A location without a grid code places the tip in the grid whose loaded
/// boundary holds it (see <c>Place</c>). The photo is optional: base64 JPEG or PNG, told by its leading bytes.
/// </summary>
public sealed record SubmitTipCommand(
    string? Description,
    Location? Location,
    string? GridCode,
    Sector? Sector,
    string? Contact,
    string? Photo,
    string? Township = null) : ICommand<TipReceipt>;

/// <summary>All a tipster gets back: nothing about the case, the place or who will handle it.</summary>
public sealed record TipReceipt(string TrackingCode);

public sealed class SubmitTipValidator : AbstractValidator<SubmitTipCommand>
{
    public SubmitTipValidator(PublicTipOptions options)
    {
        // No photo is longer than the body that carries it, which is refused with 413 past PublicTips:MaxBodyBytes;
        // its decoded size is held to MaxPhotoBytes where it is stored.
        RuleFor(c => c.Photo).MaximumLength((int)Math.Min(int.MaxValue, options.MaxBodyBytes));
        RuleFor(c => c.Description).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.GridCode).Matches("^[0-9]{15}$").When(c => c.GridCode is not null).WithMessage("A grid code has 15 digits.");
        RuleFor(c => c.Location).SetValidator(new LocationValidator()!);
        RuleFor(c => c.Contact).MaximumLength(200);
        RuleFor(c => c.Township).Matches("^[0-9]{9}$").When(c => c.Township is not null).WithMessage("A township code has 9 digits.");
        RuleFor(c => c).Must(c => c.GridCode is not null || c.Township is not null || c.Location is { Latitude: not null, Longitude: not null })
            .WithName("gridCode")
            .WithMessage("Say where: the grid code on the grid's sign, the township or street (from /api/v1/public/places), or the position.");
    }
}

public sealed class SubmitTipHandler(
    DbSession db, CaseStore cases, AttachmentStore files, PublicTipOptions options, TimeProvider clock, DeadlineCalculator deadlines,
    Places.Locator locator, LiveOrgUnits live)
    : ICommandHandler<SubmitTipCommand, TipReceipt>
{
    public const string Login = "public";

    internal static readonly Sql InsertTip = Sql.Portable("""
        INSERT INTO public_tips (tracking_code, case_id, contact, received_at) VALUES (@TrackingCode, @CaseId, @Contact, @ReceivedAt)
        """);

    public async ValueTask<TipReceipt> Handle(SubmitTipCommand command, CancellationToken ct)
    {
        var position = command.Location is { Latitude: not null } or { Longitude: not null }
            ? Places.Positions.Wgs84(command.Location.Latitude, command.Location.Longitude, command.Location.Crs)
            : (Hazards.Domain.Places.LatLng?)null;
        var (gridCode, orgPath, given) = await Place(command, position, ct);
        var now = clock.GetUtcNow();
        var evidence = command.Photo is null ? [] : new[] { await StorePhoto(command.Photo, now, ct) };
        var districtCode = orgPath.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];
        var description = command.Description!.Trim();
        var title = "群众举报：" + (description.Length > 40 ? description[..40] + "…" : description);
        var input = new NewHazard(Guid.CreateVersion7(now), await cases.NextCode(districtCode, now, ct), title, description,
            command.Sector ?? Sector.Other, Origin.PublicTip, null, gridCode, HazardLevel.General, null, false, evidence);
        var (hazard, change) = HazardCase.ReportTip(input, new CaseActor(Login, Role.Public), now, deadlines);
        var place = CasePlace.At(orgPath, districtCode, position, command.Location?.Address);
        await cases.Add(hazard, place, given?.Noted(change) ?? change, Login, ct);

        var code = TrackingCodes.New();
        await db.Execute(InsertTip, new { TrackingCode = code, CaseId = hazard.Id, Contact = command.Contact?.Trim(), ReceivedAt = now }, ct);
        return new TipReceipt(code);
    }

    /// <summary>
    /// The grid and its path: the grid named, or the one whose boundary holds the position (a position that
    /// contradicts a grid named is refused); without either, the township's path and no grid. A township named too
    /// must hold the grid.
    /// </summary>
    private async Task<(string? GridCode, string Path, LiveOrgUnit? Given)> Place(
        SubmitTipCommand command, Hazards.Domain.Places.LatLng? position, CancellationToken ct)
    {
        var township = command.Township is null ? null
            : await live.Following(command.Township, OrgLevel.Township, Anywhere, ct)
              ?? throw ProblemException.BadRequest("tip.place_unresolved", "No township or street has that code: pick one from /api/v1/public/places.");
        LiveOrgUnit? named = null;
        string? gridCode;
        string grid;
        if (command.GridCode is not null)
        {
            named = await live.Following(command.GridCode, OrgLevel.Grid, Anywhere, ct)
                ?? throw ProblemException.BadRequest("tip.place_unresolved", "No grid has that code: give the code shown on the grid's sign (网格牌).");
            (gridCode, grid) = (named.Code, named.Path);
            if (position is { } given)
            {
                await locator.CheckAgrees(gridCode, given, ct);
            }
        }
        else if (position is { } alone && (township is null ? await locator.GridAt(alone, ct) : await locator.TryGridAt(alone, ct)) is { } located)
        {
            // A township named too keeps the tip when no boundary holds the position: a resident's tip is never lost.
            (gridCode, grid) = located;
        }
        else
        {
            return (null, township!.Path, township);
        }

        var noted = named is { Followed: true } ? named : township;
        return township is null || grid.StartsWith(township.Path, StringComparison.Ordinal) ? (gridCode, grid, noted)
            : throw ProblemException.BadRequest("tip.place_mismatch", "The grid is not in the township named.");
    }

    /// <summary>A tip is the public's: every place is open to it.</summary>
    private static bool Anywhere(string path) => true;

    private async Task<Guid> StorePhoto(string base64, DateTimeOffset now, CancellationToken ct)
    {
        var bytes = new byte[base64.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var length) || length == 0)
        {
            throw ProblemException.BadRequest("tip.photo_invalid", "The photo must be base64 of a JPEG or PNG file.");
        }

        if (length > options.MaxPhotoBytes)
        {
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "tip.photo_too_large", $"A photo may be at most {options.MaxPhotoBytes} bytes.");
        }

        var contentType = AttachmentStore.Sniff(bytes.AsSpan(0, length));
        if (contentType is not ("image/jpeg" or "image/png"))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "tip.photo_unsupported_type", "Only JPEG and PNG photos are accepted.");
        }

        var staged = await files.Stage(new MemoryStream(bytes, 0, length), ct);
        files.Keep(staged);
        var id = Guid.CreateVersion7(now);
        await db.Execute(UploadAttachmentHandler.Insert, new
        {
            Id = id,
            staged.Sha256,
            ContentType = contentType,
            SizeBytes = staged.Size,
            FileName = contentType == "image/png" ? "tip.png" : "tip.jpg",
            CaseId = (Guid?)null,
            UploadedBy = Login,
            UploadedAt = now,
        }, ct);
        return id;
    }
}
