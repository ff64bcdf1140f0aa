using System.Diagnostics;
using System.Runtime.InteropServices;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Discover;
using Groundcrew.Load;
using Groundcrew.Model;
using Groundcrew.Rules;

namespace Groundcrew.Bench;

/// <summary>
/// `--profile DIR`: the check's phases run one after the other on ONE thread, each timed by that thread's own
/// CPU clock and by the bytes it allocated, so the figures hold on a busy machine where wall time does not.
/// Runs the whole thing a few times (the first runs warm the JIT) and prints the last.
/// </summary>
public static class Profile
{
    public static void Run(string dir, int rounds)
    {
        for (var round = 1; round <= rounds; round++)
        {
            var print = round == rounds;
            Once(dir, print);
        }
    }

    private static void Once(string dir, bool print)
    {
        var config = GroundcrewConfig.Default;
        var rows = new List<(string What, double CpuMs, long Bytes)>();
        GC.Collect();
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) * 1000 + GC.CollectionCount(2) * 1000_000;
        var pauseBefore = GC.GetTotalPauseDuration();
        var total = Mark();

        var m = Mark();
        var files = new FileDiscovery(config.Exclude).Discover(dir).Where(f => f.Format is FileFormat.Yaml or FileFormat.Json).ToList();
        rows.Add(m.Row($"discover ({files.Count} files)"));

        m = Mark();
        var texts = files.Select(f => (Path: f, Text: FileReader.Read(f.FullPath, config.MaxFileBytes).Content)).ToList();
        rows.Add(m.Row("read"));

        if (Environment.GetEnvironmentVariable("PROFILE_RAW") == "1")
        {
            m = Mark();
            long events = 0;
            foreach (var t in texts)
            {
                var parser = new YamlDotNet.Core.Parser(new StringReader(t.Text));
                while (parser.MoveNext()) events++;
            }
            rows.Add(m.Row($"raw parser events ({events})"));
            m = Mark();
            long tokens = 0;
            foreach (var t in texts)
            {
                var scanner = new YamlDotNet.Core.Scanner(new StringReader(t.Text));
                while (scanner.MoveNext()) tokens++;
            }
            rows.Add(m.Row($"raw scanner tokens ({tokens})"));
            m = Mark();
            var docs = 0;
            foreach (var t in texts) docs += YamlTreeLoader.Load(t.Text, t.Path.FullPath).Documents.Count;
            rows.Add(m.Row($"tree, dropped after each file ({docs} docs)"));
        }

        m = Mark();
        var loaded = texts.Select(t => (t.Path, Result: t.Path.Format == FileFormat.Json ? JsonTreeLoader.Load(t.Text, t.Path.FullPath) : YamlTreeLoader.Load(t.Text, t.Path.FullPath))).ToList();
        rows.Add(m.Row("parse to tree"));
        var textChars = texts.Sum(t => (long)t.Text.Length);
        texts = null!;
        var heapTrees = LiveHeap();

        if (Verbose)
        {
            long maps = 0, seqs = 0, scalars = 0, entries = 0, chars = 0;
            var distinct = new HashSet<string>();
            var distinctKeys = new HashSet<string>();
            foreach (var (_, result) in loaded)
                foreach (var doc in result.Documents)
                    foreach (var n in doc.Root.Descendants())
                        switch (n)
                        {
                            case MapNode mn:
                                maps++; entries += mn.Entries.Count;
                                foreach (var e in mn.Entries) { distinctKeys.Add(e.Key.Value ?? ""); chars += e.Key.Value?.Length ?? 0; }
                                break;
                            case SeqNode: seqs++; break;
                            case ScalarNode sn: scalars++; chars += sn.Value?.Length ?? 0; distinct.Add(sn.Value ?? ""); break;
                        }
            Console.WriteLine($"  census: {maps} maps, {seqs} seqs, {scalars} scalar values, {entries} map entries, {chars} chars in keys+values, {distinct.Count} distinct values, {distinctKeys.Count} distinct keys");
        }

        m = Mark();
        var resources = new List<Resource>();
        var others = new List<OtherDocument>();
        foreach (var (f, result) in loaded)
            foreach (var doc in result.Documents)
            {
                var any = false;
                foreach (var r in DocumentClassifier.Classify(doc.Root, f.FullPath)) { resources.Add(r); any = true; }
                if (!any) others.Add(new OtherDocument(f.FullPath, doc.Root));
            }
        rows.Add(m.Row($"classify ({resources.Count} resources)"));
        var heapClassified = LiveHeap();

        m = Mark();
        var model = new DeploymentModel(dir, resources, others, config.Complete);
        rows.Add(m.Row("model (index, workloads, references)"));
        var heapModel = LiveHeap();

        m = Mark();
        var tfFiles = new FileDiscovery(config.Exclude).Discover(dir).Where(f => f.Format == FileFormat.Terraform).Select(f => f.FullPath).ToList();
        var terraform = tfFiles.Count > 0 ? Groundcrew.Load.Terraform.TerraformLoader.Load(tfFiles, dir) : null;
        rows.Add(m.Row($"terraform ({tfFiles.Count} .tf files, {terraform?.Resources.Count ?? 0} resources; not in the model here)"));

        m = Mark();
        var redactor = new Redactor();
        Groundcrew.Check.RepositorySecrets.Register(redactor, model, terraform is null ? [] : [terraform], []);
        rows.Add(m.Row($"repository secrets to the redactor ({redactor.KnownValues.Count} forms)"));

        var context = new RuleContext(model, config, redactor);
        var ruleRows = new List<(string What, double CpuMs, long Bytes)>();
        var rulesMark = Mark();
        var findings = 0;
        foreach (var rule in RuleRegistry.Rules.Where(r => r.Enabled))
        {
            m = Mark();
            findings += rule.Check(context).Count();
            ruleRows.Add(m.Row("  " + rule.Id));
        }
        rows.Add(rulesMark.Row($"rules ({findings} findings)"));
        rows.Add(total.Row("total"));
        if (!print) return;

        Console.WriteLine($"profile of {dir} (one thread; CPU of that thread, bytes it allocated)");
        foreach (var (what, cpu, bytes) in rows)
            Console.WriteLine($"  {what,-60} {cpu,8:0} ms CPU {bytes / (1024.0 * 1024.0),9:0.0} MB");
        var gcAfter = GC.CollectionCount(0) + GC.CollectionCount(1) * 1000 + GC.CollectionCount(2) * 1000_000;
        Console.WriteLine($"  GC pause total {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:0} ms; gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (process)");
        Console.WriteLine($"  heap after: {GC.GetTotalMemory(false) / (1024.0 * 1024.0):0} MB");
        Console.WriteLine($"  live heap (full GC, file texts dropped; input {textChars / (1024.0 * 1024.0):0.0} M chars): trees {heapTrees:0} MB, +resources {heapClassified:0} MB, +model {heapModel:0} MB");
        Console.WriteLine("  slowest rules:");
        foreach (var (what, cpu, bytes) in ruleRows.OrderByDescending(r => r.CpuMs).Take(25))
            Console.WriteLine($"  {what,-60} {cpu,8:0} ms CPU {bytes / (1024.0 * 1024.0),9:0.0} MB");
        GC.KeepAlive(model);
        model = null!; loaded = null!; resources = null!; context = null!; others = null!;
        GC.Collect();
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var bytes0 = GC.GetTotalAllocatedBytes(true);
        var pause0 = GC.GetTotalPauseDuration();
        var wall = Stopwatch.StartNew();
        var run = new Groundcrew.Check.CheckRunner(new Groundcrew.Check.CheckOptions { Paths = [dir], Config = config }).Run();
        proc.Refresh();
        Console.WriteLine($"  CheckRunner.Run as the CLI does it (all threads): {(proc.TotalProcessorTime - cpu0).TotalMilliseconds:0} ms CPU, {wall.ElapsedMilliseconds} ms wall, " +
                          $"{(GC.GetTotalAllocatedBytes(true) - bytes0) / (1024.0 * 1024.0):0} MB allocated, GC pause {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds:0} ms, {run.Findings.Count} findings");
        foreach (var format in new[] { "sarif", "json" })
        {
            // The first write includes the JIT of the writer's code, as in the CLI; the second is the writer alone.
            foreach (var pass in new[] { "first", "second" })
            {
                var report = Mark();
                Groundcrew.Report.Reporters.Find(format)!.Write(run, TextWriter.Null, new Groundcrew.Report.ReportSettings(Severity.Error, false, "0", false));
                var (_, reportCpu, reportBytes) = report.Row(format);
                Console.WriteLine($"  report {format} of that run, {pass} write (one thread): {reportCpu:0} ms CPU, {reportBytes / (1024.0 * 1024.0):0.0} MB");
            }
        }
        _ = gcBefore;
    }

    // Measured outside the timed rows' CPU (a full collection is not part of the check).
    private static double LiveHeap() => GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);

    private static Marker Mark() => new(ThreadCpuMs(), GC.GetAllocatedBytesForCurrentThread(), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    private readonly record struct Marker(double Cpu, long Bytes, TimeSpan Pause, int G0, int G1, int G2)
    {
        public (string, double, long) Row(string what) => (
            Verbose ? $"{what} [GC {(GC.GetTotalPauseDuration() - Pause).TotalMilliseconds:0} ms, {GC.CollectionCount(0) - G0}/{GC.CollectionCount(1) - G1}/{GC.CollectionCount(2) - G2}]" : what,
            ThreadCpuMs() - Cpu, GC.GetAllocatedBytesForCurrentThread() - Bytes);
    }

    private static readonly bool Verbose = Environment.GetEnvironmentVariable("PROFILE_GC") == "1";

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Sec; public long Nsec; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGettime(int clock, out Timespec ts);

    private static double ThreadCpuMs()
    {
        const int CLOCK_THREAD_CPUTIME_ID = 3;
        if (!OperatingSystem.IsLinux() || ClockGettime(CLOCK_THREAD_CPUTIME_ID, out var ts) != 0)
            return Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
        return ts.Sec * 1000.0 + ts.Nsec / 1e6;
    }
}
