using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Load.Terraform;
using Xunit;
using Xunit.Abstractions;
using Groundcrew.Tests.Support;

namespace Groundcrew.Tests.Terraform;

/// <summary>
/// The parser against real Terraform: every .tf/.tfvars file of the shared corpus must parse, and on a set
/// of broken snippets and on the corpus our parser must accept exactly what `terraform fmt` accepts.
/// </summary>
[RunsLong]
public class HclCorpusTests(ITestOutputHelper output)
{
    private const string CorpusDir = "/work/shared/corpus";
    private const string TerraformBinary = "/usr/local/bin/terraform";

    private static List<string> CorpusFiles() => Directory.EnumerateFiles(CorpusDir, "*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".tf", StringComparison.Ordinal) || f.EndsWith(".tfvars", StringComparison.Ordinal))
        .OrderBy(f => f, StringComparer.Ordinal)
        .ToList();

    private bool CorpusAvailable()
    {
        if (Directory.Exists(CorpusDir)) return true;
        output.WriteLine($"SKIPPED: the corpus folder {CorpusDir} is absent");
        Environment.GetEnvironmentVariable("CI").Should().NotBe("true", "the corpus must be present in CI");
        return false;
    }

    private bool TerraformAvailable()
    {
        if (File.Exists(TerraformBinary)) return true;
        output.WriteLine($"SKIPPED: {TerraformBinary} is absent, so there is no syntax oracle");
        Environment.GetEnvironmentVariable("CI").Should().NotBe("true", "terraform must be installed in CI");
        return false;
    }

    [Fact]
    public void Every_corpus_file_parses()
    {
        if (!CorpusAvailable()) return;
        var files = CorpusFiles();
        files.Count.Should().BeGreaterThan(500);
        var failures = new List<string>();
        foreach (var f in files)
        {
            var (_, error) = HclParser.TryParseFile(File.ReadAllText(f), Path.GetRelativePath(CorpusDir, f));
            if (error != null) failures.Add(error.ToString());
        }
        output.WriteLine($"{files.Count} files parsed, {failures.Count} failures");
        failures.Should().BeEmpty();
    }

    [Fact]
    public void Every_corpus_module_evaluates_without_crashing()
    {
        if (!CorpusAvailable()) return;
        var dirs = CorpusFiles().Where(f => f.EndsWith(".tf", StringComparison.Ordinal)).Select(f => Path.GetDirectoryName(f)!).Distinct().ToList();
        var policies = 0;
        var knownPolicies = 0;
        foreach (var d in dirs)
        {
            var module = TerraformModule.Load(d, CorpusDir);
            var ev = new HclEvaluator(module);
            var values = module.Locals.Keys.Select(l => ev.Local(l))
                .Concat(module.Outputs.Keys.Select(o => ev.Output(o)))
                .Concat(module.Resources.Values.Select(r => ev.Resource(r.Labels[0], r.Labels[1])))
                .Concat(module.DataSources.Values.Select(r => ev.Data(r.Labels[0], r.Labels[1])))
                .ToList();
            foreach (var v in values) TerraformValueToTree.Convert(v, Groundcrew.Core.SourceSpan.OfFile(d));
            foreach (var r in module.DataSources.Values.Where(b => b.Labels[0] == "aws_iam_policy_document"))
            {
                foreach (var (address, doc) in ev.Instances(r.Labels[0], r.Labels[1], data: true))
                {
                    policies++;
                    if (doc.Kind == TfKind.Map && doc.Map["json"].IsKnown)
                    {
                        knownPolicies++;
                        Newtonsoft.Json.Linq.JObject.Parse(doc.Map["json"].Str)["Statement"].Should().NotBeNull(address);
                    }
                }
            }
        }
        output.WriteLine($"{dirs.Count} modules evaluated; {policies} policy document instances, {knownPolicies} fully known");
        knownPolicies.Should().BeGreaterThan(0);
    }

    /// <summary>Snippets covering what Terraform rejects (and near misses it accepts).</summary>
    public static readonly string[] Snippets =
    [
        "a = 1\n", "a = \n", "a = \"x\n", "a = \"${x\"\n", "a = \"${x}\"\n", "a = \"%{if x}y%{endif}\"\n", "a = \"%{if x}y\"\n",
        "a = \"%{ for x in y ~}${x}%{~ endfor }\"\n", "a = <<EOF\nhello\nEOF\n", "a = <<EOF\nhello\n", "a = <<-EOT\n  a\n    b\n  EOT\n",
        "a = [for x in y : x if x != \"\"]\n", "a = {for k, v in y : k => v...}\n", "a = [for x in y : x...]\n", "a = x[*].id\n", "a = x.*.id\n",
        "a = x.0.b\n", "a = f(x...)\n", "a = f(x..., y)\n", "a = b ? c : d\n", "a = b ? c\n", "a = 1 + * 2\n", "a = !true && false || 3 > 2\n",
        "block \"l1\" l2 {\n  x = 1\n}\n", "block \"l1\" { x = 1 }\n", "block { x = 1\n y = 2 }\n", "block {}\n", "block \"${x}\" {}\n",
        "a = 1 b = 2\n", "a = {\n  b = 1\n  c = 2\n}\n", "a = { b = 1, c = 2 }\n", "a = { b = 1 c = 2 }\n", "a = [1, 2,]\n", "a = [1 2]\n",
        "a = \"\\q\"\n", "a = \"\\u00e9\"\n", "a = \"\\u00\"\n", "a = \"$${x}\"\n", "/* unterminated\n", "# c\n// c\n/* c */\na = 1\n",
        "a = x[\n  0\n]\n", "a = (\n  1 +\n  2\n)\n", "a = 1 +\n 2\n", "}\n", "block {\n", "a = x.\n", "a = x.y.z[0][\"k\"]\n",
        "a = provider::aws::arn_parse(\"x\")\n", "a = -1\n", "a = 1.5e3\n", "a = \"${ x ? \"a\" : \"b\" }\"\n", "a = {\"k\" : 1}\n", "a = {(var.k) = 1}\n",
        "a = \0\n", "a = \"%{ else }\"\n", "a = \"%{ foo }\"\n", "a = <<EOF\n${x}\n  EOF\n", "a = <<EOF", "a = <<\nEOF\n",
        "a = [for k, v in x: k => v]\n", "a = {for x in y: x}\n", "a = { for = 1 }\n", "a = [\n  for x in y : x\n]\n",
        "a = x[*][0]\n", "a = x.*[0]\n", "a == 1\n", "a\n", "\"a\" = 1\n", "a = 1\n\n\n", "a = 1", "a.b = 1\n", "a = \"${}\"\n", "a = f(,)\n", "a = f()\n",
        "a = 1 % 2 * 3\n", "a = x ? y : z ? w : v\n", "a = {\n  b = 1,\n}\n", "a = {\n  b = [\n 1,\n 2\n]\n}\n", "a = \"abc\" \"def\"\n", "a = 01\n", "a = 1.\n",
        "a = x.1e2\n", "a = { b = c ?\n d : e }\n", "a = \"%{if a}x%{else}y%{endif}\"\n", "a = \"%{for a in b}x%{endif}\"\n", "b \"x\" \"y\" z {\n}\n",
        "a = <<EOF\nx\nEOF2\nEOF\n", "a = <<-EOF\n\tx\n\tEOF\n", "a = {\n  \"${x}\" = 1\n}\n", "a = [for x in y: {\n  k = x\n}]\n", "a = x.y[\n*]\n", "a = !\n",
        "a = templatefile(\"${path.module}/x.tpl\", {\n  a = 1\n})\n", "a = 1 #c\nb = 2 // d\n", "a = \"x\" /* c */\n", "a = [\n  # c\n  1,\n]\n",
        "a = { b = 1\n}\n", "a = {\n b = 1 }\n", "a = { b = 1 }\n", "blk { a = { b = 1 } }\n", "blk {\n}\n", "blk {\n}", "blk {}", "blk {} x = 1\n",
        "a = \"\\\"quoted\\\"\"\n", "a = \"x\\\n", "a = 5 % ", "ünicode = 1\n", "a-b = 1\n", "1a = 1\n", "a = x.-b\n", "a = [*]\n", "a = x[*]\n", "a = x[*].y[*].z\n",
        "a = <<EOF\n  %{ if x }\n  y\n  %{ endif }\nEOF\n", "a = \"${x}${y}\"\n", "a = \"\\U0001F600\"\n", "a = \"\\uD800\"\n",
        "a = { for k in x : k => 1 if k != \"\" }\n", "a = [for i, x in y : \"${i}-${x}\"]\n", "a = x ? {\n  b = 1\n} : null\n", "dynamic \"x\" {\n  for_each = y\n  content {\n  }\n}\n",
        "a = \"${\n  x\n}\"\n", "a = <<EOF\n$${literal} %%{literal}\nEOF\n", "a = \"unclosed ${x\"\n", "a = 1\r\nb = 2\r\n", "a = <<EOF\r\nx\r\nEOF\r\n",
    ];

    [Fact]
    public void Parser_accepts_exactly_what_terraform_fmt_accepts()
    {
        if (!TerraformAvailable()) return;
        var dir = Directory.CreateTempSubdirectory("groundcrew-hcl-oracle-").FullName;
        try
        {
            var names = new Dictionary<string, string>();
            for (var i = 0; i < Snippets.Length; i++)
            {
                var name = $"s{i:000}.tf";
                File.WriteAllText(Path.Combine(dir, name), Snippets[i], new UTF8Encoding(false));
                names[name] = Snippets[i];
            }
            // Bytes that are not UTF-8 at all.
            File.WriteAllBytes(Path.Combine(dir, "binary.tf"), [0xff, 0xfe, 0x00, 0x41, 0x0a]);
            names["binary.tf"] = "<binary>";
            if (Directory.Exists(CorpusDir))
            {
                var n = 0;
                foreach (var f in CorpusFiles())
                {
                    var name = $"c{n++:0000}{Path.GetExtension(f)}";
                    File.Copy(f, Path.Combine(dir, name));
                    names[name] = Path.GetRelativePath(CorpusDir, f);
                }
            }
            else output.WriteLine($"corpus folder {CorpusDir} absent: comparing on the snippets only");
            // The fuzz seeds and saved inputs (fuzz/README.md), and the queue a local AFL run grew, if there is one.
            var fuzzInputs = FuzzInputs().ToList();
            for (var n = 0; n < fuzzInputs.Count; n++)
            {
                var name = $"f{n:0000}.tf";
                File.Copy(fuzzInputs[n], Path.Combine(dir, name));
                names[name] = Path.GetRelativePath(Groundcrew.Tests.Support.Repo.Root, fuzzInputs[n]);
            }
            foreach (var (name, text, what) in Mutations(400))
            {
                File.WriteAllText(Path.Combine(dir, name), text, new UTF8Encoding(false));
                names[name] = what;
            }

            var rejectedByTerraform = TerraformRejects(dir);
            var disagreements = new List<string>();
            foreach (var (name, what) in names)
            {
                var (_, error) = HclParser.TryParseFile(File.ReadAllText(Path.Combine(dir, name)), name);
                var oursRejects = error != null;
                var theirsRejects = rejectedByTerraform.Contains(name);
                if (oursRejects != theirsRejects)
                    disagreements.Add($"{name} ({what.Replace("\n", "\\n")}): terraform {(theirsRejects ? "rejects" : "accepts")}, Groundcrew {(oursRejects ? "rejects: " + error!.Message : "accepts")}");
            }
            output.WriteLine($"{names.Count} files compared; terraform rejected {rejectedByTerraform.Count}");
            rejectedByTerraform.Count.Should().BeGreaterThan(50, "the snippets include many syntax errors; if terraform rejects none, the oracle is not working");
            disagreements.Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IEnumerable<string> FuzzInputs()
    {
        var fuzz = Path.Combine(Groundcrew.Tests.Support.Repo.Root, "fuzz");
        var folders = new[] { Path.Combine(fuzz, "seeds", "hcl") }
            .Concat(Directory.Exists(Path.Combine(fuzz, "regressions")) ? Directory.EnumerateDirectories(Path.Combine(fuzz, "regressions"), "hcl-*") : [])
            .Append(Path.Combine(fuzz, "out", "hcl-parser", "default", "queue"));
        // A queue can hold thousands of inputs; a sample of 300 keeps terraform's run short. Binary inputs stay out:
        // terraform reads bytes and Groundcrew decodes text (Latin-1 when not UTF-8), so only UTF-8 text is compared.
        return folders.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d).OrderBy(f => f, StringComparer.Ordinal).Take(300))
            .Where(f => IsUtf8Text(File.ReadAllBytes(f)));
    }

    private static bool IsUtf8Text(byte[] bytes)
    {
        if (bytes.Contains((byte)0)) return false;
        try { _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); return true; }
        catch (DecoderFallbackException) { return false; }
    }

    /// <summary>
    /// Corpus files with one small random edit each (deterministic seed): a deleted character or two, or an
    /// inserted bracket, quote, operator, template sequence or keyword. Roughly a third of them become invalid.
    /// </summary>
    private static IEnumerable<(string Name, string Text, string What)> Mutations(int count)
    {
        if (!Directory.Exists(CorpusDir)) yield break;
        var files = CorpusFiles().Where(f => f.EndsWith(".tf", StringComparison.Ordinal)).ToList();
        var random = new Random(20261122);
        const string Alphabet = "{}[]()\"'$%~<>-=.,:?!*/\\\n #EOF${%{ for if in endif endfor else ... => 0 1.5e a_b";
        for (var n = 0; n < count; n++)
        {
            var source = files[random.Next(files.Count)];
            var sb = new StringBuilder(File.ReadAllText(source));
            var pos = random.Next(Math.Max(1, sb.Length));
            string edit;
            switch (random.Next(3))
            {
                case 0:
                    var len = Math.Min(random.Next(1, 3), sb.Length - pos);
                    if (len > 0) sb.Remove(pos, len);
                    edit = $"deleted {len} at {pos}";
                    break;
                case 1:
                    var c = Alphabet[random.Next(Alphabet.Length)];
                    sb.Insert(pos, c);
                    edit = $"inserted '{c}' at {pos}";
                    break;
                default:
                    var piece = Alphabet.Substring(random.Next(Alphabet.Length - 3), 3);
                    sb.Insert(pos, piece);
                    edit = $"inserted '{piece}' at {pos}";
                    break;
            }
            yield return ($"m{n:0000}.tf", sb.ToString(), $"{Path.GetRelativePath(CorpusDir, source)} {edit}");
        }
    }

    /// <summary>Run `terraform fmt -check` once over the folder; the files it reports a diagnostic for are the rejected ones.</summary>
    private static HashSet<string> TerraformRejects(string dir)
    {
        var psi = new ProcessStartInfo(TerraformBinary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in new[] { "fmt", "-check", "-list=true", "-no-color", "." }) psi.ArgumentList.Add(a);
        psi.Environment["TF_CLI_CONFIG_FILE"] = "/dev/null";
        psi.Environment["CHECKPOINT_DISABLE"] = "1";
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        stdoutTask.Wait();
        p.WaitForExit();
        var rejected = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(stderr, @"on (?:\./)?(\S+) line \d+"))
            rejected.Add(m.Groups[1].Value);
        return rejected;
    }
}
