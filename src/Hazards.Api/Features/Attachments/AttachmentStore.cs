using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace Hazards.Api.Features.Attachments;

public sealed class AttachmentOptions
{
    [Required]
    public string Root { get; set; } = "data/attachments";

    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>
/// Evidence files on disk, addressed by their SHA-256: the same photo sent twice is stored once, and a
/// file is flushed to disk before the database row that points to it commits.
/// </summary>
public sealed class AttachmentStore(AttachmentOptions options)
{
    public long MaxBytes => options.MaxBytes;

    public string PathOf(string sha256) => Path.Combine(Path.GetFullPath(options.Root), sha256[..2], sha256[2..4], sha256);

    /// <summary>Copies at most <see cref="MaxBytes"/> + 1 bytes to a temporary file, hashing on the way.</summary>
    public async Task<StagedFile> Stage(Stream content, CancellationToken ct)
    {
        var root = Path.GetFullPath(options.Root);
        Directory.CreateDirectory(root);
        var temp = Path.Combine(root, $".upload-{Guid.NewGuid():N}");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[12];
        var headLength = 0;
        long size = 0;
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                if (headLength < head.Length)
                {
                    var take = Math.Min(head.Length - headLength, read);
                    Array.Copy(buffer, 0, head, headLength, take);
                    headLength += take;
                }

                size += read;
                if (size > options.MaxBytes)
                {
                    break;
                }

                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            file.Flush(flushToDisk: true);
        }

        return new StagedFile(temp, Convert.ToHexStringLower(sha.GetHashAndReset()), size, head[..headLength]);
    }

    public void Keep(StagedFile staged)
    {
        var target = PathOf(staged.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(staged.TempPath);
            return;
        }

        File.Move(staged.TempPath, target);
    }

    public static void Discard(StagedFile staged) => File.Delete(staged.TempPath);

    /// <summary>The type told by the file's leading bytes, never by what the client declared.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : head.StartsWith("%PDF-"u8) ? "application/pdf"
        : null;
}

public sealed record StagedFile(string TempPath, string Sha256, long Size, byte[] Head);
