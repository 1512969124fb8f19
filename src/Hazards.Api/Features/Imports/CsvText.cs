using System.Text;
using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// A CSV's encoding, decided on the whole file: UTF-8 if every byte of it is UTF-8 (a BOM or none), else GB18030 (which
/// GBK and GB2312 files are) if every byte of it is that, else 415. The same pass bounds what the CSV reader would hold
/// at once: a field, a row, the columns of a row (<see cref="SpreadsheetLimits"/>), counted in bytes outside quotes.
/// </summary>
public static class CsvText
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, true);

    private static readonly Encoding Gb18030 = Strict(CodePagesEncodingProvider.Instance.GetEncoding(54936)!);

    public static Encoding Check(string path, SpreadsheetLimits limits)
    {
        var utf8 = Utf8.GetDecoder();
        var gb18030 = Gb18030.GetDecoder();
        var (isUtf8, isGb18030) = (true, true);
        var (quoted, field, row, columns) = (false, 0L, 0L, 1);
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        var chars = new char[Math.Max(Utf8.GetMaxCharCount(buffer.Length), Gb18030.GetMaxCharCount(buffer.Length))];
        int read;
        do
        {
            read = file.Read(buffer);
            var chunk = buffer.AsSpan(0, read);
            isUtf8 = isUtf8 && Decodes(utf8, chunk, chars, flush: read == 0);
            isGb18030 = isGb18030 && Decodes(gb18030, chunk, chars, flush: read == 0);
            foreach (var b in chunk)
            {
                (field, row) = (field + 1, row + 1);
                if (b == (byte)'"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && b == (byte)',')
                {
                    (field, columns) = (0, columns + 1);
                }
                else if (!quoted && b == (byte)'\n')
                {
                    (field, row, columns) = (0, 0, 1);
                }

                if (field > 4L * limits.MaxCellChars || row > 4L * limits.MaxRowChars || columns > limits.MaxColumns)
                {
                    throw TooLarge(field > 4L * limits.MaxCellChars ? nameof(SpreadsheetLimits.MaxCellChars)
                        : row > 4L * limits.MaxRowChars ? nameof(SpreadsheetLimits.MaxRowChars) : nameof(SpreadsheetLimits.MaxColumns));
                }
            }
        }
        while (read > 0);

        return isUtf8 ? Utf8 : isGb18030 ? Gb18030 : throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "import.unsupported_format",
            "The CSV is neither UTF-8 nor GB18030 (GBK) throughout; save it again as CSV UTF-8.");
    }

    /// <summary>Feeds a chunk, with its unfinished last character kept for the next, to a decoder that throws on a bad byte.</summary>
    private static bool Decodes(Decoder decoder, ReadOnlySpan<byte> chunk, char[] chars, bool flush)
    {
        try
        {
            _ = decoder.GetChars(chunk, chars, flush);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static ProblemException TooLarge(string setting) =>
        new(StatusCodes.Status413PayloadTooLarge, "import.content_too_large",
            $"A field, a row or the columns of a row of the CSV are past Imports:{setting}; split the file or shorten the text.")
        {
            Extensions = new Dictionary<string, object?> { ["limit"] = "Imports:" + setting },
        };

    private static Encoding Strict(Encoding encoding)
    {
        var strict = (Encoding)encoding.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        return strict;
    }
}
