using FluentValidation;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>
/// 举报奖励 for a confirmed public tip of a major hazard (2018 national rules): the fine, the reward, the rule
/// cited; an amount other than 15% of the fine (within 3,000–300,000 yuan) needs a note saying why.
/// </summary>
public sealed record DecideRewardCommand(
    decimal? FineAmount,
    decimal? Amount,
    string? Basis,
    string? Note,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class DecideRewardValidator : AbstractValidator<DecideRewardCommand>
{
    public DecideRewardValidator()
    {
        RuleFor(c => c.FineAmount).NotNull().GreaterThanOrEqualTo(0).LessThan(100_000_000_000m).PrecisionScale(15, 2, true);
        RuleFor(c => c.Amount).NotNull().InclusiveBetween(RewardRules.Minimum, RewardRules.Maximum)
            .WithMessage($"A reward for a major-hazard tip is {RewardRules.Minimum:0} to {RewardRules.Maximum:0} yuan (2018 national rules).")
            .PrecisionScale(9, 2, true);
        RuleFor(c => c.Basis).NotEmpty().MaximumLength(400);
        RuleFor(c => c.Note).MaximumLength(2000);
        RuleFor(c => c.Note).NotEmpty()
            .When(c => c.FineAmount is { } fine && c.Amount is { } amount && RewardRules.NeedsReason(fine, amount))
            .WithMessage(c => $"The standard reward is {RewardRules.Standard(c.FineAmount!.Value):0.00} yuan (15% of the fine within the limits); say why this amount differs.");
    }
}

public sealed class DecideRewardHandler(DbSession db, CaseChanges changes, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<DecideRewardCommand, CaseView>
{
    internal static readonly Sql Decided = Sql.Portable("SELECT COUNT(*) FROM tip_rewards WHERE case_id = @CaseId");

    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO tip_rewards (case_id, fine_amount_fen, amount_fen, standard_amount_fen, basis, note, decided_by, decided_at)
        VALUES (@CaseId, @FineAmountFen, @AmountFen, @StandardAmountFen, @Basis, @Note, @DecidedBy, @DecidedAt)
        """);

    public async ValueTask<CaseView> Handle(DecideRewardCommand command, CancellationToken ct)
    {
        var decided = await db.Scalar<long>(Decided, new { command.CaseId }, ct) > 0;
        var decision = new RewardDecision(command.FineAmount!.Value, command.Amount!.Value, command.Basis!.Trim(), command.Note);
        var view = await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
        {
            var change = hazard.DecideReward(decision, actor, now);
            return decided
                ? throw new DomainRuleException("reward.already_decided", "This tip already has a reward decision.")
                : change;
        }, ct);

        await db.Execute(Insert, new
        {
            command.CaseId,
            FineAmountFen = Fen(decision.FineAmount),
            AmountFen = Fen(decision.Amount),
            StandardAmountFen = Fen(RewardRules.Standard(decision.FineAmount)),
            decision.Basis,
            decision.Note,
            DecidedBy = user.Actor.Login,
            DecidedAt = clock.GetUtcNow(),
        }, ct);
        return view;
    }

    private static long Fen(decimal yuan) => (long)(yuan * 100m);
}
