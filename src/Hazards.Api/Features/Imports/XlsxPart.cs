using System.IO.Compression;
using System.Xml;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// One part of an XLSX opened for reading within <see cref="SpreadsheetLimits"/>: its declared unpacked size and ratio
/// are checked before a byte is inflated, the inflated bytes may not pass the declared size (a zip directory can lie),
/// no tag or text may be longer than <see cref="SpreadsheetLimits.MaxXmlTagBytes"/> (an XML reader holds a whole tag in memory),
/// and the XML reader takes no DTD and resolves nothing.
/// </summary>
public static class XlsxPart
{
    private const long RatioFloorBytes = 1024 * 1024;

    public static XmlReader Open(ZipArchiveEntry entry, SpreadsheetLimits limits)
    {
        if (entry.Length > limits.MaxXlsxPartBytes)
        {
            throw SpreadsheetLimits.TooLarge(entry.FullName, nameof(SpreadsheetLimits.MaxXlsxPartBytes), "A part unpacks larger than allowed");
        }

        if (entry.Length > RatioFloorBytes && entry.Length > (double)limits.MaxXlsxCompressionRatio * Math.Max(1, entry.CompressedLength))
        {
            throw SpreadsheetLimits.TooLarge(entry.FullName, nameof(SpreadsheetLimits.MaxXlsxCompressionRatio), "A part is packed more tightly than a spreadsheet is");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };
        return XmlReader.Create(new GuardedStream(entry.Open(), entry.FullName, entry.Length, limits.MaxXmlTagBytes), settings);
    }

    /// <summary>Reads the next node, refusing nesting deeper than <see cref="SpreadsheetLimits.MaxXmlDepth"/>.</summary>
    public static bool Next(this XmlReader reader, string part, SpreadsheetLimits limits)
    {
        if (!reader.Read())
        {
            return false;
        }

        return reader.Depth <= limits.MaxXmlDepth ? true : throw SpreadsheetLimits.Malformed(part, "Elements are nested deeper than a spreadsheet nests them");
    }

    private sealed class GuardedStream(Stream inner, string part, long declared, int maxRun) : Stream
    {
        private long read;
        private int run;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            read += n;
            if (read > declared)
            {
                throw SpreadsheetLimits.Malformed(part, "A part unpacks larger than its zip directory says");
            }

            Scan(buffer[..n]);
            return n;
        }

        /// <summary>
        /// No run of more than <c>maxRun</c> bytes without a '&lt;': a tag cannot hold one (not even in an attribute value),
        /// so this bounds every tag, and every text between tags too. Each step searches a whole window at once.
        /// </summary>
        private void Scan(ReadOnlySpan<byte> bytes)
        {
            var i = 0;
            while (bytes.Length - i > maxRun - run)
            {
                var found = bytes.Slice(i, maxRun - run + 1).LastIndexOf((byte)'<');
                if (found < 0)
                {
                    throw SpreadsheetLimits.TooLarge(part, nameof(SpreadsheetLimits.MaxXmlTagBytes), "A tag or a text is longer than allowed");
                }

                (i, run) = (i + found + 1, 0);
            }

            run += bytes.Length - i;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
