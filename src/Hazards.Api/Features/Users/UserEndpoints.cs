using System.ComponentModel.DataAnnotations;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Mediator;

namespace Hazards.Api.Features.Users;

public static class UserEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("People");
        group.MapGet("/", ListUsers).WithName("ListUsers");
        group.MapPost("/", CreateUser).WithName("CreateUser").WithETag();
        group.MapGet("/{id:guid}", GetUser).WithName("GetUser").WithETag();
        group.MapPut("/{id:guid}", UpdateUser).WithName("UpdateUser").WithIfMatch();
        group.MapPost("/{id:guid}/deactivate", DeactivateUser).WithName("DeactivateUser").WithIfMatch();
        return api;
    }

    private static async Task<Ok<UserPage>> ListUsers(string? orgUnit, string? role, [MaxLength(Paging.MaxSearchLength)] string? q, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListUsersQuery(orgUnit, role, q, limit, cursor), ct));

    private static Task<Created<UserView>> CreateUser(SaveUserCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command with { Id = null, Version = null }, ct).CreatedTagged(http, u => u.Version, u => $"/api/v1/users/{u.Id}");

    private static Task<Ok<UserView>> GetUser(Guid id, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(new GetUserQuery(id), ct).Tagged(http, u => u.Version);

    private static Task<Ok<UserView>> UpdateUser(Guid id, SaveUserCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command with { Id = id, Version = Versions.RequireIfMatch(http) }, ct).Tagged(http, u => u.Version);

    private static Task<Ok<DeactivationView>> DeactivateUser(Guid id, DeactivateUserCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command with { Id = id, Version = Versions.RequireIfMatch(http) }, ct).Tagged(http, d => d.User.Version);
}

public sealed record GetUserQuery(Guid Id) : Mediator.IQuery<UserView>;

public sealed class GetUserHandler(UserReader reader, ICurrentUser user) : Mediator.IQueryHandler<GetUserQuery, UserView>
{
    public async ValueTask<UserView> Handle(GetUserQuery query, CancellationToken ct) => await reader.Require(query.Id, user.Actor, ct);
}
