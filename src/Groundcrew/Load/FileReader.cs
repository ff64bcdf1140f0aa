using System.Text;

namespace Groundcrew.Load;

/// <summary>
/// Reads a file's text safely: refuses files over the size cap and binary files, decodes UTF-8
/// (and UTF-16 with a byte-order mark), and tells when bytes were not valid UTF-8.
/// </summary>
public static class FileReader
{
    public sealed record Text(string Content, string? Warning);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Text Read(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (info.Length > maxBytes)
            throw new LoadException($"file is {Mb(info.Length)}, over the {Mb(maxBytes)} limit; skipped (raise maxFileSizeMB in .groundcrew.yaml to scan it)");
        if (info.Length == 0 && !FileKind.IsRegularFile(path))
            throw new LoadException("not a regular file (a named pipe, socket or device); skipped");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoadException($"cannot read file: {ex.Message}");
        }
        return Decode(bytes);
    }

    public static Text Decode(byte[] bytes)
    {
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            var enc = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return new Text(enc.GetString(bytes, 2, bytes.Length - 2), null);
        }
        var probe = Math.Min(bytes.Length, 8192);
        if (Array.IndexOf(bytes, (byte)0, 0, probe) >= 0)
            throw new LoadException("binary file (contains NUL bytes); skipped");
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return new Text(StrictUtf8.GetString(bytes, start, bytes.Length - start), null);
        }
        catch (DecoderFallbackException)
        {
            // Kubernetes and AWS want UTF-8; we still read the file (as Latin-1) so its other problems are found.
            return new Text(Encoding.Latin1.GetString(bytes, start, bytes.Length - start), "file is not valid UTF-8 (read as Latin-1); kubectl and the AWS APIs expect UTF-8");
        }
    }

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
}
