using Groundcrew.Load.Dockerfile;

namespace Groundcrew.Rules.Docker;

/// <summary>Small readers over parsed Dockerfile instructions shared by the Docker rules.</summary>
internal static class DockerSupport
{
    /// <summary>A COPY/ADD: its sources and destination as written (quotes removed), <c>--from</c> and the WORKDIR in force.</summary>
    public sealed record CopySpec(DockerInstruction Instruction, IReadOnlyList<string> Sources, string Destination, string? From, string Workdir)
    {
        /// <summary>The destination as an absolute, normalized path.</summary>
        public string AbsoluteDestination => Normalize(Destination.StartsWith('/') ? Destination : Workdir.TrimEnd('/') + "/" + Destination);
    }

    /// <summary>The COPY/ADD instructions of a stage with the WORKDIR each runs in (inherited from base stages in the file).</summary>
    public static IEnumerable<CopySpec> Copies(DockerStage stage, char escape)
    {
        var workdir = "/";
        foreach (var ins in Instructions(stage))
        {
            if (ins.Keyword == "WORKDIR")
            {
                var w = ins.ArgumentsWithoutFlags.Trim().Trim('"');
                if (w.Length > 0) workdir = w.StartsWith('/') ? Normalize(w) : Normalize(workdir.TrimEnd('/') + "/" + w);
                continue;
            }
            if (ins.Keyword is not ("COPY" or "ADD") || ins.Heredocs.Count > 0) continue;
            if (ins.StageIndex != stage.Index) continue; // only this stage's own copies; the walk above gave us the WORKDIR
            var words = ins.IsJsonForm && ins.JsonArguments != null ? ins.JsonArguments.ToList() : DockerfileParser.SplitWords(ins.ArgumentsWithoutFlags, escape);
            if (words.Count < 2) continue;
            yield return new CopySpec(ins, words.Take(words.Count - 1).ToList(), words[^1], ins.Flag("from")?.Value, workdir);
        }
    }

    /// <summary>Instructions of the stage, preceded by those of its base stages (FROM build AS final).</summary>
    public static IEnumerable<DockerInstruction> Instructions(DockerStage stage)
    {
        var chain = new List<DockerStage>();
        for (var s = stage; s != null && chain.Count < 64 && !chain.Contains(s); s = s.BaseStage) chain.Add(s);
        for (var i = chain.Count - 1; i >= 0; i--)
            foreach (var ins in chain[i].Instructions) yield return ins;
    }

    /// <summary>`/app/./a//b/` -> `/app/a/b`; relative paths keep no leading slash.</summary>
    public static string Normalize(string path)
    {
        var abs = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var p in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == ".." && parts.Count > 0) { parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        var joined = string.Join('/', parts);
        return abs ? "/" + joined : joined;
    }

    /// <summary>The shell text a RUN executes: its arguments (or exec-form words) and heredoc bodies.</summary>
    public static string ShellText(DockerInstruction ins)
    {
        var text = ins.IsJsonForm && ins.JsonArguments != null ? string.Join(' ', ins.JsonArguments) : ins.ArgumentsWithoutFlags;
        foreach (var h in ins.Heredocs) text += "\n" + h.Content;
        return text;
    }

    /// <summary>Simple commands of a shell text: split on `&&`, `||`, `;`, `|`, `&`, newlines and parentheses; each as words (quotes removed).</summary>
    public static List<List<string>> Commands(string shell)
    {
        var result = new List<List<string>>();
        var current = new List<string>();
        var word = new System.Text.StringBuilder();
        char quote = '\0';
        void EndWord() { if (word.Length > 0) { current.Add(word.ToString()); word.Clear(); } }
        void EndCommand() { EndWord(); if (current.Count > 0) { result.Add(current); current = []; } }
        for (var i = 0; i < shell.Length; i++)
        {
            var c = shell[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else word.Append(c);
                continue;
            }
            switch (c)
            {
                case '\'' or '"': quote = c; break;
                case ' ' or '\t' or '\r': EndWord(); break;
                case '\n' or ';' or '|' or '&' or '(' or ')' or '`': EndCommand(); break;
                case '\\' when i + 1 < shell.Length && shell[i + 1] == '\n': i++; break;
                default: word.Append(c); break;
            }
        }
        EndCommand();
        return result;
    }
}
