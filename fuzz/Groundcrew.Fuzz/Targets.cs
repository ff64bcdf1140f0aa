using System.Diagnostics;
using System.Text;
using Groundcrew.Core;
using Groundcrew.Diagnose.Input;
using Groundcrew.Discover;
using Groundcrew.Load;
using Groundcrew.Load.AppCode;
using Groundcrew.Load.CloudFormation;
using Groundcrew.Load.Dockerfile;
using Groundcrew.Load.Npm;
using Groundcrew.Load.Terraform;
using Groundcrew.Rules.App;
using Groundcrew.Verify.Flows;

namespace Groundcrew.Fuzz;

/// <summary>
/// One fuzz target per reader the scan (or diagnose, or verify) runs on someone else's file. Each takes the raw bytes
/// of one input, decodes them the way the scan does (<see cref="FileReader.Decode"/>), runs the reader and checks its
/// contract (<see cref="Contract"/>). An exception that escapes is a crash to AFL, and a finding.
/// </summary>
public static class Targets
{
    public sealed record Target(string Name, string SeedKind, string What, Action<byte[]> Run);

    /// <summary>SeedKind names the folder of fuzz/corpus/ that fuzz/seeds.sh fills for the target.</summary>
    public static readonly IReadOnlyList<Target> All =
    [
        new("yaml-fast", "yaml", "FastYamlReader.TryRead (declines or reads)", b => Text(b, "in.yaml", YamlFast)),
        new("yaml", "yaml", "YamlTreeLoader.LoadGeneral: YamlDotNet with the leniency repairs", b => Text(b, "in.yaml", YamlGeneral)),
        new("yaml-diff", "yaml", "fast YAML reader against YamlDotNet: same tree and spans whenever both read it", b => Text(b, "in.yaml", YamlDiff)),
        new("json", "json", "JsonTreeLoader.Load", b => Text(b, "in.json", Json)),
        new("hcl-lexer", "hcl", "HclLexer.Lex and LexTemplate", b => Text(b, "main.tf", HclLex)),
        new("hcl-parser", "hcl", "HclParser.TryParseFile", b => Text(b, "main.tf", HclParse)),
        new("hcl-eval", "hcl", "HclEvaluator over every local, output, resource and data source of a parsed module", b => Text(b, "main.tf", HclEval)),
        new("tf-plan", "tfplan", "TerraformPlan.Read on `terraform show -json` output", b => Text(b, "plan.json", TfPlan)),
        new("cfn", "cfn", "CloudFormation templates: short-form tags (!Ref, !Sub, ...) and the classifier", b => Text(b, "template.yaml", Cfn)),
        new("dockerfile", "dockerfile", "DockerfileParser.Parse", b => Text(b, "Dockerfile", Dockerfile)),
        new("js", "js", "CodeTokenizer (JavaScript) and JsExtractor (JS and TS)", b => Text(b, "index.ts", Js)),
        new("python", "python", "PythonTokenizer and PythonExtractor", b => Text(b, "app.py", Python)),
        new("npm-lock", "npmlock", "Lockfiles.Npm on package-lock.json", b => Text(b, "package-lock.json", NpmLock)),
        new("pnpm-lock", "pnpmlock", "Lockfiles.Pnpm on pnpm-lock.yaml", b => Text(b, "pnpm-lock.yaml", PnpmLock)),
        new("yarn-lock", "yarnlock", "Lockfiles.YarnV1Versions and YarnBerry on yarn.lock", b => Text(b, "yarn.lock", YarnLock)),
        new("prisma", "prisma", "the Prisma schema datasource reader", b => Text(b, "schema.prisma", Prisma)),
        new("gitignore", "gitignore", "GitIgnore: patterns, a line \"--\", then paths to decide", b => Text(b, ".gitignore", GitIgnoreMatch)),
        new("diagnose", "diagnose", "InputReader.ReadBytes: logs, kubectl and aws JSON", Diagnose),
        new("flow", "flow", "FlowLoader.Load on a verify flow file", b => Text(b, "flow.yaml", Flow)),
    ];

    public static Target? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static void Text(byte[] bytes, string file, Action<string, string> read)
    {
        string text;
        try { text = FileReader.Decode(bytes).Content; }
        catch (LoadException) { return; } // binary input: the scan skips the file with a notice
        read(text, file);
    }

    private static void YamlFast(string text, string file)
    {
        var docs = FastYamlReader.TryRead(text, file);
        if (docs == null) return;
        var shape = new Contract.Shape(text);
        foreach (var d in docs) Contract.Tree(shape, d.Root, file);
    }

    private static void YamlGeneral(string text, string file)
    {
        var result = YamlTreeLoader.LoadGeneral(text, file);
        CheckLoad(text, file, result);
    }

    private static void YamlDiff(string text, string file)
    {
        var fast = FastYamlReader.TryRead(text, file);
        if (fast == null) return;
        var general = YamlTreeLoader.LoadGeneral(text, file);
        if (TreeDifference.Between(fast, general) is { } difference)
            throw new ContractViolation("the fast YAML reader and YamlDotNet disagree: " + difference);
    }

    private static void CheckLoad(string text, string file, LoadResult result)
    {
        var shape = new Contract.Shape(text);
        foreach (var d in result.Documents) Contract.Tree(shape, d.Root, file);
        if (result.Error is { } e) Contract.Position(shape, e.Line, e.Column, "the load error");
    }

    private static void Json(string text, string file) => CheckLoad(text, file, JsonTreeLoader.Load(text, file));

    private static void HclLex(string text, string file)
    {
        var shape = new Contract.Shape(text);
        foreach (var lex in new Func<string, string, int, int, List<HclToken>>[] { HclLexer.Lex, HclLexer.LexTemplate })
        {
            try
            {
                foreach (var t in lex(text, file, 1, 1))
                {
                    Contract.Position(shape, t.Line, t.Column, $"token {t}");
                    Contract.Position(shape, t.EndLine, Math.Max(1, t.EndColumn - 1), $"end of token {t}");
                }
            }
            catch (HclParseException e) { Contract.Position(shape, e.Line, e.Column, "the lex error"); }
        }
    }

    private static void HclParse(string text, string file)
    {
        var (body, error) = HclParser.TryParseFile(text, file);
        var shape = new Contract.Shape(text);
        if (error != null) Contract.Position(shape, error.Line, error.Column, "the parse error");
        if (body != null) Contract.Spans(shape, body, file);
    }

    // An empty folder, so that file() and templatefile() in a fuzzed module find nothing outside it.
    private static string ModuleDir => ScratchDir.For("module");

    private static void HclEval(string text, string file)
    {
        var module = TerraformModule.FromSources(ModuleDir, (file, text));
        if (module.Errors.Count > 0) return;
        var ev = new HclEvaluator(module);
        var values = module.Locals.Keys.Select(l => ev.Local(l))
            .Concat(module.Outputs.Keys.Select(o => ev.Output(o)))
            .Concat(module.Resources.Values.Where(r => r.Labels.Count >= 2).Select(r => ev.Resource(r.Labels[0], r.Labels[1])))
            .Concat(module.DataSources.Values.Where(r => r.Labels.Count >= 2).Select(r => ev.Data(r.Labels[0], r.Labels[1])))
            .ToList();
        foreach (var v in values) TerraformValueToTree.Convert(v, SourceSpan.OfFile(file));
        foreach (var r in module.Resources.Values.Where(r => r.Labels.Count >= 2))
            foreach (var _ in ev.Instances(r.Labels[0], r.Labels[1])) { }
    }

    private static void TfPlan(string text, string file)
    {
        var loaded = JsonTreeLoader.Load(text, file);
        if (loaded.Error != null || loaded.Documents.Count != 1 || loaded.Documents[0].Root is not MapNode root || !TerraformPlan.IsPlan(root)) return;
        var plan = TerraformPlan.Read(root, file);
        var resources = plan.ToModel().ToList();
        var shape = new Contract.Shape(text);
        foreach (var r in plan.Resources) Contract.Span(shape, r.Span, file, $"plan resource {r.Address}");
        Contract.Spans(shape, resources, file);
    }

    private static void Cfn(string text, string file)
    {
        var loaded = YamlTreeLoader.Load(text, file);
        CheckLoad(text, file, loaded);
        var shape = new Contract.Shape(text);
        foreach (var d in loaded.Documents)
        {
            if (d.Root is not MapNode root || !CloudFormationClassifier.IsTemplate(root)) continue;
            Contract.Spans(shape, CloudFormationClassifier.Classify(root, file).ToList(), file);
        }
    }

    private static void Dockerfile(string text, string file)
    {
        var doc = DockerfileParser.Parse(text, file);
        var shape = new Contract.Shape(text);
        Contract.Spans(shape, doc.Instructions, file);
        foreach (var p in doc.Problems) Contract.Position(shape, p.Line, 1, $"problem {p.Message}");
        foreach (var i in doc.Instructions) Contract.Position(shape, i.StartLine, 1, $"instruction {i}");
    }

    private static void Tokens(Contract.Shape shape, string text, IEnumerable<Token> tokens)
    {
        foreach (var t in tokens)
        {
            Contract.Position(shape, t.Line, t.Column, $"token {t}");
            if (t.Start < 0 || t.End < t.Start || t.End > text.Length)
                throw new ContractViolation($"token {t}: offsets {t.Start}..{t.End} are outside the text (length {text.Length})");
        }
    }

    private static void Js(string text, string file)
    {
        var shape = new Contract.Shape(text);
        Tokens(shape, text, CodeTokenizer.Tokenize(text, CodeDialect.JavaScript));
        Contract.Spans(shape, JsExtractor.Extract(text, file, typeScript: true), file);
        Contract.Spans(shape, JsExtractor.Extract(text, file, typeScript: false), file);
    }

    private static void Python(string text, string file)
    {
        var shape = new Contract.Shape(text);
        Tokens(shape, text, PythonTokenizer.Tokenize(text).Tokens);
        Contract.Spans(shape, PythonExtractor.Extract(text, file), file);
    }

    private static void NpmLock(string text, string file)
    {
        var loaded = JsonTreeLoader.Load(text, file);
        if (loaded.Error != null || loaded.Documents.Count != 1) return;
        Contract.Spans(new Contract.Shape(text), Lockfiles.Npm(loaded.Documents[0].Root, file), file);
    }

    private static void PnpmLock(string text, string file)
    {
        var loaded = YamlTreeLoader.Load(text, file);
        if (loaded.Error != null || loaded.Documents.Count == 0) return;
        Contract.Spans(new Contract.Shape(text), Lockfiles.Pnpm(loaded.Documents[0].Root, file), file);
    }

    private static void YarnLock(string text, string file)
    {
        Lockfiles.YarnV1Versions(text);
        var loaded = YamlTreeLoader.Load(text, file);
        if (loaded.Error != null || loaded.Documents.Count == 0) return;
        Contract.Spans(new Contract.Shape(text), Lockfiles.YarnBerry(loaded.Documents[0].Root, file), file);
    }

    private static void Prisma(string text, string file)
    {
        if (PrismaMigrationsNotApplied.ReadDatasource(text) is { } found)
            Contract.Position(new Contract.Shape(text), found.Line, 1, "the datasource line");
    }

    private static void GitIgnoreMatch(string text, string file)
    {
        var lines = text.Split('\n');
        var split = Array.IndexOf(lines, "--");
        var patterns = split < 0 ? lines : lines[..split];
        var paths = split < 0 ? ["a", "a/b", "src/a.txt", "node_modules/x/y.js", "build/", "x.log"] : lines[(split + 1)..];
        var ignore = new GitIgnore("", patterns);
        foreach (var p in paths.Where(p => p.Length > 0).Take(64))
        {
            var dir = p.EndsWith('/');
            ignore.Decide(dir ? p.TrimEnd('/') : p, dir);
        }
    }

    private static void Diagnose(byte[] bytes)
    {
        var result = InputReader.ReadBytes("input.log", bytes);
        string text;
        try { text = FileReader.Decode(bytes).Content; }
        catch (LoadException) { return; }
        var shape = new Contract.Shape(text);
        foreach (var o in result.Observations)
            if (o.Line != 0) Contract.Position(shape, o.Line, 1, $"observation {o.Kind} {o.Subject}");
    }

    // One scratch file per process: FlowLoader reads a path (includes are resolved next to it).
    private static string FlowDir => ScratchDir.For("flow");

    private static void Flow(string text, string file)
    {
        var path = Path.Combine(FlowDir, file);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        try { FlowLoader.Load(path); }
        catch (FlowFileException e)
        {
            if (e.Line is { } line && (e.File == null || Path.GetFileName(e.File) == file)) Contract.Position(new Contract.Shape(text), line, 1, "the flow file error");
        }
    }

    /// <summary>Runs one target on one input and checks the time bound; used by AFL, the replay command and the tests.</summary>
    public static void RunOne(Target target, byte[] input)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        target.Run(input);
        Contract.InTime(clock, cpu, target.Name);
    }
}
