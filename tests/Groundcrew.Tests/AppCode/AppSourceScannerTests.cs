using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Load.AppCode;
using Groundcrew.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Groundcrew.Tests.AppCode;

public class AppSourceScannerTests(ITestOutputHelper output)
{
    [Fact]
    public void Walks_an_app_and_skips_dependencies_builds_and_tests()
    {
        using var dir = new TempDir();
        dir.Write("src/main.ts", "const a = process.env.APP_MAIN;\n");
        dir.Write("src/util.js", "module.exports = process.env.APP_UTIL || 'x';\n");
        dir.Write("src/main.spec.ts", "process.env.SPEC_ONLY;\n");
        dir.Write("src/main.test.ts", "process.env.SPEC_ONLY;\n");
        dir.Write("src/types.d.ts", "declare const x: typeof process.env.DTS_ONLY;\n");
        dir.Write("test/app.e2e-spec.ts", "process.env.SPEC_ONLY;\n");
        dir.Write("src/__tests__/a.ts", "process.env.SPEC_ONLY;\n");
        dir.Write("node_modules/lib/index.js", "process.env.DEPENDENCY_ONLY;\n");
        dir.Write("dist/main.js", "process.env.BUILD_ONLY;\n");
        dir.Write(".venv/lib/x.py", "import os\nos.environ['DEPENDENCY_ONLY']\n");
        dir.Write("pyenv/pyvenv.cfg", "home = /usr/bin\n");
        dir.Write("pyenv/lib/y.py", "import os\nos.environ['DEPENDENCY_ONLY']\n");
        dir.Write("worker/app.py", "import os\nQ = os.environ['APP_QUEUE']\n");
        dir.Write("worker/test_app.py", "import os\nos.environ['SPEC_ONLY']\n");
        dir.Write("api/Program.cs", "var x = Environment.GetEnvironmentVariable(\"APP_API\");\n");
        dir.Write("Api.Tests/ProgramTests.cs", "Environment.GetEnvironmentVariable(\"SPEC_ONLY\");\n");
        dir.Write("api/obj/Gen.cs", "Environment.GetEnvironmentVariable(\"BUILD_ONLY\");\n");
        dir.Write("svc/main.go", "package main\nvar x = os.Getenv(\"APP_GO\")\n");
        dir.Write("svc/main_test.go", "package main\nvar y = os.Getenv(\"SPEC_ONLY\")\n");
        dir.Write(".env.example", "APP_SECRET=\n");
        dir.Write(".env", "REAL_SECRET=hunter2\n");
        dir.Write("src/bin.ts", "\0\0\0binary");

        var result = AppSourceScanner.Scan(dir.Path, "services/app");
        result.EnvReads.Select(r => r.Name).Should().BeEquivalentTo("APP_MAIN", "APP_UTIL", "APP_QUEUE", "APP_API", "APP_GO", "APP_SECRET");
        result.EnvReads.Single(r => r.Name == "APP_QUEUE").Span.File.Should().Be("services/app/worker/app.py");
        result.EnvReads.Single(r => r.Name == "APP_UTIL").Required.Should().BeFalse();
        result.Skipped.Should().ContainSingle(s => s.File == "services/app/src/bin.ts");
    }

    [Fact]
    public void Needs_combine_reads_by_variable()
    {
        var result = new AppScanResult();
        AppSourceScanner.ScanText("const a = process.env.PORT;\nconst b = process.env.PORT ?? 3000;\nconst c = process.env.DB;\nconst d = process.env.DB!;\nconst e = process.env.LOG;\n", "src/a.ts", AppSourceScanner.SourceKind.TypeScript, result);
        AppSourceScanner.ScanText("class S(BaseSettings):\n    log: str = 'info'\n    queue: str\n", "app/s.py", AppSourceScanner.SourceKind.Python, result);
        AppSourceScanner.ScanText("QUEUE=\nSECRET=\n", ".env.example", AppSourceScanner.SourceKind.DotEnvExample, result);
        var needs = result.Needs().ToDictionary(n => n.Name);
        needs["PORT"].Should().Match<EnvNeed>(n => !n.Required && n.Anchor.Span.StartLine == 2);
        needs["DB"].Should().Match<EnvNeed>(n => n.Required && n.Certainty == EnvCertainty.Explicit && n.Anchor.Span.StartLine == 4);
        // LOG: a plain JS read (case-sensitive) and pydantic's LOG with a default (case-insensitive) are the same name here.
        needs["LOG"].Required.Should().BeFalse();
        needs["QUEUE"].Should().Match<EnvNeed>(n => n.Required && n.Certainty == EnvCertainty.Explicit && n.Anchor.Span.File == "app/s.py" && n.Reads.Count == 2);
        needs["SECRET"].Should().Match<EnvNeed>(n => n.Required && n.Certainty == EnvCertainty.Inferred);
    }

    [Fact]
    public void Missing_folder_gives_an_empty_result()
    {
        AppSourceScanner.Scan("/nonexistent/groundcrew/app").EnvReads.Should().BeEmpty();
    }

    [Fact]
    public void Scans_a_generated_tree_fast()
    {
        using var dir = new TempDir();
        const string ts = """
            import { Injectable } from '@nestjs/common';
            import { ConfigService } from '@nestjs/config';
            // process.env.NOT_A_READ
            @Injectable()
            export class Service{0} {
              constructor(private readonly config: ConfigService, @Inject('TOKEN_{0}') private dep: Dep) {}
              url(): string {
                const re = /ab+c/g;
                const s = `postgres://${process.env.DB_HOST_{0}}:${this.config.get<number>('DB_PORT', 5432)}/db`;
                return process.env.API_{0} ?? s.replace(re, '/');
              }
            }
            """;
        const int files = 400;
        for (var i = 0; i < files; i++)
        {
            var body = string.Concat(Enumerable.Repeat(ts.Replace("{0}", i.ToString()) + "\n", 10));
            dir.Write($"src/m{i % 20}/service{i}.ts", body);
        }
        var cold = Stopwatch.StartNew();
        AppSourceScanner.Scan(dir.Path); // first run includes JIT compilation
        cold.Stop();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = AppSourceScanner.Scan(dir.Path);
        sw.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        output.WriteLine($"CPU time: {cpu.TotalMilliseconds:0} ms ({files / Math.Max(cpu.TotalSeconds, 0.001):0} files/s of CPU; the machine may be shared)");
        output.WriteLine($"cold run: {cold.ElapsedMilliseconds} ms");
        result.FilesScanned.Should().Be(files);
        result.EnvReads.Count(r => r.Name == "DB_HOST_7").Should().Be(10);
        result.EnvReads.Should().NotContain(r => r.Name == "NOT_A_READ");
        result.ConstructorParameters.Count.Should().Be(files * 10 * 2);
        var perSecond = files / Math.Max(sw.Elapsed.TotalSeconds, 0.001);
        var mbPerSecond = result.BytesScanned / 1e6 / Math.Max(sw.Elapsed.TotalSeconds, 0.001);
        output.WriteLine($"{files} files, {result.BytesScanned / 1e6:0.0} MB in {sw.ElapsedMilliseconds} ms: {perSecond:0} files/s, {mbPerSecond:0.0} MB/s");
        // Linear, generous bound for a shared 2-core machine: a quadratic scan of 4 MB would take far longer.
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }
}

public class PlatformEnvTests
{
    [Theory]
    [InlineData("HOSTNAME", "ecs", true)]
    [InlineData("KUBERNETES_SERVICE_HOST", "kubernetes", true)]
    [InlineData("KUBERNETES_SERVICE_HOST", "eks", true)]
    [InlineData("KUBERNETES_SERVICE_HOST", "ecs", false)]
    [InlineData("REDIS_SERVICE_HOST", "kubernetes", true)]
    [InlineData("REDIS_PORT_6379_TCP_ADDR", "kubernetes", true)]
    [InlineData("REDIS_HOST", "kubernetes", false)]
    [InlineData("AWS_ROLE_ARN", "eks", true)]
    [InlineData("AWS_ROLE_ARN", "ecs", false)]
    [InlineData("ECS_CONTAINER_METADATA_URI_V4", "ecs", true)]
    [InlineData("AWS_REGION", "ecs", true)]
    [InlineData("DATABASE_URL", "eks", false)]
    public void Platform_provided_variables(string name, string platform, bool provided)
    {
        var e = PlatformEnv.Find(name, platform);
        (e != null).Should().Be(provided);
        if (e != null) e.Source.Should().StartWith("https://");
    }
}
