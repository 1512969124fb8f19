using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Calendar;
using Mediator;

namespace Hazards.Api.Features.Supervision;

public sealed record GetTipStatusQuery(string TrackingCode) : IQuery<TipStatus>;

/// <summary>What a tipster may know: the state of their tip and the day it last changed, nothing internal.</summary>
public sealed record TipStatus(string TrackingCode, TipState State, DateOnly UpdatedOn);

/// <summary>
/// The case's status as the public reads it: reported → received, rectifying → confirmed (a real hazard being
/// fixed), fixSubmitted → underReview (the fix is being checked), closed → fixed, rejected → rejected.
/// </summary>
public enum TipState
{
    Received,
    UnderReview,
    Confirmed,
    Rejected,
    Fixed,
}

public sealed class GetTipStatusHandler(DbSession db) : IQueryHandler<GetTipStatusQuery, TipStatus>
{
    internal static readonly Sql ByCode = Sql.Portable("""
        SELECT c.status AS Status, c.updated_at AS UpdatedAt
        FROM public_tips t JOIN cases c ON c.id = t.case_id
        WHERE t.tracking_code = @Code
        """);

    public async ValueTask<TipStatus> Handle(GetTipStatusQuery query, CancellationToken ct)
    {
        var code = TrackingCodes.Normalize(query.TrackingCode) ?? throw ProblemException.NotFound("tip");
        var row = await db.Single<Row>(ByCode, new { Code = code }, ct) ?? throw ProblemException.NotFound("tip");
        var state = row.Status switch
        {
            "reported" => TipState.Received,
            "rectifying" => TipState.Confirmed,
            "fixSubmitted" => TipState.UnderReview,
            "closed" => TipState.Fixed,
            _ => TipState.Rejected,
        };
        return new TipStatus(code, state, ChinaTime.LocalDate(row.UpdatedAt));
    }

    private sealed class Row
    {
        public string Status { get; set; } = "";
        public DateTimeOffset UpdatedAt { get; set; }
    }
}
