using Groundcrew.Core;
using Groundcrew.Load.Dockerfile;

namespace Groundcrew.Rules.Docker;

/// <summary>
/// A stage copies pnpm's virtual store (`node_modules/.pnpm`) and a workspace package's `node_modules` as two
/// COPYs that do not keep their relative layout. A package's node_modules holds symlinks such as
/// `@nestjs/core -> ../../../node_modules/.pnpm/@nestjs+core@10/node_modules/@nestjs/core`; moved to another depth
/// they point nowhere, and Node fails with `Cannot find module`.
/// </summary>
public sealed class PnpmNodeModulesSplit : Rule
{
    public override string Title => "pnpm store and a package's node_modules copied apart";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "Error: Cannot find module '@nestjs/core' (the copied node_modules symlinks point outside the image's store), then CrashLoopBackOff";
    public override string Fix => "Build a self-contained folder with `pnpm --filter <package> deploy --prod /out` in the build stage and COPY that one folder, or copy both with the same relative layout.";
    public override IReadOnlyList<string> Incidents => ["E4"];

    private const string Store = "node_modules/.pnpm";

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var doc in context.Model.Dockerfiles)
            foreach (var stage in doc.Stages)
            {
                List<DockerSupport.CopySpec>? copies = null;
                try { copies = DockerSupport.Copies(stage, doc.EscapeChar).ToList(); }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { }
                if (copies == null) continue;
                // The store copy: a source ending in node_modules/.pnpm, to a destination ending in node_modules/.pnpm.
                var stores = new List<(DockerSupport.CopySpec Copy, string SourceRoot, string DestRoot)>();
                foreach (var c in copies)
                {
                    if (c.Sources.Count != 1) continue;
                    var src = DockerSupport.Normalize(c.Sources[0]);
                    var dest = c.AbsoluteDestination;
                    if (!src.EndsWith(Store, StringComparison.Ordinal) || src.Contains('*')) continue;
                    if (!dest.EndsWith(Store, StringComparison.Ordinal)) continue;
                    stores.Add((c, src[..^Store.Length].TrimEnd('/'), dest[..^Store.Length].TrimEnd('/')));
                }
                if (stores.Count == 0) continue;
                foreach (var c in copies)
                {
                    if (c.Sources.Count != 1) continue;
                    var src = DockerSupport.Normalize(c.Sources[0]);
                    if (!src.EndsWith("/node_modules", StringComparison.Ordinal) || src.Contains('*')) continue;
                    var pkgRoot = src[..^"/node_modules".Length];
                    foreach (var (store, sourceRoot, destRoot) in stores)
                    {
                        if (!string.Equals(store.From, c.From, StringComparison.OrdinalIgnoreCase)) continue;
                        if (pkgRoot == sourceRoot) continue; // the root node_modules itself
                        var prefix = sourceRoot.Length == 0 ? "" : sourceRoot + "/";
                        if (!pkgRoot.StartsWith(prefix, StringComparison.Ordinal) && sourceRoot.Length > 0) continue; // another tree
                        var rel = pkgRoot[prefix.Length..].TrimStart('/');
                        var expected = DockerSupport.Normalize(destRoot + "/" + rel + "/node_modules");
                        var dest = c.AbsoluteDestination;
                        if (dest == expected) continue; // same relative layout: the symlinks still resolve
                        var span = new SourceSpan(doc.File, c.Instruction.StartLine, 1);
                        yield return At(span,
                            $"stage {StageName(stage)} copies the pnpm store ({store.Sources[0]} -> {store.Destination}) and the package's node_modules " +
                            $"({c.Sources[0]} -> {c.Destination}) separately: the package's node_modules holds relative symlinks into the store, which land at " +
                            $"{dest} instead of {expected} and point nowhere, so `require` fails with `Cannot find module`.",
                            related: [new RelatedLocation(new SourceSpan(doc.File, store.Instruction.StartLine, 1), "the pnpm store is copied here")]);
                        break;
                    }
                }
            }
    }

    private static string StageName(DockerStage s) => s.Name ?? s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
