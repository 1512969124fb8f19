using System.Collections.Concurrent;
using System.Diagnostics;
using FluentValidation;
using Hazards.Api.Infrastructure.Data;
using Mediator;

namespace Hazards.Api.Infrastructure.Pipeline;

public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            logger.LogDebug("{Message} handled in {Elapsed} ms", typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex)
        {
            logger.LogInformation("{Message} failed after {Elapsed} ms: {Error}", typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.Message);
            throw;
        }
    }
}

public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        return await next(message, cancellationToken);
    }
}

/// <summary>
/// A command runs in one transaction, committed when its handler returns and rolled back when it throws.
/// A command sent inside an open transaction (an idempotent request, a job) takes part in that one.
/// Queries run on the session's plain connection, and so does a command marked <see cref="OwnTransactionsAttribute"/>.
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(DbSession session)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (!TransactionPolicy.Wraps(message.GetType()) || session.InTransaction)
        {
            return await next(message, cancellationToken);
        }

        return await session.RunInTransaction(async () => await next(message, cancellationToken), cancellationToken);
    }
}

/// <summary>Whether the pipeline wraps a message in a transaction: commands do, unless they own their transactions.</summary>
public static class TransactionPolicy
{
    private static readonly ConcurrentDictionary<Type, bool> Cache = new();

    public static bool Wraps(Type message) => Cache.GetOrAdd(message, static type =>
        typeof(IBaseCommand).IsAssignableFrom(type) && !type.IsDefined(typeof(OwnTransactionsAttribute), inherit: true));
}

/// <summary>
/// Declares that a command's handler begins and commits its own transactions, so the pipeline opens none around it:
/// work that must not hold one transaction open for its whole run (a mail's SMTP round trip, a report per district).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class OwnTransactionsAttribute : Attribute;
