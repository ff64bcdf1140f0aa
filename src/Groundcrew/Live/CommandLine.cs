namespace Groundcrew.Live;

/// <summary>Renders a program and its arguments as one line a POSIX shell would run the same way.</summary>
public static class CommandLine
{
    public static string Format(string file, IEnumerable<string> args) =>
        string.Join(' ', new[] { file }.Concat(args).Select(Quote));

    public static string Quote(string arg)
    {
        if (arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%^".Contains(c))) return arg;
        return "'" + arg.Replace("'", "'\\''") + "'";
    }
}
