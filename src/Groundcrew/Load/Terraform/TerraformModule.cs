using System.Text;
using Groundcrew.Core;

namespace Groundcrew.Load.Terraform;

/// <summary>One parsed file of a module.</summary>
public sealed record TerraformFile(string Path, HclBody Body);

/// <summary>
/// A Terraform module: the .tf and .tf.json files of one directory (not its subdirectories), indexed by address,
/// plus terraform.tfvars and *.auto.tfvars (and their .json forms) for a root module. Files that fail to parse are listed in
/// <see cref="Errors"/>; the rest of the module is still usable.
/// </summary>
public sealed class TerraformModule
{
    /// <summary>The directory as given (used for path.module and for following local module sources).</summary>
    public string Directory { get; }
    /// <summary>The directory as shown in spans and path.module (relative to the scanned root when known).</summary>
    public string DisplayDirectory { get; }
    /// <summary>The scanned root that spans are relative to (null: spans use the paths as given).</summary>
    public string? Root { get; private init; }
    public List<TerraformFile> Files { get; } = new();
    public List<TerraformFile> VarFiles { get; } = new();
    public List<HclParseException> Errors { get; } = new();

    public Dictionary<string, HclBlock> Variables { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, HclAttribute> Locals { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, HclBlock> Outputs { get; } = new(StringComparer.Ordinal);
    /// <summary>Managed resources by address: "aws_iam_role.app".</summary>
    public Dictionary<string, HclBlock> Resources { get; } = new(StringComparer.Ordinal);
    /// <summary>Data sources by address without the "data." prefix: "aws_iam_policy_document.assume".</summary>
    public Dictionary<string, HclBlock> DataSources { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, HclBlock> ModuleCalls { get; } = new(StringComparer.Ordinal);
    /// <summary>Values from terraform.tfvars then *.auto.tfvars (later files win, as in Terraform).</summary>
    public Dictionary<string, HclAttribute> VarFileValues { get; } = new(StringComparer.Ordinal);

    /// <summary>Resource types present, so that a root name such as aws_iam_role is recognised as a resource type.</summary>
    public HashSet<string> ResourceTypes { get; } = new(StringComparer.Ordinal);

    private TerraformModule(string directory, string displayDirectory)
    {
        Directory = directory;
        DisplayDirectory = displayDirectory;
    }

    /// <summary>
    /// Load the module in <paramref name="directory"/>. File spans use paths relative to <paramref name="root"/>
    /// when given. Var files are read only when <paramref name="readVarFiles"/> (root modules).
    /// </summary>
    public static TerraformModule Load(string directory, string? root = null, bool readVarFiles = true, long maxFileBytes = 5_000_000)
        => Load(directory, root, readVarFiles, maxFileBytes, []);

    /// <param name="extraVarFiles">Var files given at plan time (<c>-var-file</c>; the <c>terraform.varFiles</c> setting), read after
    /// the automatic ones in the order given, so they win.</param>
    public static TerraformModule Load(string directory, string? root, bool readVarFiles, long maxFileBytes, IReadOnlyList<string> extraVarFiles)
    {
        var display = root == null ? directory : RelativeOrSelf(root, directory);
        var module = new TerraformModule(directory, display) { Root = root };
        if (!System.IO.Directory.Exists(directory)) return module;
        // One listing of the folder, in lexical order: the configuration files, the var files and the folder's byte count all
        // come from it (it was listed three times and every file's size asked for twice, once per module of a large repository).
        var listing = System.IO.Directory.GetFiles(directory);
        Array.Sort(listing, StringComparer.Ordinal);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        // .tf and .tf.json files together, in lexical order, as Terraform reads them.
        foreach (var path in listing)
        {
            if (!(path.EndsWith(".tf", StringComparison.Ordinal) || path.EndsWith(".tf.json", StringComparison.Ordinal))) continue;
            if (Parse(module, path, root, maxFileBytes, sizes) is { } body) module.Add(new TerraformFile(Shown(path, root), body));
        }
        if (readVarFiles)
        {
            foreach (var path in AutoVarFiles(listing).Concat(extraVarFiles))
            {
                if (Parse(module, path, root, maxFileBytes, sizes) is not { } body) continue;
                module.AddVarFile(new TerraformFile(Shown(path, root), body));
            }
        }
        foreach (var path in listing)
        {
            if (!IsConfigurationFile(path)) continue;
            if (sizes.TryGetValue(path, out var size)) module.ConfigurationBytes += size;
            else try { module.ConfigurationBytes += new FileInfo(path).Length; } catch (IOException) { } // not read (a .TF), or unreadable
        }
        return module;
    }

    /// <summary>
    /// The bytes of the folder's configuration files (.tf and .tf.json, in any case), read or not, as <see cref="Load(string, string?, bool, long, IReadOnlyList{string})"/>
    /// listed them: what the scan reports as Terraform bytes read.
    /// </summary>
    public long ConfigurationBytes { get; private set; }

    /// <summary>A file that is part of a module's configuration (.tf, .tf.json), not a var file.</summary>
    internal static bool IsConfigurationFile(string f) =>
        f.EndsWith(".tf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".tf.json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The var files Terraform loads by itself: terraform.tfvars(.json), then *.auto.tfvars(.json) in lexical order.</summary>
    public static List<string> AutoVarFiles(string directory)
    {
        var listing = System.IO.Directory.GetFiles(directory);
        Array.Sort(listing, StringComparer.Ordinal);
        return AutoVarFiles(listing);
    }

    /// <param name="listing">Every file of the folder, sorted ordinally.</param>
    private static List<string> AutoVarFiles(string[] listing)
    {
        var varFiles = new List<string>();
        foreach (var name in new[] { "terraform.tfvars", "terraform.tfvars.json" })
            foreach (var f in listing)
                if (Path.GetFileName(f) == name) varFiles.Add(f);
        foreach (var f in listing)
            if (f.EndsWith(".auto.tfvars", StringComparison.Ordinal) || f.EndsWith(".auto.tfvars.json", StringComparison.Ordinal)) varFiles.Add(f);
        return varFiles;
    }

    /// <summary>A var file that Terraform only reads when told to (<c>-var-file</c>): *.tfvars(.json) that are not auto-loaded.</summary>
    public static bool IsOptionalVarFile(string path)
    {
        var name = Path.GetFileName(path);
        if (!(name.EndsWith(".tfvars", StringComparison.Ordinal) || name.EndsWith(".tfvars.json", StringComparison.Ordinal))) return false;
        return name is not ("terraform.tfvars" or "terraform.tfvars.json") && !name.EndsWith(".auto.tfvars", StringComparison.Ordinal) && !name.EndsWith(".auto.tfvars.json", StringComparison.Ordinal);
    }

    /// <summary>Build a module from in-memory files (name -> text); names ending in .tfvars are var files.</summary>
    public static TerraformModule FromSources(string directory, params (string Name, string Text)[] files)
    {
        var module = new TerraformModule(directory, directory);
        foreach (var (name, text) in files)
        {
            var isVarFile = name.EndsWith(".tfvars", StringComparison.Ordinal) || name.EndsWith(".tfvars.json", StringComparison.Ordinal);
            var (body, error) = HclJsonSyntax.IsJsonFile(name) ? HclJsonSyntax.TryParseFile(text, name, isVarFile) : HclParser.TryParseFile(text, name);
            if (error != null) { module.Errors.Add(error); continue; }
            var file = new TerraformFile(name, body!);
            if (isVarFile) module.AddVarFile(file);
            else module.Add(file);
        }
        return module;
    }

    private static string Shown(string path, string? root) => root == null ? path : RelativeOrSelf(root, path);

    private static string RelativeOrSelf(string root, string path)
    {
        var rel = Path.GetRelativePath(root, path).Replace('\\', '/');
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }

    /// <param name="sizes">Gets the size of every file opened (path -> bytes).</param>
    private static HclBody? Parse(TerraformModule module, string path, string? root, long maxFileBytes, Dictionary<string, long> sizes)
    {
        try
        {
            // The size comes from the open file (one fstat), not from a FileInfo asked before opening it.
            byte[] bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
            {
                var length = stream.Length;
                sizes[path] = length;
                if (length > maxFileBytes)
                {
                    module.Errors.Add(new HclParseException($"file is larger than {maxFileBytes} bytes; not read", Shown(path, root), 1, 1));
                    return null;
                }
                bytes = new byte[length];
                stream.ReadExactly(bytes);
            }
            var text = DecodeText(bytes);
            var shown = Shown(path, root);
            var (body, error) = HclJsonSyntax.IsJsonFile(path)
                ? HclJsonSyntax.TryParseFile(text, shown, varFile: path.EndsWith(".tfvars.json", StringComparison.OrdinalIgnoreCase))
                : HclParser.TryParseFile(text, shown);
            if (error != null) module.Errors.Add(error);
            return body;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            module.Errors.Add(new HclParseException($"cannot read: {ex.Message}", Shown(path, root), 1, 1));
            return null;
        }
    }

    /// <summary>
    /// The text as <see cref="File.ReadAllText(string)"/> decodes it (a byte order mark chooses UTF-16 or UTF-32, otherwise UTF-8
    /// with invalid bytes replaced), decoded from the bytes in one go instead of through a reader's buffers and a StringBuilder.
    /// </summary>
    internal static string ReadText(string path) => DecodeText(File.ReadAllBytes(path));

    private static string DecodeText(byte[] bytes)
    {
        if (bytes.Length >= 2 && (bytes[0], bytes[1]) is (0xFF, 0xFE) or (0xFE, 0xFF) or (0x00, 0x00))
        {
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        var bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        return Encoding.UTF8.GetString(bytes, bom, bytes.Length - bom);
    }

    private void AddVarFile(TerraformFile file)
    {
        VarFiles.Add(file);
        foreach (var a in file.Body.Attributes) VarFileValues[a.Name] = a;
    }

    private void Add(TerraformFile file)
    {
        Files.Add(file);
        foreach (var block in file.Body.Blocks)
        {
            switch (block.Type)
            {
                case "variable" when block.Labels.Count == 1:
                    Variables.TryAdd(block.Labels[0], block);
                    break;
                case "locals":
                    foreach (var a in block.Body.Attributes) Locals.TryAdd(a.Name, a);
                    break;
                case "output" when block.Labels.Count == 1:
                    Outputs.TryAdd(block.Labels[0], block);
                    break;
                case "resource" when block.Labels.Count == 2:
                    Resources.TryAdd(block.Labels[0] + "." + block.Labels[1], block);
                    ResourceTypes.Add(block.Labels[0]);
                    break;
                case "data" when block.Labels.Count == 2:
                    DataSources.TryAdd(block.Labels[0] + "." + block.Labels[1], block);
                    break;
                case "module" when block.Labels.Count == 1:
                    ModuleCalls.TryAdd(block.Labels[0], block);
                    break;
            }
        }
    }

    /// <summary>Resources of one type, in file order.</summary>
    public IEnumerable<(string Name, HclBlock Block)> ResourcesOfType(string type) =>
        Resources.Where(r => r.Value.Labels[0] == type).Select(r => (r.Value.Labels[1], r.Value));

    /// <summary>
    /// The directory of a local module source ("./x", "../x"), or null for registry, git, http and other
    /// remote sources (those are not followed: their values stay unknown).
    /// </summary>
    public string? LocalModuleDirectory(string source)
    {
        if (!(source.StartsWith("./", StringComparison.Ordinal) || source.StartsWith("../", StringComparison.Ordinal) || source is "." or "..")) return null;
        string full;
        try { full = Path.GetFullPath(Path.Combine(Directory, source)); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException) { return null; }
        // Never read outside the folder the user asked to scan.
        if (Root != null)
        {
            var boundary = Path.GetFullPath(Root).TrimEnd('/') + "/";
            if (!(full + "/").StartsWith(boundary, StringComparison.Ordinal)) return null;
        }
        return System.IO.Directory.Exists(full) ? full : null;
    }
}
