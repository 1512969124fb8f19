using System.Buffers.Binary;
using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Mail;

namespace Hazards.Api.Features.Escalations;

/// <summary>The <c>Mail</c> section: how long a mail's links open their pages, and the key that signs them.</summary>
public sealed class MailLinkOptions
{
    [Range(1, 365)]
    public int LinkDays { get; set; } = 30;

    /// <summary>The key that signs the links (32 bytes or more); without it, a key derived from <c>Auth:SigningKey</c>.</summary>
    public string? LinkKey { get; set; }

    /// <summary>A key of its own that is long enough and, outside Development, not the public development key; or an Auth:SigningKey to derive one from.</summary>
    public static IEnumerable<string> Check(MailLinkOptions options, string? authSigningKey, bool development, string contentRoot)
    {
        foreach (var refused in SigningKeys.Check("Mail:LinkKey", options.LinkKey, development, contentRoot))
        {
            yield return refused;
        }

        if (options.LinkKey is null && string.IsNullOrWhiteSpace(authSigningKey))
        {
            yield return "Mail:LinkKey: set a key of 32 bytes or more to sign the mail's links (there is no Auth:SigningKey to derive one from).";
        }
    }
}

/// <summary>What a link opens: one notice, or all the notices of one digest.</summary>
public enum LinkKind : byte
{
    Notice = 1,
    Digest = 2,
}

/// <summary>A link as signed: what it opens, for whom, until when.</summary>
public sealed record SignedLink(LinkKind Kind, Guid Id, Guid UserId, DateTimeOffset Expires);

/// <summary>What reading a link found: a forged or edited link is unknown (404); a genuine one past its time is expired (410).</summary>
public enum LinkState
{
    Unknown,
    Expired,
    Valid,
}

/// <summary>
/// The signed, per-recipient links of the mail: the kind, the notice or digest, the recipient and
/// the expiry (Unix seconds, 32 bits), followed by an HMAC-SHA256 of them, in base64url. 37 bytes and 32 of MAC are 69 bytes, a multiple of
/// three, so the 92 characters use every bit: a link edited by one character never reads as the same link.
/// </summary>
public sealed class NoticeLinks(MailLinkOptions options, EmailOptions email, byte[] key)
{
    private const int PayloadBytes = 1 + 16 + 16 + 4;
    private const int TokenChars = (PayloadBytes + MacBytes) / 3 * 4;
    private const int MacBytes = 32;

    public TimeSpan Lifetime => TimeSpan.FromDays(options.LinkDays);

    /// <summary>The key: <c>Mail:LinkKey</c>, or one derived from <c>Auth:SigningKey</c> for this use only (HKDF).</summary>
    public static byte[] Key(MailLinkOptions options, string? authSigningKey) =>
        options.LinkKey is { } own
            ? Encoding.UTF8.GetBytes(own)
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(authSigningKey!), 32, info: "hazards mail links"u8.ToArray());

    public string Token(SignedLink link)
    {
        var bytes = new byte[PayloadBytes + MacBytes];
        bytes[0] = (byte)link.Kind;
        link.Id.TryWriteBytes(bytes.AsSpan(1, 16), bigEndian: true, out _);
        link.UserId.TryWriteBytes(bytes.AsSpan(17, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(33, 4), checked((uint)link.Expires.ToUnixTimeSeconds()));
        HMACSHA256.HashData(key, bytes.AsSpan(0, PayloadBytes), bytes.AsSpan(PayloadBytes));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The page's address for <paramref name="kind"/> <paramref name="id"/> and its recipient, open for <see cref="Lifetime"/> from <paramref name="now"/>.</summary>
    public string Url(LinkKind kind, Guid id, Guid userId, DateTimeOffset now) => Url(new SignedLink(kind, id, userId, now + Lifetime));

    public string Url(SignedLink link) => $"{email.PublicBase}{Path(link)}";

    public string Path(SignedLink link) => $"{(link.Kind == LinkKind.Notice ? NoticePages.NoticePrefix : NoticePages.DigestPrefix)}/{Token(link)}";

    public (LinkState State, SignedLink? Link) Read(string token, LinkKind kind, DateTimeOffset now)
    {
        if (token.Length != TokenChars || !Base64Url.IsValid(token))
        {
            return (LinkState.Unknown, null);
        }

        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes.Length != PayloadBytes + MacBytes || bytes[0] != (byte)kind)
        {
            return (LinkState.Unknown, null);
        }

        Span<byte> mac = stackalloc byte[MacBytes];
        HMACSHA256.HashData(key, bytes.AsSpan(0, PayloadBytes), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, bytes.AsSpan(PayloadBytes)))
        {
            return (LinkState.Unknown, null);
        }

        var link = new SignedLink(kind, new Guid(bytes.AsSpan(1, 16), bigEndian: true), new Guid(bytes.AsSpan(17, 16), bigEndian: true),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(33, 4))));
        return (link.Expires <= now ? LinkState.Expired : LinkState.Valid, link);
    }

    /// <summary>The token a page's 签收 form posts back: bound to the link, so no other page's form and no guessed value passes.</summary>
    public string FormToken(string linkToken) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("acknowledge:" + linkToken)));

    public bool FormTokenMatches(string linkToken, string? formToken) =>
        formToken is { Length: 43 } && Base64Url.IsValid(formToken)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(FormToken(linkToken)), Encoding.ASCII.GetBytes(formToken));
}
