using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load.AppCode;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.AppCode;

/// <summary>
/// A read whose only test is the check that throws or exits is required, whether the check is on the read itself or
/// on a local variable holding it a statement later; the same check that gives a value instead makes it optional.
/// </summary>
public class RequiredAcrossStatementsTests
{
    private static EnvRead Js(string code, string name) => JsExtractor.Extract(code, "src/config.ts").EnvReads.Single(r => r.Name == name);
    private static EnvRead Py(string code, string name) => PythonExtractor.Extract(code, "pkg/settings.py").Single(r => r.Name == name);
    private static EnvRead Cs(string code, string name) => CSharpExtractor.Extract(code, "Program.cs").Single(r => r.Name == name);

    private static void Explicit(EnvRead r) { r.Required.Should().BeTrue(r.Evidence); r.Certainty.Should().Be(EnvCertainty.Explicit, r.Evidence); }

    [Fact]
    public void Js_local_variable_then_throw_or_exit_is_required_and_a_fallback_value_is_not()
    {
        Explicit(Js("const url = process.env.DB_URL;\nif (!url) throw new Error('DB_URL missing');\n", "DB_URL"));
        Explicit(Js("let q = process.env.QUEUE\nif (q === undefined) {\n  console.error('no queue');\n  process.exit(1);\n}\n", "QUEUE"));
        Explicit(Js("const t = process.env.TOKEN ?? (() => { throw new Error('TOKEN') })();\n", "TOKEN"));
        Explicit(Js("const k = process.env.KEY || process.exit(2);\n", "KEY"));
        Explicit(Js("function need(n: string): never { throw new Error(n + ' is required'); }\nconst s = process.env.SECRET || need('SECRET');\n", "SECRET"));

        Js("const url = process.env.DB_URL;\nif (!url) { url = 'sqlite://'; }\n", "DB_URL").Required.Should().BeFalse();
        Js("const f = process.env.FLAG;\nif (f) enable();\n", "FLAG").Required.Should().BeFalse();
        Js("function log(n) { console.log(n); }\nconst s = process.env.SECRET || log('x');\n", "SECRET").Required.Should().BeFalse("the fallback does not fail");
    }

    [Fact]
    public void Python_get_then_raise_or_exit_is_required_and_a_given_value_is_not()
    {
        Explicit(Py("import os\nx = os.environ.get(\"DB_URL\")\nif not x:\n    raise RuntimeError(\"DB_URL\")\n", "DB_URL"));
        Explicit(Py("import os, sys\nkey = os.getenv(\"API_KEY\") or sys.exit(\"API_KEY missing\")\n", "API_KEY"));
        Explicit(Py("import os, sys\nq = os.getenv(\"QUEUE\", \"\")\nif q == \"\": sys.exit(1)\n", "QUEUE"));
        Explicit(Py("import os\ndef main():\n    v = os.getenv(\"BUCKET\")\n    if v is None:\n        exit(3)\n", "BUCKET"));

        Py("import os\nx = os.environ.get(\"DB_URL\")\nif not x:\n    x = \"sqlite://\"\n", "DB_URL").Required.Should().BeFalse();
        Py("import os\nx = os.getenv(\"FLAG\")\nif x:\n    raise SystemExit(\"flag set\")\n", "FLAG").Required.Should().BeFalse("raising when it is set is not requiring it");
    }

    [Fact]
    public void CSharp_local_then_is_null_or_empty_throw_is_required()
    {
        Explicit(Cs("var v = Environment.GetEnvironmentVariable(\"DB_URL\");\nif (string.IsNullOrEmpty(v)) throw new InvalidOperationException(\"DB_URL\");\n", "DB_URL"));
        var fromConfig = Cs("var v = config[\"QUEUE_URL\"];\nif (string.IsNullOrWhiteSpace(v)) { throw new Exception(\"x\"); }\n", "QUEUE_URL");
        Explicit(fromConfig);
        Cs("var v = Environment.GetEnvironmentVariable(\"MODE\");\nif (v is null) v = \"api\";\n", "MODE").Required.Should().BeFalse();
    }

    private static string Task(bool provided) => $$"""
        { "family": "jobs", "containerDefinitions": [ { "name": "runner", "image": "444455556666.dkr.ecr.eu-west-1.amazonaws.com/runner:9", "essential": true,
          "environment": [ { "name": "OTHER", "value": "1" } {{(provided ? ", { \"name\": \"BUCKET\", \"value\": \"b\" }" : "")}} ] } ] }
        """;

    [Fact]
    public void Across_statements_reads_fail_and_pass_end_to_end_in_a_worker_layout()
    {
        (string, string)[] app = [("workers/runner/pyproject.toml", "[tool.poetry]\nname = \"runner\"\n"),
            ("workers/runner/runner/cli.py", "import os, sys\n\ndef main():\n    bucket = os.environ.get(\"BUCKET\")\n    if not bucket:\n        sys.exit(\"BUCKET is required\")\n")];
        var fail = Scan.Files([.. app, ("infra/ecs/runner.json", Task(false))]).Of("required-env-missing").Should().ContainSingle().Subject;
        fail.Severity.Should().Be(Severity.Error);
        fail.Message.Should().Contain("checked through `bucket`").And.Contain("pyproject.toml name of workers/runner/");
        Scan.Files([.. app, ("infra/ecs/runner.json", Task(true))]).Of("required-env-missing").Should().BeEmpty();
    }
}
