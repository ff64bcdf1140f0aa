using System.CommandLine;

namespace Groundcrew.Cli;

/// <summary>
/// The output options every verb shares, spelled and parsed the same way everywhere (docs/cli.md):
/// --format, --output [FORMAT=]FILE (repeatable), --no-color (or NO_COLOR), --quiet, --verbose.
/// A verb builds one with the formats it can write, adds it to its command, and reads it back as <see cref="OutputSettings"/>.
/// </summary>
public sealed class CommonOptions
{
    private readonly IReadOnlyList<string> _formats;
    private readonly IReadOnlyList<string> _fileFormats;

    public Option<string> Format { get; }
    public Option<string[]> Output { get; }
    public Option<bool> NoColor { get; }
    public Option<bool> Quiet { get; }
    public Option<bool> Verbose { get; }

    /// <param name="formats">Formats the verb writes; the first is the default.</param>
    /// <param name="fileFormats">Formats that can go to a file (default: all of them).</param>
    /// <param name="outputAliases">Old spellings of --output the verb keeps working (verify's --report).</param>
    public CommonOptions(IReadOnlyList<string> formats, IReadOnlyList<string>? fileFormats = null, params string[] outputAliases)
    {
        _formats = formats;
        _fileFormats = fileFormats ?? formats;
        Format = new Option<string>("--format", "-f")
        {
            Description = "Output format on stdout",
            DefaultValueFactory = _ => formats[0],
        };
        // A validator rather than AcceptOnlyFromAmong, so the message names the option and every format in one line.
        Format.CompletionSources.Add([.. formats]);
        Format.Validators.Add(result =>
        {
            var given = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (given != null && !formats.Contains(given))
                result.AddError($"--format must be one of {string.Join(", ", formats)}, got '{given}'");
        });
        var oldSpellings = outputAliases.Length > 0 ? $"; old spelling: {string.Join(", ", outputAliases)}" : "";
        Output = new Option<string[]>("--output", ["-o", .. outputAliases])
        {
            Description = $"Write a report to a file: FILE (in the --format format) or FORMAT=FILE with FORMAT one of {string.Join(", ", _fileFormats)}; repeatable{oldSpellings}",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "[FORMAT=]FILE",
        };
        NoColor = new Option<bool>("--no-color") { Description = "No colours (also: the NO_COLOR environment variable)" };
        Quiet = new Option<bool>("--quiet", "-q") { Description = "Only what failed and the verdict: no passing items, notes or progress" };
        Verbose = new Option<bool>("--verbose") { Description = "Also explain on stderr what was read, the config used, and timings" };
    }

    public IEnumerable<Option> All => [Format, Output, NoColor, Quiet, Verbose];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The parsed settings; throws <see cref="UsageException"/> (exit 2) for a bad --output.</summary>
    public OutputSettings Read(ParseResult parse)
    {
        var format = parse.GetValue(Format)!;
        var quiet = parse.GetValue(Quiet);
        var verbose = parse.GetValue(Verbose);
        if (quiet && verbose) throw new UsageException("--quiet and --verbose cannot be used together");
        var color = !parse.GetValue(NoColor) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && !Console.IsOutputRedirected;
        return new OutputSettings(format, ParseTargets(format, parse.GetValue(Output) ?? []), color, quiet, verbose);
    }

    /// <summary>
    /// The main format goes to stdout, or to the file of a bare `--output FILE`; each FORMAT=FILE adds a report.
    /// A prefix before '=' that is no format and no path ("xml=out.xml") is a mistake, not a file name.
    /// </summary>
    internal List<OutputTarget> ParseTargets(string format, IEnumerable<string> outputs)
    {
        var extra = new List<OutputTarget>();
        string? mainFile = null;
        foreach (var o in outputs)
        {
            var eq = o.IndexOf('=');
            var prefix = eq > 0 ? o[..eq].ToLowerInvariant() : "";
            if (eq > 0 && _formats.Contains(prefix))
            {
                if (!_fileFormats.Contains(prefix)) throw new UsageException($"--output {o}: {prefix} cannot be written to a file (use {string.Join(", ", _fileFormats)})");
                if (eq == o.Length - 1) throw new UsageException($"--output {o}: give a file name after '='");
                extra.Add(new OutputTarget(prefix, o[(eq + 1)..]));
            }
            else if (eq > 0 && !prefix.Contains('/') && !prefix.Contains('\\') && !prefix.Contains('.'))
                throw new UsageException($"--output {o}: unknown format '{prefix}' (use {string.Join(", ", _fileFormats)})");
            else if (!_fileFormats.Contains(format))
                throw new UsageException($"--output {o}: the {format} format cannot be written to a file; use FORMAT=FILE with FORMAT one of {string.Join(", ", _fileFormats)}");
            else mainFile = o;
        }
        extra.Insert(0, new OutputTarget(format, mainFile));
        return extra;
    }
}

/// <summary>One report to write: a format and a file, or stdout when <see cref="File"/> is null.</summary>
public sealed record OutputTarget(string Format, string? File);

public sealed record OutputSettings(string Format, IReadOnlyList<OutputTarget> Targets, bool Color, bool Quiet, bool Verbose)
{
    /// <summary>A line for --verbose, on stderr so it never mixes with a machine-readable report.</summary>
    public void Explain(string line)
    {
        if (Verbose) Console.Error.WriteLine($"groundcrew: {line}");
    }

    /// <summary>Writes every target: stdout with colour as configured, files never coloured (their folder is created).</summary>
    public void WriteAll(Action<OutputTarget, TextWriter, bool> write)
    {
        foreach (var target in Targets)
        {
            if (target.File == null)
            {
                write(target, Console.Out, Color);
                continue;
            }
            try
            {
                if (Path.GetDirectoryName(Path.GetFullPath(target.File)) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
                using var writer = new StreamWriter(target.File);
                write(target, writer, false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write the {target.Format} report to {target.File}: {ex.Message}");
            }
            Explain($"wrote the {target.Format} report to {target.File}");
        }
    }
}
