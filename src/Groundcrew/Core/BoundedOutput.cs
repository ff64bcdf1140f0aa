using System.Text;

namespace Groundcrew.Core;

/// <summary>What was kept of one stream of a child process: its first bytes up to a cap, and how much it wrote in all.</summary>
public sealed record CapturedOutput(string Text, long TotalBytes, int KeptBytes)
{
    public static readonly CapturedOutput Empty = new("", 0, 0);

    /// <summary>The child wrote more than was kept.</summary>
    public bool Cut => TotalBytes > KeptBytes;

    /// <summary>One line saying what was dropped, for a result's stderr or a step's message.</summary>
    public string CutNote(string stream) =>
        $"{stream} went past {KeptBytes:N0} bytes ({TotalBytes:N0} written); only the first {KeptBytes:N0} were kept";
}

/// <summary>
/// Reads a child's stdout or stderr to its end, keeping at most a cap of bytes (<see cref="Limits.MaxProcessOutputBytes"/>).
/// The rest is read and dropped rather than left in the pipe: a child blocked on a full pipe would never exit, and a
/// runaway one (`yes`, a log loop) must not fill memory.
/// </summary>
public static class BoundedOutput
{
    public static async Task<CapturedOutput> ReadAsync(Stream stream, int maxBytes)
    {
        var kept = new MemoryStream();
        var chunk = new byte[81920];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            total += n;
            var room = maxBytes - (int)kept.Length;
            if (room > 0) kept.Write(chunk, 0, Math.Min(room, n));
        }
        var buffer = kept.GetBuffer();
        var length = total > kept.Length ? CompleteUtf8Prefix(buffer, (int)kept.Length) : (int)kept.Length;
        return new CapturedOutput(Encoding.UTF8.GetString(buffer, 0, length), total, length);
    }

    // A cut may split a UTF-8 sequence: end the text before it rather than with a replacement character.
    private static int CompleteUtf8Prefix(byte[] bytes, int length)
    {
        var lead = length - 1;
        while (lead >= 0 && length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) lead--;
        if (lead < 0) return length;
        var b = bytes[lead];
        var size = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
        return length - lead < size ? lead : length;
    }
}
