using System.Text.RegularExpressions;

namespace Groundcrew.Load;

/// <summary>
/// YAML files that are templates, filled in by a script or another tool before anything reads them: Jinja/Ansible
/// (`{% for %}`, `{{ x }}`), Mustache/Handlebars (`{{{X}}}`), Go templates, ERB (`&lt;%= %&gt;`), Python `str.format`-style
/// (`{TENANT_ID}`), envsubst (`${X}`) and replace-tokens (`#{X}#`, `__X__`). As written they are often not valid YAML;
/// that is not a defect of the repository, so such a file gets a note instead of an input error.
/// </summary>
public static partial class TemplateFiles
{
    [GeneratedRegex(@"\{\{\{?[^{}\n]{1,200}\}?\}\}|\{%-?[^%\n]{1,200}-?%\}|<%=?[^%\n]{1,200}%>|(?<![\w$#{])\{[A-Z][A-Z0-9_]{1,80}\}(?!\})|\$\{[A-Za-z_][A-Za-z0-9_]{0,80}\}|#\{[A-Za-z_][\w.-]{0,80}\}#?|\b__[A-Z][A-Z0-9_]{1,80}__\b", RegexOptions.None, 250)]
    private static partial Regex Token();

    /// <summary>
    /// A template token on the line the YAML parser stopped at or the three before it (where a token breaks the
    /// syntax), or null: a token elsewhere in a file broken by, say, bad indentation does not excuse the error.
    /// </summary>
    public static string? TokenNear(string text, int errorLine)
    {
        if (errorLine < 1) return null;
        try
        {
            var lines = text.Split('\n');
            for (var i = Math.Max(0, errorLine - 4); i < Math.Min(lines.Length, errorLine + 1); i++)
                if (Token().Match(lines[i]) is { Success: true } m) return m.Value;
            return null;
        }
        catch (RegexMatchTimeoutException) { return null; }
    }

    /// <summary>The message of the note for a template file that does not parse as YAML.</summary>
    public static string Note(string token, string parseError) =>
        $"template file, not checked: it holds template tokens such as `{token}` that a script or another tool fills in before use, " +
        $"and as written it is not valid YAML ({parseError.Replace("invalid YAML: ", "")}). Scan the rendered output instead (e.g. pipe it to `groundcrew check -`).";
}
