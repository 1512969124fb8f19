namespace Hazards.Domain.Cases;

/// <summary>
/// Whether a case is overdue: each open state is measured against the deadline of whoever holds the case —
/// triage while reported, the fix deadline while rectifying, verification once a fix is submitted — so a unit
/// that submitted in time is never shown overdue while the verifier is still within theirs. <see cref="At"/>
/// answers for one case (each answer's <c>overdue</c>), <see cref="Predicate"/> for set-based statements
/// (the <c>overdue</c> filter and list, the reports).
/// </summary>
public static class Overdue
{
    /// <summary>The deadline the case is measured against in its status; none once closed or rejected.</summary>
    public static DateTimeOffset? DueOf(CaseStatus status, DateTimeOffset? triageDeadline, DateTimeOffset? deadline, DateTimeOffset? verificationDeadline) =>
        status switch
        {
            CaseStatus.Reported => triageDeadline,
            CaseStatus.Rectifying => deadline,
            CaseStatus.FixSubmitted => verificationDeadline,
            _ => null,
        };

    public static bool At(
        DateTimeOffset now, CaseStatus status, DateTimeOffset? triageDeadline, DateTimeOffset? deadline, DateTimeOffset? verificationDeadline) =>
        DueOf(status, triageDeadline, deadline, verificationDeadline) is { } due && now > due;

    /// <summary><see cref="At"/> for the cases of a table aliased <c>c</c>; binds <c>@Now</c>.</summary>
    public const string Predicate = """
        ((c.status = 'reported' AND c.triage_deadline < @Now)
         OR (c.status = 'rectifying' AND c.deadline < @Now)
         OR (c.status = 'fixSubmitted' AND c.verification_deadline < @Now))
        """;
}
