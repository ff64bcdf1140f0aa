using System.Text;

namespace Groundcrew.Cli.Completion;

/// <summary>
/// Shell completion scripts for bash, zsh, fish and PowerShell, written from the <see cref="CompletionModel"/>.
/// Each completes the verbs, each verb's options, the values an option accepts (--format, --fail-on), and files otherwise.
/// </summary>
public static class CompletionScripts
{
    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh", "fish", "powershell"];

    public static string Render(string shell, CompletionModel model) => shell switch
    {
        "bash" => Bash(model),
        "zsh" => Zsh(model),
        "fish" => Fish(model),
        "powershell" => PowerShell(model),
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "unknown shell"),
    };

    private static string Words(IEnumerable<string> words) => string.Join(" ", words);
    private static IEnumerable<string> AllNames(IEnumerable<CompletionOption> options) => options.SelectMany(o => o.Names);

    private static string Bash(CompletionModel m)
    {
        var sb = new StringBuilder();
        var fn = "_" + m.Program;
        sb.Append($$"""
            # bash completion for {{m.Program}}; load with: source <({{m.Program}} completion bash)
            {{fn}}() {
              local cur prev verb
              cur="${COMP_WORDS[COMP_CWORD]}"
              prev=""
              [ "$COMP_CWORD" -gt 0 ] && prev="${COMP_WORDS[COMP_CWORD-1]}"
              if [ "$COMP_CWORD" -le 1 ]; then
                COMPREPLY=($(compgen -W "{{Words(m.Verbs.Select(v => v.Name).Concat(AllNames(m.RootOptions)))}}" -- "$cur"))
                return 0
              fi
              verb="${COMP_WORDS[1]}"
              case "$verb" in

            """);
        foreach (var verb in m.Verbs)
        {
            sb.AppendLine($"    {verb.Name})");
            sb.AppendLine("      case \"$prev\" in");
            foreach (var o in verb.Options.Where(o => o.TakesValue))
                sb.AppendLine($"        {string.Join("|", o.Names)}) " + (o.Values.Count > 0
                    ? $"COMPREPLY=($(compgen -W \"{Words(o.Values)}\" -- \"$cur\")); return 0;;"
                    : "COMPREPLY=($(compgen -f -- \"$cur\")); return 0;;"));
            sb.AppendLine("      esac");
            sb.AppendLine($"      if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"{Words(AllNames(verb.Options))}\" -- \"$cur\")); return 0; fi");
            sb.AppendLine(verb.ArgumentValues.Count > 0
                ? $"      COMPREPLY=($(compgen -W \"{Words(verb.ArgumentValues)}\" -- \"$cur\")); return 0;;"
                : "      COMPREPLY=($(compgen -f -- \"$cur\")); return 0;;");
        }
        sb.Append($$"""
              esac
            }
            complete -o filenames -o bashdefault -F {{fn}} {{m.Program}}

            """);
        return sb.ToString();
    }

    private static string Zsh(CompletionModel m)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"#compdef {m.Program}");
        sb.AppendLine($"# zsh completion for {m.Program}; load with: source <({m.Program} completion zsh)  (after compinit)");
        sb.AppendLine($"_{m.Program}() {{");
        sb.AppendLine("  local -a verbs");
        sb.AppendLine("  verbs=(");
        foreach (var v in m.Verbs) sb.AppendLine($"    {ZshQuote($"{v.Name}:{v.Description}")}");
        sb.AppendLine("  )");
        sb.AppendLine("  if (( CURRENT == 2 )); then");
        sb.AppendLine("    _describe 'command' verbs");
        sb.AppendLine("    return");
        sb.AppendLine("  fi");
        sb.AppendLine("  case $words[2] in");
        foreach (var verb in m.Verbs)
        {
            sb.AppendLine($"    {verb.Name})");
            sb.AppendLine("      _arguments -s \\");
            // One fully quoted spec per spelling: nothing in it is left for zsh to glob or brace-expand.
            foreach (var o in verb.Options)
                foreach (var name in o.Names)
                {
                    var value = !o.TakesValue ? "" : o.Values.Count > 0 ? $":value:({Words(o.Values)})" : ":file:_files";
                    // An option that may be repeated (--output, --var) is marked with '*'.
                    var repeat = o.Description.Contains("repeatable", StringComparison.OrdinalIgnoreCase) ? "*" : "";
                    sb.AppendLine($"        '{repeat}{name}[{ZshBracket(o.Description)}]{value}' \\");
                }
            sb.AppendLine(verb.ArgumentValues.Count > 0 ? $"        '1:value:({Words(verb.ArgumentValues)})'" : "        '*:file:_files'");
            sb.AppendLine("      ;;");
        }
        sb.AppendLine("  esac");
        sb.AppendLine("}");
        sb.AppendLine($"compdef _{m.Program} {m.Program}");
        return sb.ToString();
    }

    private static string ZshQuote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    // Inside '[...]' of a single-quoted _arguments spec: no quotes, no brackets, no colons.
    private static string ZshBracket(string s) => s.Replace("'", "").Replace("[", "(").Replace("]", ")").Replace(":", " -");

    private static string Fish(CompletionModel m)
    {
        var sb = new StringBuilder();
        var p = m.Program;
        sb.AppendLine($"# fish completion for {p}; save as ~/.config/fish/completions/{p}.fish or: {p} completion fish | source");
        sb.AppendLine($"complete -c {p} -f");
        foreach (var v in m.Verbs)
            sb.AppendLine($"complete -c {p} -n __fish_use_subcommand -a {v.Name} -d {FishQuote(v.Description)}");
        foreach (var v in m.Verbs)
        {
            sb.AppendLine(v.ArgumentValues.Count > 0
                ? $"complete -c {p} -n '__fish_seen_subcommand_from {v.Name}' -x -a {FishQuote(Words(v.ArgumentValues))}"
                : $"complete -c {p} -n '__fish_seen_subcommand_from {v.Name}' -F");
            foreach (var o in v.Options)
            {
                var spellings = string.Join(" ", o.Names.Select(n => n.StartsWith("--", StringComparison.Ordinal) ? $"-l {n[2..]}" : n.Length == 2 ? $"-s {n[1..]}" : $"-o {n[1..]}"));
                var value = !o.TakesValue ? "" : o.Values.Count > 0 ? $" -x -a {FishQuote(Words(o.Values))}" : " -r -F";
                sb.AppendLine($"complete -c {p} -n '__fish_seen_subcommand_from {v.Name}' {spellings}{value} -d {FishQuote(o.Description)}");
            }
        }
        return sb.ToString();
    }

    private static string FishQuote(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    private static string PowerShell(CompletionModel m)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# PowerShell completion for {m.Program}; load with: {m.Program} completion powershell | Out-String | Invoke-Expression");
        sb.AppendLine($"Register-ArgumentCompleter -Native -CommandName '{m.Program}' -ScriptBlock {{");
        sb.AppendLine("    param($wordToComplete, $commandAst, $cursorPosition)");
        sb.AppendLine("    $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })");
        sb.AppendLine("    $verbs = @{");
        foreach (var v in m.Verbs)
            sb.AppendLine($"        '{v.Name}' = @({string.Join(", ", AllNames(v.Options).Select(PsQuote))})");
        sb.AppendLine("    }");
        sb.AppendLine("    $values = @{");
        foreach (var v in m.Verbs)
            foreach (var o in v.Options.Where(o => o.Values.Count > 0))
                foreach (var n in o.Names)
                    sb.AppendLine($"        '{v.Name} {n}' = @({string.Join(", ", o.Values.Select(PsQuote))})");
        sb.AppendLine("    }");
        sb.AppendLine("    $candidates = @()");
        sb.AppendLine("    if ($words.Count -le 1 -or ($words.Count -eq 2 -and $wordToComplete -ne '')) {");
        sb.AppendLine("        $candidates = $verbs.Keys");
        sb.AppendLine("    } else {");
        sb.AppendLine("        $verb = $words[1]");
        sb.AppendLine("        $prev = if ($wordToComplete -ne '') { $words[$words.Count - 2] } else { $words[$words.Count - 1] }");
        sb.AppendLine("        if ($values.ContainsKey(\"$verb $prev\")) { $candidates = $values[\"$verb $prev\"] }");
        sb.AppendLine("        elseif ($wordToComplete -like '-*' -and $verbs.ContainsKey($verb)) { $candidates = $verbs[$verb] }");
        sb.AppendLine("    }");
        sb.AppendLine("    $candidates | Where-Object { $_ -like \"$wordToComplete*\" } | Sort-Object | ForEach-Object {");
        sb.AppendLine("        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)");
        sb.AppendLine("    }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string PsQuote(string s) => "'" + s.Replace("'", "''") + "'";
}
