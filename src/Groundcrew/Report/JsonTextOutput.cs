using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Groundcrew.Report;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> whose bytes reach a <see cref="TextWriter"/> in chunks as the report is written, so a
/// report is never held whole, neither as a JSON DOM nor as one string. Indented as <c>JsonNode.ToJsonString</c> with
/// <c>WriteIndented</c> indents, with the same relaxed escaping, and followed by a newline: the bytes are the same as the
/// DOM writers produced.
/// </summary>
internal sealed class JsonTextOutput : IDisposable
{
    private const int ChunkBytes = 64 * 1024;
    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkBytes);
    private readonly TextWriter _output;
    private char[]? _chars;

    public Utf8JsonWriter Json { get; }

    public JsonTextOutput(TextWriter output)
    {
        _output = output;
        Json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Call between items: once a chunk's worth is written, it goes to the output (whole tokens, so whole UTF-8 sequences).</summary>
    public void Drain(bool all = false)
    {
        Json.Flush();
        if (_buffer.WrittenCount == 0 || (!all && _buffer.WrittenCount < ChunkBytes)) return;
        // Decoded into one reused buffer: a string per chunk was 128 KB, a large-object allocation that counts towards
        // the next full collection, about 150 of them for a 9 MB SARIF report.
        var bytes = _buffer.WrittenSpan;
        var chars = _chars ??= new char[Encoding.UTF8.GetMaxCharCount(ChunkBytes)];
        if (chars.Length < bytes.Length) chars = _chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        _output.Write(chars, 0, Encoding.UTF8.GetChars(bytes, chars));
        _buffer.ResetWrittenCount();
    }

    public void Dispose()
    {
        Drain(all: true);
        _output.WriteLine();
        Json.Dispose();
    }
}
