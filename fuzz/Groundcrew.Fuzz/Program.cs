using Groundcrew.Fuzz;
using SharpFuzz;

// groundcrew-fuzz TARGET          : run under afl-fuzz (input on stdin, persistent loop; see fuzz/README.md)
// groundcrew-fuzz TARGET FILE...  : replay inputs (a crash, a corpus) uninstrumented and say which break the contract
// groundcrew-fuzz --list          : the targets
if (args.Length == 0 || args[0] == "--list")
{
    foreach (var t in Targets.All) Console.WriteLine($"{t.Name,-12} seeds: corpus/{t.SeedKind,-11} {t.What}");
    return args.Length == 0 ? 2 : 0;
}
if (Targets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"unknown target '{args[0]}' (groundcrew-fuzz --list)");
    return 2;
}
if (args.Length > 1)
{
    var failed = 0;
    foreach (var file in args.Skip(1).SelectMany(a => Directory.Exists(a) ? Directory.EnumerateFiles(a, "*", SearchOption.AllDirectories) : [a]))
    {
        try { Targets.RunOne(target, File.ReadAllBytes(file)); }
        catch (Exception ex)
        {
            failed++;
            Console.WriteLine($"{file}: {ex.GetType().Name}: {ex.Message}");
            Console.WriteLine(ex.StackTrace);
        }
    }
    Console.WriteLine(failed == 0 ? "no contract broken" : $"{failed} inputs broke the contract");
    return failed == 0 ? 0 : 1;
}
// One long-lived child process runs the inputs (a .NET start-up per input would be ~1000x slower); SharpFuzz restarts
// it when an input kills it (a stack overflow cannot be caught), so fuzzing goes on and the input is saved as a crash.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    Targets.RunOne(target, buffer.ToArray());
});
return 0;
