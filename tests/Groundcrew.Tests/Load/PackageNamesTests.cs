using FluentAssertions;
using Groundcrew.Load;
using Xunit;

namespace Groundcrew.Tests.Load;

/// <summary>
/// The name a manifest gives an app folder must not depend on how fast the machine is: a match that outruns the quick
/// regex budget is redone on the linear engine, not dropped (a dropped name turned a tie by pyproject.toml name into a
/// tie by folder name under load).
/// </summary>
public sealed class PackageNamesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gc-pkgnames-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_pyproject_name_is_found_after_text_that_outruns_the_quick_regex()
    {
        // 50,000 lines opening a section that never closes: from each `[` the backtracking engine reads to the end of the
        // file looking for its `]` (quadratic), far past any budget; the linear engine reads the file once.
        var unclosed = string.Concat(Enumerable.Repeat("[x\n", 50_000));
        File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), "[project]\n" + unclosed + "name = \"orders\"\n");

        PackageNames.Of(_dir).Should().Be(new PackageNames.Found("orders", "pyproject.toml"));
    }

    [Theory]
    [InlineData("pyproject.toml", "[tool.poetry]\nname = \"runner\"\n", "runner")]
    [InlineData("setup.cfg", "[metadata]\nname = billing-api\n", "billing-api")]
    [InlineData("go.mod", "module github.com/acme/orders/v2\n\ngo 1.22\n", "orders")]
    [InlineData("setup.py", "from setuptools import setup\nsetup(name='notifier', version='1')\n", "notifier")]
    public void Each_manifest_names_its_folder(string manifest, string text, string name)
    {
        File.WriteAllText(Path.Combine(_dir, manifest), text);

        PackageNames.Of(_dir)!.Name.Should().Be(name);
    }
}
