using System.Text;
using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Load;

/// <summary>
/// Bad input never crashes the run: each bad file gets one clear input-error finding naming it,
/// and the good file beside it is still scanned.
/// </summary>
public class BadInputTests
{
    private const string GoodConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  a: b\n";

    private static void AssertReportedAndScanGoesOn(TempDir dir, string badFile, string messagePart, Severity severity = Severity.Error)
    {
        dir.Write("good.yaml", GoodConfigMap);
        var result = Scan.Folder(dir.Path);
        result.Model.Find("ConfigMap", "default", "good").Should().NotBeNull("the scan goes on past the bad file");
        var problem = result.Of("input-error").Should().ContainSingle(f => f.Span.File == badFile).Subject;
        problem.Message.Should().Contain(messagePart);
        problem.Severity.Should().Be(severity);
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_its_line()
    {
        using var dir = new TempDir();
        dir.Write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        AssertReportedAndScanGoesOn(dir, "bad.yaml", "invalid YAML");
        Scan.Folder(dir.Path).Of("input-error").Single().Span.StartLine.Should().BeGreaterThan(1);
    }

    [Fact]
    public void Malformed_json_is_reported()
    {
        using var dir = new TempDir();
        dir.Write("task.json", "{ \"family\": \"x\", \"containerDefinitions\": [ { \"name\": ");
        AssertReportedAndScanGoesOn(dir, "task.json", "invalid JSON");
    }

    [Fact]
    public void Yaml_alias_bomb_is_refused_without_exhausting_memory()
    {
        var sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 0; i < 9; i++)
        {
            var prev = (char)('a' + i);
            var next = (char)('b' + i);
            sb.Append($"{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n");
        }
        using var dir = new TempDir();
        dir.Write("bomb.yaml", sb.ToString());
        AssertReportedAndScanGoesOn(dir, "bomb.yaml", "alias");
    }

    [Fact]
    public void Fifty_megabyte_manifest_is_capped_and_named()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "huge.yaml");
        using (var fs = File.Create(path)) fs.SetLength(50L * 1024 * 1024);
        AssertReportedAndScanGoesOn(dir, "huge.yaml", "over the 16 MB limit");
    }

    [Fact]
    public void Binary_file_with_a_config_extension_is_skipped_with_a_message()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(Path.Combine(dir.Path, "image.yaml"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]);
        AssertReportedAndScanGoesOn(dir, "image.yaml", "binary");
    }

    [Fact]
    public void Non_utf8_text_is_read_with_a_warning()
    {
        using var dir = new TempDir();
        var latin1 = Encoding.Latin1.GetBytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\u00e9\ndata:\n  a: b\n");
        File.WriteAllBytes(Path.Combine(dir.Path, "latin1.yaml"), latin1);
        AssertReportedAndScanGoesOn(dir, "latin1.yaml", "not valid UTF-8", Severity.Warning);
        Scan.Folder(dir.Path).Model.Find("ConfigMap", "default", "caf\u00e9").Should().NotBeNull("the file is still read");
    }

    [Fact]
    public void Crlf_line_endings_keep_line_numbers_right()
    {
        using var dir = new TempDir();
        dir.Write("crlf.yaml", "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\ndata:\r\n  key: value\r\n");
        var result = Scan.Folder(dir.Path);
        var cm = result.Model.Find("ConfigMap", "default", "crlf")!;
        cm.Body.At("data.key")!.Span.StartLine.Should().Be(6);
        result.Of("input-error").Should().BeEmpty();
    }

    [Fact]
    public void Symlink_loop_is_reported_and_not_followed()
    {
        using var dir = new TempDir();
        dir.Write("app/good.yaml", GoodConfigMap);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "app", "loop"), Path.Combine(dir.Path, "app"));
        var result = Scan.Folder(dir.Path);
        result.Model.OfKind("ConfigMap").Should().ContainSingle("the looped folder is scanned once");
        result.Of("input-error").Should().ContainSingle(f => f.Span.File == "app/loop").Which.Message.Should().Contain("loop");
    }

    [Fact]
    public void Broken_symlink_is_reported()
    {
        using var dir = new TempDir();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "gone.yaml"), Path.Combine(dir.Path, "does-not-exist.yaml"));
        AssertReportedAndScanGoesOn(dir, "gone.yaml", "broken symbolic link", Severity.Warning);
    }

    [Fact]
    public void Unreadable_file_is_reported()
    {
        using var dir = new TempDir();
        var path = dir.Write("secret.yaml", GoodConfigMap.Replace("good", "hidden"));
        File.SetUnixFileMode(path, UnixFileMode.None);
        if (Environment.UserName == "root")
        {
            // root reads any file regardless of mode; a named pipe is the unreadable file root meets in practice.
            File.Delete(path);
            System.Diagnostics.Process.Start("mkfifo", path)!.WaitForExit();
            AssertReportedAndScanGoesOn(dir, "secret.yaml", "not a regular file");
            return;
        }
        AssertReportedAndScanGoesOn(dir, "secret.yaml", "cannot read");
    }

    [Fact]
    public void Deeply_nested_yaml_is_an_error_not_a_stack_overflow()
    {
        using var dir = new TempDir();
        dir.Write("deep.yaml", new string('[', 5000) + new string(']', 5000));
        AssertReportedAndScanGoesOn(dir, "deep.yaml", "nested deeper");
    }
}

public class ReviewRegressionTests
{
    [Fact]
    public void An_odd_gitignore_pattern_is_skipped_not_fatal()
    {
        using var dir = new TempDir();
        dir.Write(".gitignore", "[z-a]\n[]\nbuild/\n");
        dir.Write("build/x.yaml", "a: [");
        dir.Write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n");
        var result = Scan.Folder(dir.Path);
        result.Model.Find("ConfigMap", "default", "ok").Should().NotBeNull();
        result.Of("input-error").Should().BeEmpty("build/ is still ignored");
    }

    [Fact]
    public void Sarif_keeps_paths_that_contain_an_at_sign()
    {
        using var dir = new TempDir();
        dir.Write("deploy/@org/app.yaml", "a: [");
        var run = GroundcrewCli.Exec("check", dir.Path, "--format", "sarif");
        run.Stdout.Should().Contain("\"uri\": \"deploy/%40org/app.yaml\"");
    }

    [Fact]
    public void An_apostrophe_in_a_plain_value_does_not_trigger_a_repair_that_hides_keys()
    {
        var text = "a: it's\nb: \"open\n c\nd: [\n";
        Groundcrew.Load.YamlTreeLoader.Load(text, "x.yaml").Error.Should().NotBeNull();
    }
}
