using FluentAssertions;
using Groundcrew.Discover;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>No symbolic link leads the scan outside the root it was given.</summary>
public class SymlinkEscapeTests
{
    [Fact]
    public void Links_to_files_and_folders_outside_the_root_are_not_read_and_are_reported()
    {
        var outside = Directory.CreateTempSubdirectory("gc-outside-").FullName;
        var root = Directory.CreateTempSubdirectory("gc-root-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: stolen}\nstringData: {k: OutsideValue123}\n");
            File.WriteAllText(Path.Combine(root, "inside.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
            Directory.CreateDirectory(Path.Combine(root, "sub"));
            File.WriteAllText(Path.Combine(root, "sub", "real.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n");
            File.CreateSymbolicLink(Path.Combine(root, "file-link.yaml"), Path.Combine(outside, "secret.yaml"));
            Directory.CreateSymbolicLink(Path.Combine(root, "dir-link"), outside);
            Directory.CreateSymbolicLink(Path.Combine(root, "inner-link"), Path.Combine(root, "sub"));

            var discovery = new FileDiscovery([]);
            var files = discovery.Discover(root).Select(f => f.DisplayPath).ToList();
            var result = Scan.Folder(root);

            // A link inside the root is followed (its real folder is scanned once, through the first path); one leading out is not.
            files.Should().BeEquivalentTo(["inside.yaml", "inner-link/real.yaml"]);
            discovery.Problems.Where(p => p.Message.Contains("outside the scanned root")).Select(p => p.DisplayPath).Should().BeEquivalentTo(["file-link.yaml", "dir-link"]);
            result.Model.Resources.Should().NotContain(r => r.Name == "stolen");
        }
        finally
        {
            Directory.Delete(root, true);
            Directory.Delete(outside, true);
        }
    }
}
