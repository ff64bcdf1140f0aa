using System.Text.RegularExpressions;
using System.Diagnostics;

namespace Groundcrew.Load.AppCode;

/// <summary>What <see cref="AppSourceScanner"/> found under a folder.</summary>
public sealed class AppScanResult
{
    public List<EnvRead> EnvReads { get; } = [];
    public List<NestProvider> Providers { get; } = [];
    public List<NestConstructorParameter> ConstructorParameters { get; } = [];
    public List<MongooseProp> MongooseProps { get; } = [];
    /// <summary>Secrets followed through the code: keys read from parsed secrets, GetSecretValue calls given an env value as id.</summary>
    public SecretUses Secrets { get; } = new();
    /// <summary>TypeScript classes (with their decorators), interfaces, type aliases and enums.</summary>
    public List<TsDeclaration> Declarations { get; } = [];
    public int FilesScanned { get; internal set; }
    public long BytesScanned { get; internal set; }
    public TimeSpan Elapsed { get; internal set; }
    /// <summary>Files that could not be read (display path, reason). Never fatal.</summary>
    public List<(string File, string Reason)> Skipped { get; } = [];

    /// <summary>The reads grouped by variable: one <see cref="EnvNeed"/> per name, strongest evidence first.</summary>
    public List<EnvNeed> Needs() => EnvNeed.Combine(EnvReads);
}

/// <summary>
/// What an app needs of one variable, combining all its reads:
/// required (explicit) when any read is explicitly required (getOrThrow, throws when missing, os.environ['X'], a schema);
/// otherwise optional when any read copes without it (a default somewhere means the app has a fallback);
/// otherwise required with <see cref="EnvCertainty.Inferred"/> certainty (plain reads only).
/// <see cref="Anchor"/> is the read a finding should point at: the one that decided the verdict.
/// </summary>
public sealed record EnvNeed(string Name, bool Required, EnvCertainty Certainty, bool CaseInsensitive, EnvRead Anchor, IReadOnlyList<EnvRead> Reads)
{
    public static List<EnvNeed> Combine(IEnumerable<EnvRead> reads)
    {
        var groups = new Dictionary<string, List<EnvRead>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var r in reads)
        {
            if (!groups.TryGetValue(r.Name, out var list)) { groups[r.Name] = list = []; order.Add(r.Name); }
            list.Add(r);
        }
        var result = new List<EnvNeed>();
        foreach (var key in order)
        {
            var all = groups[key];
            // Case-sensitive reads of different spellings (Foo vs FOO) are different variables unless a read says otherwise.
            foreach (var same in all.GroupBy(r => r.CaseInsensitive ? r.Name.ToUpperInvariant() : r.Name))
            {
                var list = same.ToList();
                var ci = list.All(r => r.CaseInsensitive);
                var explicitRequired = list.FirstOrDefault(r => r.Required && r.Certainty == EnvCertainty.Explicit);
                var optional = list.FirstOrDefault(r => !r.Required);
                var need = explicitRequired != null ? new EnvNeed(list[0].Name, true, EnvCertainty.Explicit, ci, explicitRequired, list)
                    : optional != null ? new EnvNeed(list[0].Name, false, EnvCertainty.Explicit, ci, optional, list)
                    : new EnvNeed(list[0].Name, true, EnvCertainty.Inferred, ci, list[0], list);
                result.Add(need);
            }
        }
        return result;
    }
}

/// <summary>
/// Walks an application folder and extracts env reads (and NestJS/Mongoose facts) from its source:
/// .ts/.tsx/.mts/.cts/.js/.jsx/.mjs/.cjs, .py, .cs, .go and .env.example-style files.
/// Skips what is not the deployed app: dependency and build folders (node_modules, dist, build, out, bin, obj, vendor,
/// venv/.venv and any folder with pyvenv.cfg, __pycache__, .git, coverage, .next), test code (test/, tests/, __tests__/, __mocks__/, e2e/, *.Tests projects,
/// *.test.* / *.spec.* / *_test.go / test_*.py / conftest.py), type declarations (*.d.ts) and minified bundles (*.min.js).
/// Spans use paths relative to the scanned folder ('/' separators), prefixed with <c>displayPrefix</c> when given.
/// </summary>
public static class AppSourceScanner
{
    public const long DefaultMaxFileBytes = 1_000_000;

    private static readonly HashSet<string> SkipDirs = new(StringComparer.OrdinalIgnoreCase)
    {
        "node_modules", "dist", "build", "out", "bin", "obj", "vendor", "venv", ".venv", "__pycache__", ".git", ".hg", ".svn",
        "coverage", ".next", ".nuxt", ".turbo", ".cache", "site-packages", ".tox", ".mypy_cache", ".pytest_cache",
        "test", "tests", "__tests__", "__mocks__", "e2e", "testdata", "spec", "fixtures",
    };

    public static AppScanResult Scan(string directory, string? displayPrefix = null, long maxFileBytes = DefaultMaxFileBytes)
    {
        var result = new AppScanResult();
        var sw = Stopwatch.StartNew();
        if (!Directory.Exists(directory)) return result;
        var root = Path.GetFullPath(directory);
        var stack = new Stack<string>();
        stack.Push(root);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var modules = new List<(string Path, string Display, SourceKind Kind)>();
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            if (!seen.Add(dir)) continue;
            IEnumerable<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(dir).OrderBy(e => e, StringComparer.Ordinal).ToList(); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { result.Skipped.Add((Display(root, dir, displayPrefix), ex.Message)); continue; }
            var subdirs = new List<string>();
            foreach (var entry in entries)
            {
                var name = Path.GetFileName(entry);
                FileAttributes attrs;
                try { attrs = File.GetAttributes(entry); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
                if ((attrs & FileAttributes.Directory) != 0)
                {
                    if ((attrs & FileAttributes.ReparsePoint) != 0) continue; // do not follow symlinked folders
                    if (SkipDirs.Contains(name) || name.EndsWith(".Tests", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".Test", StringComparison.OrdinalIgnoreCase)
                        || name.EndsWith(".egg-info", StringComparison.OrdinalIgnoreCase)
                        || File.Exists(Path.Combine(entry, "pyvenv.cfg"))) continue; // a Python virtualenv under any name
                    subdirs.Add(entry);
                    continue;
                }
                var kind = KindOf(name);
                if (kind == null) continue;
                ScanFile(entry, Display(root, entry, displayPrefix), kind.Value, maxFileBytes, result);
                if (kind is SourceKind.Python or SourceKind.TypeScript or SourceKind.JavaScript) modules.Add((entry, Display(root, entry, displayPrefix), kind.Value));
            }
            for (var k = subdirs.Count - 1; k >= 0; k--) stack.Push(subdirs[k]);
        }
        if (result.Secrets.JsonExports.Count > 0) FollowImportedSecrets(modules, maxFileBytes, result);
        result.Elapsed = sw.Elapsed;
        return result;
    }

    // Python: from app.core.settings import creds, other as alias   JS/TS: import { creds, x as y } from '...'; const { creds } = require('...')
    private static readonly Regex PyImport = new(@"^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\(?(?<names>[\w \t,]+(?:\n[\w \t,]+)*)\)?", RegexOptions.Multiline, TimeSpan.FromMilliseconds(250));
    private static readonly Regex JsImport = new(@"\bimport\s*(?:type\s+)?\{(?<names>[^}]*)\}\s*from\s*['""][^'""]+['""]|\b(?:const|let|var)\s*\{(?<names>[^}]*)\}\s*=\s*require\(", RegexOptions.None, TimeSpan.FromMilliseconds(250));

    /// <summary>
    /// A module that imports a name another module bound to secret JSON (`from app.settings import creds`) reads that
    /// secret's keys too: such modules are read again with the imported names bound (only the new key reads are added).
    /// </summary>
    private static void FollowImportedSecrets(List<(string Path, string Display, SourceKind Kind)> modules, long maxBytes, AppScanResult result)
    {
        var exports = result.Secrets.JsonExports;
        var known = result.Secrets.KeyReads.Select(k => (k.Span.File, k.Span.StartLine, k.Span.StartColumn, k.Key)).ToHashSet();
        foreach (var (path, display, kind) in modules)
        {
            string text;
            try { text = FileReader.Read(path, maxBytes).Content; }
            catch (LoadException) { continue; }
            if (!text.Contains("import", StringComparison.Ordinal) && !text.Contains("require", StringComparison.Ordinal)) continue;
            var imported = new Dictionary<string, SecretSource>(StringComparer.Ordinal);
            try
            {
                var matches = kind == SourceKind.Python ? PyImport.Matches(text) : JsImport.Matches(text);
                foreach (Match m in matches)
                    foreach (var part in m.Groups["names"].Value.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        // `creds as c` (Python, JS import) or `creds: c` (destructured require).
                        var words = part.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries);
                        if (words.Length == 0 || !exports.TryGetValue(words[0], out var source)) continue;
                        imported[words.Length == 3 && words[1] == "as" ? words[2] : words.Length == 2 && part.Contains(':') ? words[1] : words[0]] = source;
                    }
            }
            catch (RegexMatchTimeoutException) { continue; }
            if (imported.Count == 0) continue;
            SecretUses found;
            try
            {
                found = kind == SourceKind.Python ? PythonSecretFlow.Extract(text, display, imported)
                    : JsSecretFlow.Extract(text, display, kind == SourceKind.TypeScript, imported);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException) { continue; }
            foreach (var read in found.KeyReads)
                if (known.Add((read.Span.File, read.Span.StartLine, read.Span.StartColumn, read.Key))) result.Secrets.KeyReads.Add(read);
        }
    }

    public enum SourceKind { TypeScript, JavaScript, Python, CSharp, Go, DotEnvExample }

    /// <summary>Which extractor reads a file with this name; null for files that are not app source (or are tests).</summary>
    public static SourceKind? KindOf(string fileName)
    {
        var name = fileName.ToLowerInvariant();
        if (DotEnvExample.IsExampleFile(name)) return SourceKind.DotEnvExample;
        if (name.Contains(".test.", StringComparison.Ordinal) || name.Contains(".spec.", StringComparison.Ordinal) || name.Contains(".e2e-spec.", StringComparison.Ordinal)) return null;
        var ext = Path.GetExtension(name);
        switch (ext)
        {
            case ".ts" or ".tsx" or ".mts" or ".cts":
                return name.EndsWith(".d.ts", StringComparison.Ordinal) ? null : SourceKind.TypeScript;
            case ".js" or ".jsx" or ".mjs" or ".cjs":
                return name.EndsWith(".min.js", StringComparison.Ordinal) ? null : SourceKind.JavaScript;
            case ".py":
                return name.StartsWith("test_", StringComparison.Ordinal) || name.EndsWith("_test.py", StringComparison.Ordinal) || name == "conftest.py" ? null : SourceKind.Python;
            case ".cs":
                return SourceKind.CSharp;
            case ".go":
                return name.EndsWith("_test.go", StringComparison.Ordinal) ? null : SourceKind.Go;
            default:
                return null;
        }
    }

    /// <summary>Extract from text already in memory (for callers that have read the file).</summary>
    public static void ScanText(string text, string displayPath, SourceKind kind, AppScanResult into)
    {
        switch (kind)
        {
            case SourceKind.TypeScript or SourceKind.JavaScript:
                var facts = JsExtractor.Extract(text, displayPath, kind == SourceKind.TypeScript);
                into.EnvReads.AddRange(facts.EnvReads);
                into.Providers.AddRange(facts.Providers);
                into.ConstructorParameters.AddRange(facts.ConstructorParameters);
                into.MongooseProps.AddRange(facts.MongooseProps);
                into.Declarations.AddRange(facts.Declarations);
                into.Secrets.AddRange(JsSecretFlow.Extract(text, displayPath, kind == SourceKind.TypeScript));
                break;
            case SourceKind.Python:
                into.EnvReads.AddRange(PythonExtractor.Extract(text, displayPath));
                into.Secrets.AddRange(PythonSecretFlow.Extract(text, displayPath));
                break;
            case SourceKind.CSharp:
                into.EnvReads.AddRange(CSharpExtractor.Extract(text, displayPath));
                into.Secrets.AddRange(CFamilySecretIds.Extract(text, displayPath, CodeDialect.CSharp));
                break;
            case SourceKind.Go:
                into.EnvReads.AddRange(GoExtractor.Extract(text, displayPath));
                into.Secrets.AddRange(CFamilySecretIds.Extract(text, displayPath, CodeDialect.Go));
                break;
            case SourceKind.DotEnvExample: into.EnvReads.AddRange(DotEnvExample.Extract(text, displayPath)); break;
        }
    }

    private static void ScanFile(string path, string display, SourceKind kind, long maxBytes, AppScanResult result)
    {
        string text;
        try
        {
            var t = FileReader.Read(path, maxBytes);
            text = t.Content;
        }
        catch (LoadException ex) { result.Skipped.Add((display, ex.Message)); return; }
        result.FilesScanned++;
        result.BytesScanned += text.Length;
        try { ScanText(text, display, kind, result); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An extractor bug must not stop the scan; the file is reported as skipped.
            result.Skipped.Add((display, $"could not read the source: {ex.GetType().Name}"));
        }
    }

    private static string Display(string root, string full, string? prefix)
    {
        var rel = Path.GetRelativePath(root, full).Replace('\\', '/');
        if (string.IsNullOrEmpty(prefix)) return rel;
        return prefix.TrimEnd('/') + "/" + rel;
    }
}
