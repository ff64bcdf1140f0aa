namespace Groundcrew.Report;

/// <summary>
/// One line of a file's bytes, decoded as <see cref="File.ReadAllLines(string)"/> would decode it (UTF-8, a BOM skipped,
/// lines ending at \r, \n or \r\n) but only that line: reading every line of every flagged file as strings was most
/// of the SARIF fingerprints' cost on a repository with thousands of findings, and the console's code frames read files
/// the same way (a StreamReader per flagged file and every line as a string: 63 MB for the bench's join repository).
/// Files with a UTF-16 or UTF-32 byte-order mark are rare and go through ReadAllLines' own decoding.
/// </summary>
internal sealed class FileLines(byte[] bytes)
{
    /// <summary>A scanned file by its display path (under 16 MB, as the scan reads), or null when it cannot be read.</summary>
    public static FileLines? Read(string root, string displayPath)
    {
        if (displayPath.StartsWith('<')) return null;
        try
        {
            var info = new FileInfo(Path.Combine(root, displayPath));
            return info.Exists && info.Length < 16 * 1024 * 1024 ? new FileLines(File.ReadAllBytes(info.FullName)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }

    private int[]? _starts; // where each line starts (index 0 is line 1), past a UTF-8 BOM
    private string[]? _decoded; // the whole file through ReadAllLines, for the other byte-order marks

    public string? Line(int number)
    {
        if (_decoded == null && _starts == null)
        {
            if (bytes.Length >= 2 && (bytes[0] is 0xFE or 0xFF || bytes[0] == 0 && bytes[1] == 0))
            {
                using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var all = new List<string>();
                while (reader.ReadLine() is { } line) all.Add(line);
                _decoded = all.ToArray();
            }
            else _starts = Starts();
        }
        if (_decoded != null) return number <= _decoded.Length ? _decoded[number - 1] : null;
        var starts = _starts!;
        if (number > starts.Length) return null;
        var start = starts[number - 1];
        var end = start;
        while (end < bytes.Length && bytes[end] is not ((byte)'\n' or (byte)'\r')) end++;
        return System.Text.Encoding.UTF8.GetString(bytes, start, end - start);
    }

    private int[] Starts()
    {
        var starts = new List<int>();
        var i = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        // ReadAllLines gives no line after a final line break, nor any line for an empty file.
        while (i < bytes.Length)
        {
            starts.Add(i);
            while (i < bytes.Length && bytes[i] is not ((byte)'\n' or (byte)'\r')) i++;
            if (i < bytes.Length) i += bytes[i] == '\r' && i + 1 < bytes.Length && bytes[i + 1] == '\n' ? 2 : 1;
        }
        return starts.ToArray();
    }
}
