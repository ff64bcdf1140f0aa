using System.Diagnostics;
using Groundcrew.Bench;
using Groundcrew.Check;
using Groundcrew.Config;

// One command: `dotnet run -c Release --project bench/Groundcrew.Bench [-- --files N --per-file M]`.
// Measures the whole `check` pipeline (discover, load, model, rules) as a user runs it, in-process.
var files = ArgValue(args, "--files", 5000);
var perFile = ArgValue(args, "--per-file", 10);

// `--generate DIR` only writes the generated corpus (for timing the CLI end-to-end on it) and exits.
var generateAt = Array.IndexOf(args, "--generate");
if (generateAt >= 0 && generateAt + 1 < args.Length)
{
    var written = CorpusGenerator.Write(args[generateAt + 1], files, perFile);
    Console.WriteLine($"wrote {files * perFile:N0} objects in {files:N0} files, {written / (1024.0 * 1024.0):0.0} MB, to {args[generateAt + 1]}");
    return;
}

// `--generate-joins DIR` writes issue 14's cross-file join repository (Services, Deployments, Secrets, IAM roles, Terraform modules).
var joinsAt = Array.IndexOf(args, "--generate-joins");
if (joinsAt >= 0 && joinsAt + 1 < args.Length)
{
    var written = JoinCorpusGenerator.Write(args[joinsAt + 1]);
    Console.WriteLine($"wrote the join repository, {written / (1024.0 * 1024.0):0.0} MB, to {args[joinsAt + 1]}");
    return;
}

// `--terraform DIR [--rounds N]` parses and evaluates every .tf module under DIR N times in this process and prints each
// time (the first includes the JIT); bench/aims.py reads the `terraform_seconds` lines.
var terraformAt = Array.IndexOf(args, "--terraform");
if (terraformAt >= 0 && terraformAt + 1 < args.Length)
{
    var tfRoot = Path.GetFullPath(args[terraformAt + 1]);
    var tfFiles = Directory.EnumerateFiles(tfRoot, "*.tf", SearchOption.AllDirectories).ToList();
    for (var round = 0; round < ArgValue(args, "--rounds", 5); round++)
    {
        var (cpu, allocated, collections) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(true), GC.CollectionCount(0));
        var (jitTime, jitMethods) = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
        var clock = Stopwatch.StartNew();
        var loaded = Groundcrew.Load.Terraform.TerraformLoader.Load(tfFiles, tfRoot);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        // jit_seconds: time the JIT spent compiling during the round, on every thread (tier-0 on first calls, tier-1 in the background).
        Console.WriteLine($"terraform_seconds={clock.Elapsed.TotalSeconds:0.000} cpu_seconds={cpuSeconds:0.000} allocated_mb={(GC.GetTotalAllocatedBytes(true) - allocated) / 1048576.0:0.0} " +
                          $"gen0={GC.CollectionCount(0) - collections} jit_seconds={(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalSeconds:0.000} " +
                          $"jit_methods={System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods} files={loaded.Files} resources={loaded.Resources.Count}");
    }
    if (args.Contains("--split"))  // parse alone, for --profile-like diagnosis of where the Terraform time goes
    {
        var dirs = tfFiles.Select(f => Path.GetDirectoryName(f)!).Distinct().ToList();
        var texts = tfFiles.Select(f => (f, File.ReadAllText(f))).ToList();
        for (var round = 0; round < 3; round++)
        {
            var (cpu, allocated) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(true));
            var tokens = 0;
            foreach (var (f, text) in texts) tokens += Groundcrew.Load.Terraform.HclLexer.Lex(text, f).Count;
            var lexCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var lexAllocated = GC.GetTotalAllocatedBytes(true) - allocated;
            foreach (var (f, text) in texts) Groundcrew.Load.Terraform.HclParser.TryParseFile(text, f);
            Console.WriteLine($"terraform lex only: {lexCpu:0.000} s CPU, {lexAllocated / 1048576.0:0.0} MB allocated, {tokens} tokens; lex+parse: " +
                              $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds - lexCpu:0.000} s CPU, {(GC.GetTotalAllocatedBytes(true) - allocated - lexAllocated) / 1048576.0:0.0} MB, " +
                              $"{texts.Sum(t => t.Item2.Length)} chars");
        }
        for (var round = 0; round < 3; round++)
        {
            var (cpu, allocated) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(true));
            var clock = Stopwatch.StartNew();
            foreach (var d in dirs) Groundcrew.Load.Terraform.TerraformModule.Load(d, tfRoot);
            Console.WriteLine($"terraform parse only: {clock.Elapsed.TotalSeconds:0.000} s, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.000} s CPU, " +
                              $"{(GC.GetTotalAllocatedBytes(true) - allocated) / 1048576.0:0.0} MB allocated for {dirs.Count} modules");
        }
    }
    return;
}

// `--report DIR` checks DIR once, then times each report format a few times (CPU of this thread; the writers are single-threaded).
var reportAt = Array.IndexOf(args, "--report");
if (reportAt >= 0 && reportAt + 1 < args.Length)
{
    var checkedRun = new CheckRunner(new CheckOptions { Paths = [Path.GetFullPath(args[reportAt + 1])], Config = GroundcrewConfig.Default }).Run();
    foreach (var format in new[] { "sarif", "json", "console" })
        for (var round = 0; round < 3; round++)
        {
            var reporter = Groundcrew.Report.Reporters.Find(format)!;
            var (cpu, allocated) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetAllocatedBytesForCurrentThread());
            var clock = Stopwatch.StartNew();
            reporter.Write(checkedRun, TextWriter.Null, new Groundcrew.Report.ReportSettings(Groundcrew.Core.Severity.Error, false, "0", false));
            Console.WriteLine($"report {format}: {clock.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:0} ms CPU, " +
                              $"{(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0:0.0} MB allocated, {checkedRun.Findings.Count} findings");
        }
    return;
}

// `--profile DIR` runs the check's phases and each rule on one thread and prints CPU and bytes for each.
var profileAt = Array.IndexOf(args, "--profile");
if (profileAt >= 0 && profileAt + 1 < args.Length)
{
    Profile.Run(Path.GetFullPath(args[profileAt + 1]), ArgValue(args, "--rounds", 3));
    return;
}

var work = Directory.CreateTempSubdirectory("groundcrew-bench-").FullName;
try
{
    Console.WriteLine($"groundcrew benchmark on {Environment.ProcessorCount} core(s), .NET {Environment.Version}");
    Console.WriteLine();

    var small = Path.Combine(work, "small");
    var large = Path.Combine(work, "large");
    var smallBytes = CorpusGenerator.Write(small, files / 10, perFile);
    var largeBytes = CorpusGenerator.Write(large, files, perFile);

    Measure("warm-up", small, smallBytes, files / 10 * perFile, quiet: true);
    var s = Measure($"generated, {files / 10:N0} files", small, smallBytes, files / 10 * perFile);
    var l = Measure($"generated, {files:N0} files", large, largeBytes, files * perFile);
    Console.WriteLine($"  scaling: 10x the files took {l.TotalSeconds / s.TotalSeconds:0.0}x the time (linear is 10x)");

    var corpus = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/corpus"));
    if (Directory.Exists(corpus))
    {
        var bytes = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Measure("shared/corpus (real projects, Kustomize overlays rendered)", corpus, bytes, objects: null);
        MeasureTerraform(corpus);
    }
    else Console.WriteLine($"(../shared/corpus not found at {corpus}; skipped)");
}
finally
{
    Directory.Delete(work, recursive: true);
}

// Issue 3's aim: parsing and evaluating every .tf module of the corpus "well under a second".
static void MeasureTerraform(string corpus)
{
    var tf = Directory.EnumerateFiles(corpus, "*.tf", SearchOption.AllDirectories).ToList();
    Groundcrew.Load.Terraform.TerraformLoader.Load(tf, corpus); // warm-up: JIT
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var result = Groundcrew.Load.Terraform.TerraformLoader.Load(tf, corpus);
    clock.Stop();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    Console.WriteLine("shared/corpus Terraform only (parse + evaluate every module, local modules followed)");
    Console.WriteLine($"  {result.Files:N0} files, {result.Bytes / (1024.0 * 1024.0):0.0} MB, {result.Resources.Count:N0} resources: {clock.Elapsed.TotalSeconds:0.00} s wall, {cpu.TotalSeconds:0.00} s CPU");
    Console.WriteLine();
}

static TimeSpan Measure(string label, string path, long bytes, int? objects, bool quiet = false)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var result = new CheckRunner(new CheckOptions { Paths = [path], Config = GroundcrewConfig.Default }).Run();
    clock.Stop();
    if (quiet) return clock.Elapsed;
    var process = Process.GetCurrentProcess();
    var resources = result.Model.Resources.Count;
    var mb = bytes / (1024.0 * 1024.0);
    Console.WriteLine(label);
    var cpu = process.TotalProcessorTime - cpuBefore;
    Console.WriteLine($"  {resources:N0} resources in {result.FilesScanned:N0} files, {mb:0.0} MB: {clock.Elapsed.TotalSeconds:0.00} s wall, {cpu.TotalSeconds:0.00} s CPU");
    Console.WriteLine($"  {resources / clock.Elapsed.TotalSeconds:N0} objects/s, {mb / clock.Elapsed.TotalSeconds:0.0} MB/s, {result.Findings.Count:N0} findings");
    Console.WriteLine($"  peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):0} MB (was {peakBefore / (1024.0 * 1024.0):0} MB before), " +
                      $"allocated {(GC.GetTotalAllocatedBytes(true) - before) / (1024.0 * 1024.0):0} MB");
    if (objects is { } expected && resources != expected)
        Console.WriteLine($"  WARNING: expected {expected:N0} resources");
    Console.WriteLine();
    return clock.Elapsed;
}

static int ArgValue(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
